import { expect, test } from 'vitest';
import type { CampaignResultsView, ChannelResultsView } from './bindings';
import { describeChart, labelledDays, layoutChart, niceScale } from './campaign-chart';
import { formatCount, formatDay } from './format';

function channel(name: string | null, used: number[]): ChannelResultsView {
  const total = used.reduce((a, b) => a + b, 0);
  return {
    channel: name,
    codes: { generated: 100, exported: 100, claimed: 60, valid: 60 - total, inactive: 0, used: total, expired: 0, pending: 0 },
    redemptions: used.map((count, index) => ({ day: `2026-11-2${index}`, used: count })),
    earlier_redemptions: 0,
    undated_redemptions: 0,
    redemption_rate: ((total / 100) * 100).toFixed(1),
  };
}

function results(channels: ChannelResultsView[], days: string[]): CampaignResultsView {
  return { store_id: 'S1', coupon_id: null, channels, days };
}

test('nice scales are round and cover the value', () => {
  expect(niceScale(0)).toEqual({ maximum: 4, step: 1 });
  expect(niceScale(7)).toEqual({ maximum: 8, step: 2 });
  expect(niceScale(95)).toEqual({ maximum: 100, step: 25 });
  expect(niceScale(1234)).toEqual({ maximum: 1500, step: 500 });
});

test('bars stack the channels of each day from the axis up', () => {
  const layout = layoutChart(
    results([channel('facebook', [2, 0, 6]), channel('newsletter', [2, 1, 0])], ['2026-11-20', '2026-11-21', '2026-11-22']),
    400,
    200,
  );
  expect(layout.maximum).toBe(6);
  expect(layout.columns.map((c) => c.total)).toEqual([4, 1, 6]);
  const [first] = layout.columns;
  expect(first?.segments.map((s) => s.seriesIndex)).toEqual([0, 1]);
  // facebook sits on the axis (2 of 6), newsletter on top of it (up to 4 of 6).
  const plotHeight = layout.plot.bottom - layout.plot.top;
  expect(first?.segments[0]?.y).toBeCloseTo(layout.plot.bottom - plotHeight / 3);
  expect(first?.segments[0]?.height).toBeCloseTo(plotHeight / 3);
  expect(first?.segments[1]?.y).toBeCloseTo(layout.plot.bottom - (plotHeight * 2) / 3);
  // A day without any redemption of a channel draws nothing for it.
  expect(layout.columns[1]?.segments.map((s) => s.seriesIndex)).toEqual([1]);
  expect(layout.series.map((s) => [s.label, s.colour, s.total])).toEqual([
    ['facebook', 'var(--chart-1)', 8],
    ['newsletter', 'var(--chart-2)', 3],
  ]);
});

test('codes without a channel are a series of their own', () => {
  const layout = layoutChart(results([channel(null, [1])], ['2026-11-20']));
  expect(layout.series[0]?.label).toBe('No channel');
});

test('day labels thin out when days are many', () => {
  const many = layoutChart(results([channel('fb', Array(60).fill(1))], Array.from({ length: 60 }, (_, i) => `d${i}`)), 720);
  const shown = labelledDays(many.columns, many.plot.right - many.plot.left);
  expect(shown.size).toBeLessThan(20);
  expect(shown.has(59)).toBe(true);
  const few = layoutChart(results([channel('fb', [1, 2, 3])], ['a', 'b', 'c']), 720);
  expect(labelledDays(few.columns, 600).size).toBe(3);
});

test('the caption says what happened in one sentence', () => {
  expect(describeChart(results([channel('fb', [])], []))).toBe('No code has been redeemed yet.');
  expect(
    describeChart(results([channel('facebook', [2, 6]), channel('newsletter', [1, 0])], ['2026-11-20', '2026-11-21'])),
  ).toBe('9 codes redeemed from Nov 20 to Nov 21; most through facebook.');
  // In another locale, as that locale writes days and counts.
  const german = (value: number) => formatCount(value, 'de-DE');
  const days = ['2026-11-20'];
  expect(describeChart(results([channel('facebook', [1200])], days), (d) => formatDay(d, 'de-DE'), german)).toBe(
    '1.200 codes redeemed on 20. Nov.; most through facebook.',
  );
});
