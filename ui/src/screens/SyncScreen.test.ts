// The Sync screen in happy-dom, with the Tauri commands mocked.
import { beforeEach, expect, test } from 'vitest';
import type { SyncReportView, SyncStatusView } from '../lib/bindings';
import type { ScreenId } from '../lib/screens';
import SyncScreen from './SyncScreen.svelte';
import { all, byTestId, mountScreen, recordIpc, screenProps, settle, setupScreenTests, syncStatus as status, text } from '../test/dom';
import type { RecordedIpc } from '../test/dom';

setupScreenTests();

let ipc: RecordedIpc;
let navigated: [ScreenId, string | null | undefined][] = [];
let changed = 0;

const REPORT: SyncReportView = {
  store_id: 'S1',
  sent: 2,
  rejected: 1,
  codes_uploaded: 1000,
  codes_regenerated: 0,
  codes_to_withdraw: 0,
  coupons_pulled: 1,
  code_statuses_pulled: 0,
  refund_requests_pulled: 3,
  pending_left: 0,
};

beforeEach(() => {
  navigated = [];
  changed = 0;
});

async function start(
  statuses: SyncStatusView[],
  sync: () => SyncReportView = () => REPORT,
  more: Parameters<typeof recordIpc>[0] = {},
) {
  let index = 0;
  ipc = recordIpc({
    sync_status: (args) => {
      expect(args.storeId).toBe('S1');
      return statuses[Math.min(index, statuses.length - 1)];
    },
    sync_now: (args) => {
      expect(args.storeId).toBe('S1');
      index += 1;
      return sync();
    },
    ...more,
  });
  mountScreen(SyncScreen, {
    ...screenProps({
      navigate: (next: ScreenId, coupon?: string | null) => {
        navigated.push([next, coupon]);
      },
      onchanged: () => {
        changed += 1;
      },
    }),
    refresh: 0,
  });
  await settle();
}

test('offline with changes waiting shows the platform reason', async () => {
  await start([
    status({ online: false, pending_changes: 3, last_error: 'platform: connection refused', last_attempt_at: '2026-11-24T12:00:00Z' }),
  ]);
  expect(text('sync-online')).toBe('Offline');
  expect(text('sync-pending-count')).toBe('3 changes waiting to go up');
  expect(text('sync-last-success')).toMatch(/^Nov 24, 2026, .+ \(.+\)$/);
  expect(text('sync-last-error')).toContain('platform: connection refused');
  expect(document.querySelector('[data-testid="sync-report"]')).toBeNull();
  expect(text('sync-attention-empty')).toContain('Nothing needs your attention');
});

test('a refused coupon shows its advice and opens the coupon; withdrawn codes are listed', async () => {
  await start([
    status({
      rejected_changes: 2,
      rejected: [
        {
          change_id: 3,
          kind: 'create_coupon',
          subject_id: 'C-7',
          code: 'rule_violation',
          reason: 'validity may not be extended',
          correction: 'edit_coupon',
        },
        {
          change_id: 4,
          kind: 'decide_refund',
          subject_id: 'R-1001',
          code: 'rule_violation',
          reason: 'refund decided twice',
          correction: 'none',
        },
      ],
      withdraw_codes: [
        { code: 'K7QMX2PA9', coupon_id: 'C-1', batch_id: 4, reported_at: '2026-11-24T11:58:00Z' },
        { code: 'ZZ3KM8QRT', coupon_id: 'C-1', batch_id: 4, reported_at: '2026-11-24T11:58:00Z' },
      ],
    }),
  ]);
  const items = all('rejected-item');
  expect(items.map((item) => item.dataset.kind)).toEqual(['create_coupon', 'decide_refund']);
  const coupon = items[0]!;
  expect(coupon.textContent).toContain('New coupon C-7 was refused');
  expect(coupon.textContent).toContain('validity may not be extended');
  expect(coupon.querySelector('[data-testid="rejected-advice"]')?.textContent).toBe(
    'Open the coupon, correct it and it goes up again.',
  );
  coupon.querySelector<HTMLButtonElement>('[data-testid="rejected-action"]')!.click();
  items[1]!.querySelector<HTMLButtonElement>('[data-testid="rejected-action"]')!.click();
  expect(navigated).toEqual([
    ['coupons', 'C-7'],
    ['refunds', undefined],
  ]);
  // Neither can be sent again as it is.
  expect(all('rejected-send-again')).toHaveLength(0);

  expect(all('withdrawn-code').map((row) => row.querySelector('.code')?.textContent)).toEqual(['K7QMX2PA9', 'ZZ3KM8QRT']);
  expect(text('withdraw-note')).toContain('another seller holds them on the platform: tell your buyers they are withdrawn');
  expect(document.querySelector('[data-testid="sync-attention-empty"]')).toBeNull();
});

