// A coupon's batches of codes as the Codes screen shows them: grouped per channel, each batch's
// format in words, the channels already used, and how far a generation is.
import type { CodeBatchView, CodeFormatView, GenerationProgress } from './bindings';
import { DEFAULT_ALPHABET } from './code-form';
import { displayLocale } from './coupon-format';
import { formatCount } from './format';
import { t } from './i18n.svelte';

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

/** How codes made for no channel read: `No channel`. */
export function noChannelLabel(): string {
  return t('codes.no-channel');
}

/** How a channel reads: its name, or `No channel` for codes made for none. */
export function channelLabel(channel: string | null): string {
  return channel ?? noChannelLabel();
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
  const parts = [t('codes.format.length', { count: format.length, n: String(format.length) })];
  if (format.prefix !== '') parts.push(t('codes.format.prefix', { prefix: format.prefix }));
  if (format.suffix !== '') parts.push(t('codes.format.suffix', { suffix: format.suffix }));
  if (format.group !== null) parts.push(t('codes.format.group', { count: format.group, n: String(format.group) }));
  if (format.check_character) parts.push(t('codes.format.check-character'));
  if (format.alphabet !== DEFAULT_ALPHABET) parts.push(t('codes.format.alphabet', { alphabet: format.alphabet }));
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
  if (last === null) return { value: 0, max: 0, label: t('codes.progress.making') };
  if (last.stage === 'generated') {
    return {
      value: 0,
      max: last.codes,
      label: t('codes.progress.made', { count: last.codes, n: formatCount(last.codes, locale) }),
    };
  }
  return {
    value: last.codes,
    max: last.total,
    label: t('codes.progress.saved', {
      saved: formatCount(last.codes, locale),
      totalCount: last.total,
      total: formatCount(last.total, locale),
    }),
  };
}

/** Whole percent of `value` in `max`, as the ProgressBar writes it (0 when max is 0). */
export function percent(value: number, max: number): number {
  return max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 0;
}

/** The statuses a code can have, as the export filter and "Check a code" name them. */
export const CODE_STATUSES = ['unclaimed', 'valid', 'inactive', 'used', 'expired', 'pending'] as const;
export type CodeStatus = (typeof CODE_STATUSES)[number];

/** One of the statuses the page has words for (another one reads as itself). */
export function isCodeStatus(status: string): status is CodeStatus {
  return (CODE_STATUSES as readonly string[]).includes(status);
}

/** A status and what it means: `Unclaimed: no buyer has claimed it yet`. */
export function statusWords(status: string): string {
  return isCodeStatus(status) ? t(`codes.code-status-explained.${status}`) : status;
}

/** A status in a word or two, for a filter: `Valid (claimed)`. */
export function statusLabel(status: string): string {
  return isCodeStatus(status) ? t(`codes.code-status.${status}`) : status;
}

/** How a badge reads: its words and its tone. */
export interface Badge {
  text: string;
  tone: 'ok' | 'warn' | 'error' | 'muted';
}

/**
 * The values of a message that names the store's platform, or says "the platform" when the store
 * has none yet (`known`: `yes` or `no`, for the message's select).
 */
export function platformValues(platform: string | null): { known: 'yes' | 'no'; platform: string } {
  return platform === null ? { known: 'no', platform: '' } : { known: 'yes', platform };
}

/**
 * Where a batch stands on the store's platform (`platform` is its name, null when the store has
 * none), as its badge reads.
 */
export function registrationBadge(batch: CodeBatchView, platform: string | null, locale: string = displayLocale()): Badge {
  const registration = batch.registration;
  const named = platformValues(platform);
  const count = (n: number) => formatCount(n, locale);
  switch (registration.state) {
    case 'not_registered':
      return { text: t('codes.registration.not-registered', named), tone: 'muted' };
    case 'uploading':
      return registration.uploaded === 0
        ? { text: t('codes.registration.next-sync'), tone: 'warn' }
        : {
            text: t('codes.registration.uploading', {
              uploadedCount: registration.uploaded,
              uploaded: count(registration.uploaded),
              total: count(batch.code_count),
            }),
            tone: 'warn',
          };
    case 'registered':
      return { text: t('codes.registration.registered', named), tone: 'ok' };
    case 'refused':
      return {
        text:
          registration.uploaded === 0
            ? t('codes.registration.refused', { ...named, reason: registration.reason })
            : t('codes.registration.refused-after', {
                ...named,
                uploaded: count(registration.uploaded),
                total: count(batch.code_count),
                reason: registration.reason,
              }),
        tone: 'error',
      };
  }
}
