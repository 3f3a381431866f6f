// Exporting codes to CSV: the request a filter describes, the name the save dialog suggests, how
// far an export is, how an earlier export's filter reads, and one export run with its Cancel.
// The Rust side opens the save dialog; the page never sees or names a path before it is chosen.
import { Channel } from '@tauri-apps/api/core';
import { commands, type CommandError, type ExportProgress, type ExportRequest, type ExportView } from './bindings';
import { isCodeStatus, type Progress } from './code-batches';
import { isCommandError, toCommandError } from './ipc';
import { displayLocale } from './coupon-format';
import { formatCount } from './format';
import { t } from './i18n.svelte';
import { newJobId } from './jobs';

/** Which codes to export, as the filters (or a batch's or channel's button) choose them. */
export interface ExportScope {
  channel: string | null;
  batchId: number | null;
  status: string | null;
  excel: boolean;
}

export const ALL_CODES: ExportScope = { channel: null, batchId: null, status: null, excel: false };

export function exportRequest(storeId: string, couponId: string, scope: ExportScope): ExportRequest {
  return {
    store_id: storeId,
    coupon_id: couponId,
    channel: scope.channel,
    batch_id: scope.batchId,
    status: scope.status,
    excel_byte_order_mark: scope.excel,
  };
}

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}

/** The file name the save dialog suggests: `black-friday-facebook-unclaimed-codes.csv`. */
export function exportFileName(couponTitle: string, couponId: string, scope: ExportScope): string {
  const parts = [slug(couponTitle) || slug(couponId) || 'coupon'];
  if (scope.channel !== null) parts.push(slug(scope.channel));
  if (scope.batchId !== null) parts.push(`batch-${scope.batchId}`);
  if (scope.status !== null) parts.push(slug(scope.status));
  parts.push('codes');
  return `${parts.filter((part) => part !== '').join('-')}.csv`;
}

/** An earlier export's filter in words: `facebook · batch #3 · unclaimed · for Excel`. */
export function describeExportFilter(view: Pick<ExportView, 'channel' | 'batch_id' | 'status' | 'excel_byte_order_mark'>): string {
  const parts: string[] = [];
  if (view.channel !== null) parts.push(view.channel);
  if (view.batch_id !== null) parts.push(t('codes.filter.batch', { batch: String(view.batch_id) }));
  if (view.status !== null) parts.push(isCodeStatus(view.status) ? t(`codes.filter.status.${view.status}`) : view.status);
  if (parts.length === 0) parts.push(t('codes.filter.all'));
  if (view.excel_byte_order_mark) parts.push(t('codes.filter.for-excel'));
  return parts.join(' · ');
}

/** How far an export is (null before its first message: the save dialog may still be open). */
export function exportProgress(last: ExportProgress | null, locale: string = displayLocale()): Progress {
  if (last === null) return { value: 0, max: 0, label: t('codes.export.starting') };
  return {
    value: last.rows_written,
    max: last.rows_total,
    label: t('codes.export.progress', {
      written: formatCount(last.rows_written, locale),
      totalCount: last.rows_total,
      total: formatCount(last.rows_total, locale),
    }),
  };
}

export type ExportOutcome =
  | { kind: 'exported'; view: ExportView }
  /** The seller closed the save dialog: nothing to say. */
  | { kind: 'dismissed' }
  | { kind: 'cancelled' }
  | { kind: 'failed'; error: CommandError };

/** The outcome of a rejected export: a cancellation is not an error. */
export function outcomeOfFailure(rejection: unknown): ExportOutcome {
  const error = isCommandError(rejection) ? rejection : toCommandError(rejection);
  return error.code === 'cancelled' ? { kind: 'cancelled' } : { kind: 'failed', error };
}

export interface ExportRun {
  jobId: string;
  /** Resolves with the outcome; never rejects. */
  done: Promise<ExportOutcome>;
  /** Asks the export to stop; the file is left as it was. */
  cancel(): void;
}


/**
 * Starts an export. Cancel before the job exists on the Rust side (while the save dialog is open,
 * `cancel_job` finds no job) is remembered and sent again with the first progress message.
 */
export function startExport(
  request: ExportRequest,
  suggestedName: string,
  onprogress: (progress: ExportProgress) => void,
): ExportRun {
  const jobId = newJobId('export');
  let cancelRequested = false;
  let cancelDelivered = false;

  const deliverCancel = () => {
    commands
      .cancelJob(jobId)
      .then((found) => {
        if (found) cancelDelivered = true;
      })
      .catch(() => undefined);
  };

  const channel = new Channel<ExportProgress>();
  channel.onmessage = (progress) => {
    onprogress(progress);
    if (cancelRequested && !cancelDelivered) deliverCancel();
  };

  const done = commands.exportCodes(request, suggestedName, jobId, channel).then(
    (view): ExportOutcome => (view === null ? { kind: 'dismissed' } : { kind: 'exported', view }),
    outcomeOfFailure,
  );

  return {
    jobId,
    done,
    cancel() {
      cancelRequested = true;
      deliverCancel();
    },
  };
}
