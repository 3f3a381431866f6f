// The campaign results chart: redemptions per channel per day as stacked bars, laid out in plain
// numbers so that the component only draws rectangles and the layout can be tested.
import type { CampaignResultsView, ChannelResultsView } from './bindings';
import { channelLabel } from './code-batches';
import { formatCount, formatDay } from './format';
import { t } from './i18n.svelte';

/** How many distinct series colours the theme defines (--chart-1 … --chart-6). */
export const PALETTE_SIZE = 6;

export interface Series {
  /** The channel's name as the seller reads it. */
  label: string;
  /** The CSS colour variable of the series, e.g. `var(--chart-1)`. */
  colour: string;
  total: number;
}

export interface BarSegment {
  seriesIndex: number;
  x: number;
  y: number;
  width: number;
  height: number;
  used: number;
}

export interface DayColumn {
  day: string;
  /** The x of the middle of the day's slot, where its label goes. */
  center: number;
  total: number;
  segments: BarSegment[];
}

export interface ChartLayout {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  series: Series[];
  columns: DayColumn[];
  /** Horizontal grid lines with their values, bottom to top. */
  ticks: { value: number; y: number }[];
  maximum: number;
}

/** A round axis maximum at or above `value`, and the step between ticks. */
export function niceScale(value: number, tickCount = 4): { maximum: number; step: number } {
  if (value <= 0) return { maximum: tickCount, step: 1 };
  const rough = value / tickCount;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const whole = Math.max(1, Math.ceil(step));
  return { maximum: Math.ceil(value / whole) * whole, step: whole };
}

export function layoutChart(results: CampaignResultsView, width = 720, height = 260): ChartLayout {
  const plot = { left: 48, top: 12, right: width - 12, bottom: height - 28 };
  const series: Series[] = results.channels.map((channel: ChannelResultsView, index) => ({
    label: channelLabel(channel.channel),
    colour: `var(--chart-${(index % PALETTE_SIZE) + 1})`,
    total: channel.redemptions.reduce((sum, day) => sum + day.used, 0),
  }));
  const totals = results.days.map((_, dayIndex) =>
    results.channels.reduce((sum, channel) => sum + (channel.redemptions[dayIndex]?.used ?? 0), 0),
  );
  const { maximum, step } = niceScale(Math.max(0, ...totals));
  const plotHeight = plot.bottom - plot.top;
  const slot = results.days.length > 0 ? (plot.right - plot.left) / results.days.length : 0;
  const barWidth = Math.max(2, Math.min(48, slot * 0.7));
  const scale = (value: number) => (value / maximum) * plotHeight;

  const columns: DayColumn[] = results.days.map((day, dayIndex) => {
    const x = plot.left + slot * dayIndex + (slot - barWidth) / 2;
    let stacked = 0;
    const segments: BarSegment[] = [];
    results.channels.forEach((channel, seriesIndex) => {
      const used = channel.redemptions[dayIndex]?.used ?? 0;
      if (used === 0) return;
      const bottom = plot.bottom - scale(stacked);
      stacked += used;
      const top = plot.bottom - scale(stacked);
      segments.push({ seriesIndex, x, y: top, width: barWidth, height: bottom - top, used });
    });
    return { day, center: plot.left + slot * (dayIndex + 0.5), total: totals[dayIndex] ?? 0, segments };
  });

  const ticks: { value: number; y: number }[] = [];
  for (let value = 0; value <= maximum; value += step) {
    ticks.push({ value, y: plot.bottom - scale(value) });
  }
  return { width, height, plot, series, columns, ticks, maximum };
}

/** Which day labels to print so that they do not overlap: every n-th, always the last. */
export function labelledDays(columns: DayColumn[], plotWidth: number, labelWidth = 56): Set<number> {
  const every = Math.max(1, Math.ceil((columns.length * labelWidth) / Math.max(1, plotWidth)));
  const shown = new Set<number>();
  columns.forEach((_, index) => {
    if (index % every === 0) shown.add(index);
  });
  if (columns.length > 0) shown.add(columns.length - 1);
  return shown;
}

/** One sentence for screen readers and the figure caption, days and counts as the locale writes them. */
export function describeChart(
  results: CampaignResultsView,
  day: (isoDay: string) => string = formatDay,
  count: (value: number) => string = formatCount,
): string {
  if (results.days.length === 0) return t('campaign.chart.nothing-redeemed');
  const total = results.channels.reduce(
    (sum, channel) => sum + channel.redemptions.reduce((s, day) => s + day.used, 0),
    0,
  );
  const best = [...results.channels].sort(
    (a, b) =>
      b.redemptions.reduce((s, d) => s + d.used, 0) - a.redemptions.reduce((s, d) => s + d.used, 0),
  )[0];
  const first = results.days[0];
  const last = results.days[results.days.length - 1];
  const channel = channelLabel(best?.channel ?? null);
  return first === last
    ? t('campaign.chart.redeemed-on-day', { count: total, n: count(total), day: day(first!), channel })
    : t('campaign.chart.redeemed-between-days', {
        count: total,
        n: count(total),
        first: day(first!),
        last: day(last!),
        channel,
      });
}
