// Ids for long-running work (exports, code generation) that the window may cancel with
// `commands.cancelJob(id)`.

export function newJobId(kind: string): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return `${kind}-${crypto.randomUUID()}`;
  return `${kind}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
