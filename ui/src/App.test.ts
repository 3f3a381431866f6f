// The shell in happy-dom, with the Tauri commands mocked: how it opens, what a sync's end makes it
// read again, how an upload's progress shows, and what it shows when the app's data cannot open.
import type { Channel } from '@tauri-apps/api/core';
import { expect, test } from 'vitest';
import App from './App.svelte';
import type { CommandError, CouponListView, SyncNews } from './lib/bindings';
import { couponView } from './lib/coupon-test-data';
import { byTestId, mountScreen, PLATFORM, recordIpc, settle, setupScreenTests, STORE, syncStatus } from './test/dom';
import type { IpcHandler, RecordedIpc } from './test/dom';

setupScreenTests();

let ipc: RecordedIpc;

const LIST: CouponListView = {
  store_id: 'S1',
  total: 1,
  coupons: [couponView()],
  state_counts: { draft: 0, pending: 0, published: 1, rejected: 0, stopped: 0 },
};

/** Mounts the shell over store S1 on the sandbox; `handlers` replace the default answers. */
async function start(handlers: Record<string, IpcHandler> = {}): Promise<{ news: () => Channel<SyncNews> }> {
  localStorage.clear();
  let channel: Channel<SyncNews> | null = null;
  ipc = recordIpc({
    app_info: () => ({ version: '0.4.0', platform: PLATFORM }),
    list_stores: () => [STORE],
    watch_syncs: (args) => {
      channel = args.onSyncNews as Channel<SyncNews>;
      return null;
    },
    list_coupons: () => LIST,
    sync_status: () => syncStatus(),
    ...handlers,
  });
  mountScreen(App, {});
  await settle();
  return {
    news: () => {
      if (channel === null) throw new Error('the shell never called watch_syncs');
      return channel;
    },
  };
}

const calls = (cmd: string) => ipc.calls(cmd).length;

test('the shell watches syncs before the screens read, then reads again what each sync end changed', async () => {
  const { news } = await start();
  const order = ipc.calls().map((call) => call.cmd);
  expect(order.indexOf('watch_syncs')).toBeLessThan(order.indexOf('list_coupons'));
  expect(byTestId('platform-badge').textContent?.trim()).toBe('Sandbox');
  const coupons = calls('list_coupons');
  const statuses = calls('sync_status');

  // A sync of S1 that changed nothing: the status is read again, the list is not.
  news().onmessage({ news: 'ended', store_id: 'S1', lists_changed: false });
  await settle();
  expect(calls('sync_status')).toBe(statuses + 1);
  expect(calls('list_coupons')).toBe(coupons);

  // One that brought something: both.
  news().onmessage({ news: 'ended', store_id: 'S1', lists_changed: true });
  await settle();
  expect(calls('sync_status')).toBe(statuses + 2);
  expect(calls('list_coupons')).toBe(coupons + 1);

  // Another store's sync: nothing.
  news().onmessage({ news: 'ended', store_id: 'S2', lists_changed: true });
  await settle();
  expect(calls('sync_status')).toBe(statuses + 2);
  expect(calls('list_coupons')).toBe(coupons + 1);

  // An upload's progress reads nothing again.
  news().onmessage({ news: 'uploading', store_id: 'S1', batch_id: 3, uploaded: 0, total: 1000 });
  await settle();
  expect(calls('sync_status')).toBe(statuses + 2);
});

test("the status bar follows the chosen store's code upload until its sync ends", async () => {
  const { news } = await start();
  const bar = () => document.querySelector('[data-testid="sync-upload"] progress');
  const shown = () => {
    const progress = bar();
    return progress ? `${progress.getAttribute('aria-label')}: ${progress.getAttribute('value')}` : null;
  };
  expect(shown()).toBeNull();

  news().onmessage({ news: 'uploading', store_id: 'S1', batch_id: 3, uploaded: 0, total: 1000 });
  await settle();
  expect(shown()).toBe('Uploading codes: 0 of 1,000: 0');
  news().onmessage({ news: 'uploading', store_id: 'S1', batch_id: 3, uploaded: 400, total: 1000 });
  // Another store's upload is not the chosen store's.
  news().onmessage({ news: 'uploading', store_id: 'S2', batch_id: 9, uploaded: 10, total: 50 });
  await settle();
  expect(shown()).toBe('Uploading codes: 400 of 1,000: 400');
  expect(byTestId('sync-upload-progress').textContent).toContain('40%');

  // The sync stopped part way: the bar goes; the next sync tells where it goes on from.
  news().onmessage({ news: 'ended', store_id: 'S1', lists_changed: true });
  await settle();
  expect(shown()).toBeNull();
});

test('data that cannot open is said in the window, and Try again opens it once fixed', async () => {
  const refused: CommandError = {
    code: 'invalid_input',
    message: '/data/settings.json: platform: unknown variant `cloud`, expected `sandbox` or `remote`',
    field: 'platform',
    rule: null,
    reason: null,
    params: {},
  };
  let fixed = false;
  await start({
    app_info: () => {
      if (!fixed) throw refused;
      return { version: '0.4.0', platform: PLATFORM };
    },
    list_stores: () => {
      if (!fixed) throw refused;
      return [STORE];
    },
    open_session_again: () => {
      fixed = true;
      return null;
    },
  });
  expect(byTestId('start-failed').textContent).toContain('Seller Desk could not open your data');
  expect(byTestId('error-message').textContent).toBe(refused.message);
  expect(document.querySelector('[data-testid="platform-badge"]')).toBeNull();

  byTestId('start-try-again').click();
  await settle();
  expect(calls('open_session_again')).toBe(1);
  expect(document.querySelector('[data-testid="start-failed"]')).toBeNull();
  expect(byTestId('platform-badge').textContent?.trim()).toBe('Sandbox');
  // A channel per watch: the one given before is not given again.
  const channels = ipc.args('watch_syncs').map((args) => args.onSyncNews);
  expect(channels).toHaveLength(2);
  expect(channels[0]).not.toBe(channels[1]);
});
