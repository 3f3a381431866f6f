// The refund calculator's commands, over the generated, typed `commands` of bindings.ts.
import { commands, type ExamplePayment, type RefundPreviewOutput } from './bindings';

export { toCommandError } from './ipc';

export function listExamplePayments(): Promise<ExamplePayment[]> {
  return commands.listExamplePayments();
}

/** A §8 refund-preview input as JSON (with a default `refund`). */
export function loadExamplePayment(id: string): Promise<unknown> {
  return commands.loadExamplePayment(id);
}

/** Sends a whole §8 input; resolves to the §8 output. */
export function previewRefund(input: Record<string, unknown>): Promise<RefundPreviewOutput> {
  return commands.previewRefund(input);
}
