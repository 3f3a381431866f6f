import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { Channel } from '@tauri-apps/api/core';
import { afterEach, expect, test } from 'vitest';
import type { ExportProgress } from './bindings';
import {
  ALL_CODES,
  describeExportFilter,
  exportFileName,
  exportProgress,
  exportRequest,
  outcomeOfFailure,
  startExport,
} from './code-export';
import { exportView } from './coupon-test-data';

afterEach(() => clearMocks());

test('the request a scope describes', () => {
  expect(exportRequest('S1', 'C1', { channel: 'facebook', batchId: 3, status: 'unclaimed', excel: true })).toEqual({
    store_id: 'S1',
    coupon_id: 'C1',
    channel: 'facebook',
    batch_id: 3,
    status: 'unclaimed',
    excel_byte_order_mark: true,
  });
});

test('the suggested file name', () => {
  expect(exportFileName('Black Friday!', 'C1', ALL_CODES)).toBe('black-friday-codes.csv');
  expect(exportFileName('Black Friday', 'C1', { ...ALL_CODES, channel: 'facebook', status: 'unclaimed' })).toBe(
    'black-friday-facebook-unclaimed-codes.csv',
  );
  expect(exportFileName('Été façile', 'C1', { ...ALL_CODES, batchId: 7 })).toBe('ete-facile-batch-7-codes.csv');
  expect(exportFileName('★★★', 'C9XY', ALL_CODES)).toBe('c9xy-codes.csv');
});

test('an earlier export’s filter in words', () => {
  expect(describeExportFilter(exportView({ channel: null }))).toBe('All codes');
  expect(describeExportFilter(exportView({ batch_id: 3, status: 'unclaimed', excel_byte_order_mark: true }))).toBe(
    'facebook · batch #3 · unclaimed · for Excel',
  );
});

test('export progress', () => {
  expect(exportProgress(null)).toEqual({ value: 0, max: 0, label: 'Starting the export…' });
  expect(exportProgress({ rows_written: 20000, rows_total: 80000 }, 'en-US')).toEqual({
    value: 20000,
    max: 80000,
    label: 'Wrote 20,000 of 80,000 codes',
  });
});

test('a cancelled export is an outcome of its own, not an error', () => {
  expect(outcomeOfFailure({ code: 'cancelled', message: 'cancelled', field: null, rule: null })).toEqual({ kind: 'cancelled' });
  const io = { code: 'io', message: 'disk full', field: null, rule: null };
  expect(outcomeOfFailure(io)).toEqual({ kind: 'failed', error: io });
  expect(outcomeOfFailure(new Error('boom'))).toMatchObject({ kind: 'failed', error: { code: 'internal', message: 'boom' } });
});

test('an export run: progress on the channel, the view at the end, null when the dialog was closed', async () => {
  const seen: ExportProgress[] = [];
  let call: Record<string, unknown> = {};
  mockIPC((cmd, args) => {
    if (cmd !== 'export_codes') throw new Error(cmd);
    call = args as Record<string, unknown>;
    const channel = call.onProgress as Channel<ExportProgress>;
    channel.onmessage({ rows_written: 5, rows_total: 10 });
    return exportView({ rows: 10 });
  });
  const run = startExport(exportRequest('S1', 'C1', ALL_CODES), 'x.csv', (p) => seen.push(p));
  expect(await run.done).toEqual({ kind: 'exported', view: exportView({ rows: 10 }) });
  expect(seen).toEqual([{ rows_written: 5, rows_total: 10 }]);
  expect(call).toMatchObject({ suggestedName: 'x.csv', jobId: run.jobId });

  clearMocks();
  mockIPC(() => null);
  expect(await startExport(exportRequest('S1', 'C1', ALL_CODES), 'x.csv', () => {}).done).toEqual({ kind: 'dismissed' });
});

test('cancel before the job exists is sent again with the first progress message', async () => {
  const cancels: string[] = [];
  let jobExists = false;
  let finish: (value: unknown) => void = () => {};
  let channel: Channel<ExportProgress> | null = null;
  mockIPC((cmd, args) => {
    const a = args as Record<string, unknown>;
    if (cmd === 'cancel_job') {
      cancels.push(a.jobId as string);
      return jobExists;
    }
    channel = a.onProgress as Channel<ExportProgress>;
    return new Promise((resolve) => (finish = resolve));
  });
  const run = startExport(exportRequest('S1', 'C1', ALL_CODES), 'x.csv', () => {});
  await Promise.resolve();
  run.cancel();
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(cancels).toEqual([run.jobId]);
  jobExists = true;
  channel!.onmessage({ rows_written: 1, rows_total: 10 });
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(cancels).toEqual([run.jobId, run.jobId]);
  // Once delivered, later messages send nothing more.
  channel!.onmessage({ rows_written: 2, rows_total: 10 });
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(cancels).toHaveLength(2);
  finish(null);
  await run.done;
});
