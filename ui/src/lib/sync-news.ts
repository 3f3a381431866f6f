// What the window does with the news of the syncs: reads again what a sync's end changed, and
// follows the uploads of code batches while they go.
import type { SyncEnded, SyncNews, UploadProgressView } from './bindings';

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

/** The uploads under way, each batch's latest step, keyed by store and batch. */
export type Uploads = ReadonlyMap<string, UploadProgressView>;

const uploadKey = (storeId: string, batchId: number) => `${storeId}\u0000${batchId}`;

/**
 * The uploads under way once `news` is told: a step replaces its batch's last one, a batch all up
 * is done, and a store's sync end ends its uploads (one that stopped part way goes on at the next
 * sync, which tells its progress again).
 */
export function uploadsAfter(uploads: Uploads, news: SyncNews): Uploads {
  const next = new Map(uploads);
  if (news.news === 'uploading') {
    const key = uploadKey(news.store_id, news.batch_id);
    if (news.uploaded >= news.total) next.delete(key);
    else next.set(key, { store_id: news.store_id, batch_id: news.batch_id, uploaded: news.uploaded, total: news.total });
    return next;
  }
  for (const [key, step] of uploads) {
    if (step.store_id === news.store_id) next.delete(key);
  }
  return next;
}

/** A store's uploads under way, together: codes up of codes to send, or null when none goes. */
export function uploadOf(uploads: Uploads, storeId: string | null): { uploaded: number; total: number } | null {
  let uploaded = 0;
  let total = 0;
  for (const step of uploads.values()) {
    if (step.store_id !== storeId) continue;
    uploaded += step.uploaded;
    total += step.total;
  }
  return total > 0 ? { uploaded, total } : null;
}