test('a refused batch is sent again: retry_change takes it and the list shows the status it returns', async () => {
  const refusedBatch = status({
    rejected_changes: 1,
    rejected: [
      {
        change_id: 12,
        kind: 'upload_code_batch',
        subject_id: '5',
        code: 'rule_violation',
        reason: 'coupon C-1 can be given to 2500 buyers [CODES-1]',
        correction: 'send_again',
      },
    ],
  });
  await start([refusedBatch], () => REPORT, { retry_change: () => status({ pending_changes: 1 }) });
  const items = all('rejected-item');
  expect(items[0]!.textContent).toContain('exports leave them out');
  byTestId('rejected-send-again').click();
  await settle();
  expect(ipc.args('retry_change')).toEqual([{ storeId: 'S1', changeId: 12 }]);
  expect(all('rejected-item')).toHaveLength(0);
  expect(text('sync-pending-count')).toBe('1 change waiting to go up');
});

test('what the platform sent that could not be used is listed with why, and nothing else is wrong', async () => {
  await start([
    status({
      set_aside: [
        { feed: 'coupons', item: 'ae-3000000002', reason: 'coupon activity 3000000002: unknown status "paused"', seen_at: '2026-11-24T11:58:00Z' },
      ],
    }),
  ]);
  const items = all('set-aside-item');
  expect(items).toHaveLength(1);
  expect(items[0]!.textContent).toContain('Coupon: ae-3000000002');
  expect(items[0]!.textContent).toContain('unknown status "paused"');
  expect(text('set-aside-note')).toContain('set aside so that the rest of the sync went on');
  expect(document.querySelector('[data-testid="sync-attention-empty"]')).toBeNull();
});

test('Sync now is busy while it runs, then says what moved and reads the status again', async () => {
  let finish: (report: SyncReportView) => void = () => {};
  const pending = new Promise<SyncReportView>((resolve) => {
    finish = resolve;
  });
  await start([status({ pending_changes: 3 }), status({ pending_changes: 0 })], () => pending as unknown as SyncReportView);
  const button = byTestId('sync-now-screen') as HTMLButtonElement;
  button.click();
  await settle();
  expect(button.disabled).toBe(true);
  expect(button.textContent?.trim()).toBe('Syncing…');

  finish(REPORT);
  await settle();
  expect(button.disabled).toBe(false);
  expect(all('sync-report').length).toBe(1);
  expect(text('sync-report-sent')).toBe('2 changes sent to the platform');
  expect(text('sync-report-codes_uploaded')).toBe('1,000 codes uploaded');
  expect(text('sync-report-refund_requests_pulled')).toBe('3 refund requests received');
  expect(text('sync-report-pending_left')).toBe('Everything is sent.');
  expect(text('sync-pending-count')).toBe('Everything is sent');
  // The app tells the shell of the sync's end itself; the screen reads its status once more.
  expect(changed).toBe(0);
  expect(ipc.calls('sync_status').length).toBe(2);
});

test('a store that is not connected points to Settings', async () => {
  await start([status({ connected: false, last_attempt_at: null, last_successful_sync: null })]);
  expect(text('sync-online')).toBe('Not connected');
  expect(text('sync-last-success')).toBe('Never');
  const open = [...document.querySelectorAll('button')].find((button) => button.textContent?.trim() === 'Open Settings');
  open!.click();
  expect(navigated).toEqual([['settings', undefined]]);
});
