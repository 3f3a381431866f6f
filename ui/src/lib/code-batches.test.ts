import { expect, test } from 'vitest';
import {
  formatSummary,
  generationProgress,
  groupByChannel,
  noChannelLabel,
  percent,
  registrationBadge,
  statusLabel,
  statusWords,
  usedChannels,
} from './code-batches';
import type { CodeBatchView } from './bindings';
import { batchView } from './coupon-test-data';

const batches = [
  batchView({ batch_id: 4, channel: 'newsletter', code_count: 500, created_at: '2026-11-23T00:00:00Z' }),
  batchView({ batch_id: 3, channel: null, code_count: 20, created_at: '2026-11-22T00:00:00Z' }),
  batchView({ batch_id: 2, channel: 'facebook', code_count: 2000, created_at: '2026-11-22T00:00:00Z', first_exported_at: '2026-11-22T01:00:00Z' }),
  batchView({ batch_id: 1, channel: 'facebook', code_count: 10000, created_at: '2026-11-21T00:00:00Z' }),
];

test('batches are grouped per channel, channels alphabetically, no channel last, oldest batch first', () => {
  const groups = groupByChannel(batches);
  expect(groups.map((group) => group.label)).toEqual(['facebook', 'newsletter', noChannelLabel()]);
  expect(groups[0]).toMatchObject({ channel: 'facebook', codes: 12000, exportedBatches: 1 });
  expect(groups[0]?.batches.map((batch) => batch.batch_id)).toEqual([1, 2]);
  expect(groups[2]).toMatchObject({ channel: null, codes: 20, exportedBatches: 0 });
  expect(groupByChannel([])).toEqual([]);
});

test('the channels already used, for the suggestions', () => {
  expect(usedChannels(batches)).toEqual(['facebook', 'newsletter']);
});

test("a batch's format in words", () => {
  expect(formatSummary(batchView().format)).toBe('9 characters · prefix WIN · dashes every 4');
  expect(
    formatSummary({ length: 6, prefix: '', suffix: 'NL', group: null, alphabet: 'ABCDEFG', check_character: true }),
  ).toBe('6 characters · suffix NL · check character · alphabet ABCDEFG');
});

test('generation progress: indeterminate until the codes are made, then codes saved of the total', () => {
  expect(generationProgress(null)).toEqual({ value: 0, max: 0, label: 'Making codes…' });
  expect(generationProgress({ stage: 'generated', codes: 100000 }, 'en-US')).toEqual({
    value: 0,
    max: 100000,
    label: 'Made 100,000 codes; saving them…',
  });
  const written = generationProgress({ stage: 'written', codes: 50000, total: 200000 }, 'en-US');
  expect(written).toEqual({ value: 50000, max: 200000, label: 'Saved 50,000 of 200,000 codes' });
  expect(percent(written.value, written.max)).toBe(25);
  expect(percent(1, 3)).toBe(33);
  expect(percent(5, 0)).toBe(0);
  expect(percent(7, 5)).toBe(100);
});

test('status words', () => {
  expect(statusLabel('valid')).toBe('Valid (claimed)');
  expect(statusWords('unclaimed')).toBe('Unclaimed: no buyer has claimed it yet');
  expect(statusWords('mystery')).toBe('mystery');
});

test('where a batch stands on its platform, for each state', () => {
  const check = (registration: CodeBatchView['registration'], text: string, tone: string) =>
    expect(registrationBadge(batchView({ code_count: 3000, registration }), 'Medusa', 'en-US')).toEqual({ text, tone });
  check({ state: 'not_registered' }, 'Not registered on Medusa: for your own use', 'muted');
  check({ state: 'uploading', uploaded: 0 }, 'Goes up with the next sync', 'warn');
  check({ state: 'uploading', uploaded: 2000 }, '2,000 of 3,000 up so far', 'warn');
  check({ state: 'registered' }, 'Registered on Medusa', 'ok');
  check({ state: 'refused', uploaded: 0, reason: 'the coupon is stopped' }, 'Refused by Medusa: the coupon is stopped', 'error');
  check(
    { state: 'refused', uploaded: 1000, reason: 'quantity exceeded' },
    'Refused by Medusa after 1,000 of 3,000: quantity exceeded',
    'error',
  );
});
