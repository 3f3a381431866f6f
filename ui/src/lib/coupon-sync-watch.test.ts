import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, expect, test, vi } from 'vitest';
import { watchSyncs } from './coupon-sync-watch';

afterEach(() => {
  clearMocks();
  vi.useRealTimers();
});

test('calls back when the last successful sync moves, not on the first look nor when it stays', async () => {
  vi.useFakeTimers();
  let last: string | null = null;
  const asked: unknown[] = [];
  mockIPC((cmd, args) => {
    asked.push([cmd, args]);
    return { store_id: 'S1', last_successful_sync: last };
  });
  const synced = vi.fn();
  const stop = watchSyncs('S1', synced, 1000);
  await vi.advanceTimersByTimeAsync(0);
  expect(asked).toEqual([['sync_status', { storeId: 'S1' }]]);
  await vi.advanceTimersByTimeAsync(1000);
  expect(synced).not.toHaveBeenCalled();

  last = '2026-11-24T12:00:00Z';
  await vi.advanceTimersByTimeAsync(1000);
  expect(synced).toHaveBeenCalledTimes(1);
  await vi.advanceTimersByTimeAsync(1000);
  expect(synced).toHaveBeenCalledTimes(1);

  stop();
  last = '2026-11-24T12:00:30Z';
  await vi.advanceTimersByTimeAsync(5000);
  expect(synced).toHaveBeenCalledTimes(1);
  expect(asked).toHaveLength(4);
});
