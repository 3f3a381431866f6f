// What the window reads again when the app tells it a sync ended.
import type { SyncEnded } from './bindings';

/** What a sync's end asks the window to read again. */
export type ReadAgain = 'nothing' | 'status' | 'status-and-lists';

/**
 * A sync of another store changes nothing shown; one of the chosen store changed its sync status
 * (last sync, errors, pending changes), and its lists too when it sent or brought something.
 */
export function readAgainAfter(end: SyncEnded, chosenStoreId: string | null): ReadAgain {
  if (end.store_id !== chosenStoreId) return 'nothing';
  return end.lists_changed ? 'status-and-lists' : 'status';
}
