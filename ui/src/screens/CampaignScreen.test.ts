// The Campaign results screen in happy-dom, with the Tauri commands mocked.
import { expect, test } from 'vitest';
import CampaignScreen from './CampaignScreen.svelte';
import type { CampaignResultsView, ChannelResultsView } from '../lib/bindings';
import { liveProps } from '../test/live-props.svelte';
import { mountScreen, recordIpc, screenProps, settle, setupScreenTests, type RecordedIpc } from '../test/dom';

setupScreenTests();

let ipc: RecordedIpc;

/** The coupon each campaign_results asked about. */
function asked(): (string | null)[] {
  return ipc.args('campaign_results').map((args) => args.couponId as string | null);
}

function channel(name: string | null, generated: number, used: number[]): ChannelResultsView {
  const total = used.reduce((a, b) => a + b, 0);
  return {
    channel: name,
    codes: { generated, exported: generated, claimed: total + 1, valid: 1, inactive: 0, used: total, expired: 0, pending: 0 },
    redemptions: used.map((count, index) => ({ day: `2026-11-2${index + 2}`, used: count })),
    earlier_redemptions: 0,
    undated_redemptions: 0,
    redemption_rate: ((100 * total) / generated).toFixed(1),
  };
}

function start(results: (coupon: string | null) => CampaignResultsView, couponId: string | null = null) {
  ipc = recordIpc({
    list_coupons: () => ({ store_id: 'S1', total: 0, coupons: [], state_counts: {} }),
    campaign_results: (args) => results(args.couponId as string | null),
  });
  mountScreen(CampaignScreen, screenProps({ couponId }));
}

test('each channel has a row of status counts and a share of the bars', async () => {
  start(() => ({
    store_id: 'S1',
    coupon_id: 'C1',
    channels: [channel('facebook', 1000, [3, 5]), channel(null, 200, [0, 2])],
    days: ['2026-11-22', '2026-11-23'],
  }), 'C1');
  await settle();
  expect(asked()[0]).toBe('C1');
  const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="channel-row"]')];
  expect(rows.map((row) => row.querySelector('th')?.textContent)).toEqual(['facebook', 'No channel']);
  expect(rows[0]?.querySelector('[data-testid="channel-used"]')?.textContent).toBe('8');
  expect(rows[0]?.querySelector('[data-testid="channel-generated"]')?.textContent).toBe('1,000');
  expect(rows[0]?.querySelector('[data-testid="channel-rate"]')?.textContent).toBe('0.8 %');
  const days = [...document.querySelectorAll<SVGGElement>('[data-testid="chart-day"]')];
  expect(days.map((day) => day.getAttribute('data-total'))).toEqual(['3', '7']);
  // The second day stacks both channels.
  expect(days[1]?.querySelectorAll('rect').length).toBe(2);
  expect(document.querySelector('[data-testid="chart-caption"]')?.textContent).toBe(
    '10 codes redeemed from Nov 22 to Nov 23; most through facebook.',
  );
});

test('no codes at all says where to make some', async () => {
  start(() => ({ store_id: 'S1', coupon_id: null, channels: [], days: [] }));
  await settle();
  expect(asked()[0]).toBeNull();
  expect(document.querySelector('[data-testid="campaign-empty"]')?.textContent).toMatch(/Codes screen/);
  expect(document.querySelector('[data-testid="campaign-chart"]')).toBeNull();
});

test('codes without redemptions show the table and an empty chart that says why', async () => {
  start(() => ({ store_id: 'S1', coupon_id: null, channels: [channel('newsletter', 50, [])], days: [] }));
  await settle();
  expect(document.querySelector('[data-testid="chart-empty"]')?.textContent).toMatch(/No redemptions yet/);
  expect(document.querySelectorAll('[data-testid="channel-row"]').length).toBe(1);
});

test('a sync reported by the shell reads the results again, with what came down', async () => {
  let used = [3];
  ipc = recordIpc({
    list_coupons: () => ({ store_id: 'S1', total: 0, coupons: [], state_counts: {} }),
    campaign_results: () => ({ store_id: 'S1', coupon_id: 'C1', channels: [channel('facebook', 1000, used)], days: ['2026-11-22'] }),
  });
  const props = liveProps({ ...screenProps({ couponId: 'C1' }), synced: 0 });
  mountScreen(CampaignScreen, props);
  await settle();
  expect(asked()).toEqual(['C1']);
  used = [9];
  props.synced = 1;
  await settle();
  expect(asked()).toEqual(['C1', 'C1']);
  expect(document.querySelector('[data-testid="channel-used"]')?.textContent).toBe('9');
});
