// What the Sync screen says: what the seller should do about each change the platform refused,
// and what a sync moved, in the seller's language (read when called). Pure: no IPC, no DOM.
import type { RejectedChangeView, SyncReportView } from './bindings';
import { formatCount } from './format';
import { t } from './i18n.svelte';
import type { ScreenId } from './screens';

export interface AdviceAction {
  label: string;
  screen: ScreenId;
  /** The coupon to open the screen on; none keeps the shell's current one. */
  couponId?: string;
}

export interface Advice {
  /** What was refused, e.g. `New coupon C-7 was refused`. */
  title: string;
  /** What to do about it. */
  advice: string;
  action: AdviceAction | null;
}

/**
 * Advice per kind of change (the outbox kinds of crates/sellerdesk-store/src/sync.rs:
 * create_coupon, stop_coupon, update_coupon_title, upload_code_batch, decide_refund).
 */
export function adviceFor(item: RejectedChangeView): Advice {
  const id = item.subject_id;
  const openCoupon: AdviceAction = { label: t('sync.advice.open-coupon'), screen: 'coupons', couponId: id };
  switch (item.kind) {
    case 'create_coupon':
      return {
        title: t('sync.advice.create-coupon.title', { id }),
        advice: t('sync.advice.create-coupon.advice'),
        action: openCoupon,
      };
    case 'update_coupon_title':
      return {
        title: t('sync.advice.update-coupon-title.title', { id }),
        advice: t('sync.advice.update-coupon-title.advice'),
        action: openCoupon,
      };
    case 'stop_coupon':
      return {
        title: t('sync.advice.stop-coupon.title', { id }),
        advice: t('sync.advice.stop-coupon.advice'),
        action: openCoupon,
      };
    case 'upload_code_batch':
      return {
        title: t('sync.advice.upload-code-batch.title', { id }),
        advice: t('sync.advice.upload-code-batch.advice'),
        action: { label: t('sync.advice.open-codes'), screen: 'codes' },
      };
    case 'decide_refund':
      return {
        title: t('sync.advice.decide-refund.title', { id }),
        advice: t('sync.advice.decide-refund.advice'),
        action: { label: t('sync.advice.open-refunds'), screen: 'refunds' },
      };
    default:
      return {
        title: t('sync.advice.unknown.title', { id }),
        advice: t('sync.advice.unknown.advice'),
        action: null,
      };
  }
}

/** The platform's refusal code in words, or null when there is none to add. */
export function refusalLabel(code: string | null): string | null {
  switch (code) {
    case null:
      return null;
    case 'rule_violation':
      return t('sync.refusal.rule-violation');
    case 'not_found':
      return t('sync.refusal.not-found');
    case 'invalid_request':
      return t('sync.refusal.invalid-request');
    default:
      return t('sync.refusal.other');
  }
}

/** `count` for the message to choose its plural form, `n` for it to show (in the locale). */
function counted(count: number, locale?: string): { count: number; n: string } {
  return { count, n: formatCount(count, locale) };
}

export type ReportTone = 'ok' | 'warn' | 'bad' | 'info';

export interface ReportLine {
  /** Stable key for lists and tests, the report field it comes from. */
  key: keyof SyncReportView | 'nothing';
  text: string;
  tone: ReportTone;
}

/** What a sync moved, one line per kind of thing that moved, in the order it happened. */
export function reportLines(report: SyncReportView, locale?: string): ReportLine[] {
  const lines: ReportLine[] = [];
  const add = (key: ReportLine['key'], count: number, tone: ReportTone, message: string) => {
    if (count > 0) lines.push({ key, tone, text: t(message, counted(count, locale)) });
  };
  add('sent', report.sent, 'ok', 'sync.report.sent');
  add('rejected', report.rejected, 'bad', 'sync.report.rejected');
  add('codes_uploaded', report.codes_uploaded, 'ok', 'sync.report.codes-uploaded');
  add('codes_regenerated', report.codes_regenerated, 'info', 'sync.report.codes-regenerated');
  add('codes_to_withdraw', report.codes_to_withdraw, 'bad', 'sync.report.codes-to-withdraw');
  add('coupons_pulled', report.coupons_pulled, 'info', 'sync.report.coupons-pulled');
  add('code_statuses_pulled', report.code_statuses_pulled, 'info', 'sync.report.code-statuses-pulled');
  add('refund_requests_pulled', report.refund_requests_pulled, 'info', 'sync.report.refund-requests-pulled');
  if (lines.length === 0) {
    lines.push({ key: 'nothing', tone: 'ok', text: t('sync.report.nothing') });
  }
  lines.push(
    report.pending_left === 0
      ? { key: 'pending_left', tone: 'ok', text: t('sync.report.everything-sent') }
      : {
          key: 'pending_left',
          tone: 'warn',
          text: t('sync.report.pending-left', counted(report.pending_left, locale)),
        },
  );
  return lines;
}

/** The pending count on the Sync screen: `Everything is sent` or `3 changes waiting to go up`. */
export function pendingText(pending: number, locale?: string): string {
  if (pending === 0) return t('sync.pending.everything-sent');
  return t('sync.pending.changes-waiting', counted(pending, locale));
}
