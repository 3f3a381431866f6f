// Coupons and code statuses come down with each sync, which the shell runs in the background (and
// on "Sync now"); the screens do not hear of it. This watches the store's last successful sync and
// calls back when it moves, so a list can read itself again (the demo coupons of the sandbox
// arrive with the first sync).
import { commands } from './bindings';

export const SYNC_WATCH_MS = 5000;

/** Calls `onsynced` each time the store's last successful sync changes; returns the stop. */
export function watchSyncs(storeId: string, onsynced: () => void, intervalMs = SYNC_WATCH_MS): () => void {
  let last: string | null | undefined;
  let stopped = false;
  const check = async () => {
    try {
      const status = await commands.syncStatus(storeId);
      if (stopped) return;
      const mark = status.last_successful_sync;
      if (last !== undefined && mark !== last) onsynced();
      last = mark;
    } catch {
      // The status bar says what is wrong with sync; the list stays as it is.
    }
  };
  void check();
  const timer = setInterval(() => void check(), intervalMs);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
