// What the status bar says about a store's sync, from its SyncStatusView.
import type { SyncStatusView } from './bindings';
import { formatCount, formatRelative } from './format';
import { t } from './i18n.svelte';

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

/** The words are read when called: call it where they are shown (a `$derived`), so that they
 * follow the seller's language. */
export function summarizeSync(status: SyncStatusView, now: Date = new Date()): SyncSummary {
  const pending =
    status.pending_changes === 0
      ? t('sync.status.everything-sent')
      : t('sync.status.changes-waiting', { count: status.pending_changes, n: formatCount(status.pending_changes) });
  const lastSync = status.last_successful_sync
    ? t('sync.status.last-sync', { when: formatRelative(status.last_successful_sync, now) })
    : t('sync.status.never-synced');
  if (!status.connected) {
    return {
      tone: 'warn',
      state: t('sync.state.not-connected'),
      pending,
      lastSync,
      problem: t('sync.status.connect-in-settings'),
    };
  }
  const refusals = status.rejected_changes + status.withdraw_codes.length + status.set_aside.length;
  const attention = refusals > 0 ? t('sync.status.needs-attention', { count: refusals, n: formatCount(refusals) }) : null;
  if (!status.online && status.last_attempt_at !== null) {
    return { tone: 'bad', state: t('sync.state.offline'), pending, lastSync, problem: status.last_error ?? attention };
  }
  if (status.last_attempt_at === null) {
    return { tone: 'warn', state: t('sync.state.waiting-for-first-sync'), pending, lastSync, problem: attention };
  }
  return { tone: refusals > 0 ? 'warn' : 'ok', state: t('sync.state.online'), pending, lastSync, problem: attention };
}
