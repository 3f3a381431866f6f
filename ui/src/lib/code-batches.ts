// A coupon's batches of codes as the Codes screen shows them: grouped per channel, each batch's
// format in words, the channels already used, and how far a generation is.
import type { CodeBatchView, CodeFormatView, GenerationProgress } from './bindings';
import { DEFAULT_ALPHABET } from './code-form';
import { displayLocale } from './coupon-format';
import { formatCount } from './format';

export interface ChannelGroup {
  /** Null for batches made without a channel. */
  channel: string | null;
  label: string;
  /** Oldest first. */
  batches: CodeBatchView[];
  codes: number;
  /** How many of the batches were exported at least once. */
  exportedBatches: number;
}

export const NO_CHANNEL_LABEL = 'No channel';

/** How a channel reads: its name, or `No channel` for codes made for none. */
export function channelLabel(channel: string | null): string {
  return channel ?? NO_CHANNEL_LABEL;
}

/** Batches per channel, channels in alphabetical order, batches without a channel last. */
export function groupByChannel(batches: readonly CodeBatchView[]): ChannelGroup[] {
  const groups = new Map<string | null, ChannelGroup>();
  for (const batch of batches) {
    let group = groups.get(batch.channel);
    if (group === undefined) {
      group = {
        channel: batch.channel,
        label: channelLabel(batch.channel),
        batches: [],
        codes: 0,
        exportedBatches: 0,
      };
      groups.set(batch.channel, group);
    }
    group.batches.push(batch);
    group.codes += batch.code_count;
    if (batch.first_exported_at !== null) group.exportedBatches += 1;
  }
  for (const group of groups.values()) {
    group.batches.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.batch_id - b.batch_id);
  }
  return [...groups.values()].sort((a, b) => {
    if (a.channel === null) return b.channel === null ? 0 : 1;
    if (b.channel === null) return -1;
    return a.channel.localeCompare(b.channel);
  });
}

/** The channels already used, for the generator's suggestions and the export filter. */
export function usedChannels(batches: readonly CodeBatchView[]): string[] {
  const channels = new Set<string>();
  for (const batch of batches) if (batch.channel !== null) channels.add(batch.channel);
  return [...channels].sort((a, b) => a.localeCompare(b));
}

/** A batch's format in a few words: `9 characters · prefix WIN · dashes every 4 · check character`. */
export function formatSummary(format: CodeFormatView): string {
  const parts = [`${format.length} characters`];
  if (format.prefix !== '') parts.push(`prefix ${format.prefix}`);
  if (format.suffix !== '') parts.push(`suffix ${format.suffix}`);
  if (format.group !== null) parts.push(`dashes every ${format.group}`);
  if (format.check_character) parts.push('check character');
  if (format.alphabet !== DEFAULT_ALPHABET) parts.push(`alphabet ${format.alphabet}`);
  return parts.join(' · ');
}

/** What a ProgressBar shows: `value` of `max` (0 = indeterminate) and a label. */
export interface Progress {
  value: number;
  max: number;
  label: string;
}

/** How far a generation is, from the last message of its channel (null before the first one). */
export function generationProgress(last: GenerationProgress | null, locale: string = displayLocale()): Progress {
  if (last === null) return { value: 0, max: 0, label: 'Making codes…' };
  if (last.stage === 'generated') {
    return { value: 0, max: last.codes, label: `Made ${formatCount(last.codes, locale)} codes; saving them…` };
  }
  return {
    value: last.codes,
    max: last.total,
    label: `Saved ${formatCount(last.codes, locale)} of ${formatCount(last.total, locale)} codes`,
  };
}

/** Whole percent of `value` in `max`, as the ProgressBar writes it (0 when max is 0). */
export function percent(value: number, max: number): number {
  return max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 0;
}

/** The statuses a code can have, as the export filter and "Check a code" name them. */
export const CODE_STATUSES = ['unclaimed', 'valid', 'inactive', 'used', 'expired', 'pending'] as const;

const STATUS_WORDS: Record<string, string> = {
  unclaimed: 'Unclaimed: no buyer has claimed it yet',
  valid: 'Valid: claimed by a buyer, not used yet',
  inactive: 'Inactive: on an order that has not closed yet',
  used: 'Used: spent on an order',
  expired: 'Expired: its validity ended before it was used',
  pending: 'Pending (a legacy status)',
};

const STATUS_SHORT: Record<string, string> = {
  unclaimed: 'Unclaimed',
  valid: 'Valid (claimed)',
  inactive: 'Inactive',
  used: 'Used',
  expired: 'Expired',
  pending: 'Pending (legacy)',
};

export function statusWords(status: string): string {
  return STATUS_WORDS[status] ?? status;
}

export function statusLabel(status: string): string {
  return STATUS_SHORT[status] ?? status;
}

/** How a badge reads: its words and its tone. */
export interface Badge {
  text: string;
  tone: 'ok' | 'warn' | 'error' | 'muted';
}

/** Where a batch stands on the store's platform (`platform` is its name), as its badge reads. */
export function registrationBadge(batch: CodeBatchView, platform: string, locale: string = displayLocale()): Badge {
  const registration = batch.registration;
  const count = (n: number) => formatCount(n, locale);
  switch (registration.state) {
    case 'not_registered':
      return { text: `Not registered on ${platform}: for your own use`, tone: 'muted' };
    case 'uploading':
      return registration.uploaded === 0
        ? { text: 'Goes up with the next sync', tone: 'warn' }
        : {
            text: `${count(registration.uploaded)} of ${count(batch.code_count)} up so far`,
            tone: 'warn',
          };
    case 'registered':
      return { text: `Registered on ${platform}`, tone: 'ok' };
    case 'refused':
      return {
        text:
          registration.uploaded === 0
            ? `Refused by ${platform}: ${registration.reason}`
            : `Refused by ${platform} after ${count(registration.uploaded)} of ${count(batch.code_count)}: ${registration.reason}`,
        tone: 'error',
      };
  }
}
