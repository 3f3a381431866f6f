// What the status bar says about a store's sync, from its SyncStatusView.
import type { SyncStatusView } from './bindings';
import { formatRelative } from './format';

export type Tone = 'ok' | 'warn' | 'bad';

export interface SyncSummary {
  tone: Tone;
  /** One or two words: Online, Offline, Not connected. */
  state: string;
  /** What is waiting, e.g. `3 changes waiting`. */
  pending: string;
  /** When the last sync reached the platform, e.g. `Last sync 2 minutes ago`. */
  lastSync: string;
  /** The platform's reason for the last failure, or what the seller must act on. */
  problem: string | null;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function summarizeSync(status: SyncStatusView, now: Date = new Date()): SyncSummary {
  const pending =
    status.pending_changes === 0
      ? 'Everything sent'
      : `${plural(status.pending_changes, 'change', 'changes')} waiting`;
  const lastSync = status.last_successful_sync
    ? `Last sync ${formatRelative(status.last_successful_sync, now)}`
    : 'Never synced';
  if (!status.connected) {
    return { tone: 'warn', state: 'Not connected', pending, lastSync, problem: 'Connect this store in Settings.' };
  }
  const refusals = status.rejected_changes + status.withdraw_codes.length + status.set_aside.length;
  const attention =
    refusals > 0 ? `${plural(refusals, 'item needs', 'items need')} your attention on the Sync screen.` : null;
  if (!status.online && status.last_attempt_at !== null) {
    return { tone: 'bad', state: 'Offline', pending, lastSync, problem: status.last_error ?? attention };
  }
  if (status.last_attempt_at === null) {
    return { tone: 'warn', state: 'Waiting for first sync', pending, lastSync, problem: attention };
  }
  return { tone: refusals > 0 ? 'warn' : 'ok', state: 'Online', pending, lastSync, problem: attention };
}
