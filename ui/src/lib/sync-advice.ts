// What the Sync screen says: what the seller should do about each change the platform refused,
// and what a sync moved, in plain words. Pure: no IPC, no DOM.
import type { RejectedChangeView, SyncReportView } from './bindings';
import { formatCount } from './format';
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
  const openCoupon: AdviceAction = { label: 'Open the coupon', screen: 'coupons', couponId: id };
  switch (item.kind) {
    case 'create_coupon':
      return {
        title: `New coupon ${id} was refused`,
        advice: 'Open the coupon, correct it and it goes up again.',
        action: openCoupon,
      };
    case 'update_coupon_title':
      return {
        title: `The new title of coupon ${id} was refused`,
        advice:
          'Once what refused it has changed on the platform, send it again. Or open the coupon and give it another title.',
        action: openCoupon,
      };
    case 'stop_coupon':
      return {
        title: `Stopping coupon ${id} was refused`,
        advice:
          'The coupon may still be running on the platform. Once what refused the stop has changed there, send it again; open the coupon to see where it stands.',
        action: openCoupon,
      };
    case 'upload_code_batch':
      return {
        title: `Batch ${id} of codes was refused`,
        advice:
          'Its codes that did not go up are not on the platform, so buyers cannot use them: exports leave them out, do not hand them out. Once the coupon takes them on the platform, send the batch again; or make a new batch within what the coupon still takes.',
        action: { label: 'Open Codes', screen: 'codes' },
      };
    case 'decide_refund':
      return {
        title: `Your answer to refund request ${id} was refused`,
        advice: 'The platform did not take your answer. Look the request up on the platform and settle it there.',
        action: { label: 'Open Refunds', screen: 'refunds' },
      };
    default:
      return {
        title: `A change to ${id} was refused`,
        advice: 'This version of Seller Desk cannot correct this change. Update Seller Desk, then sync again.',
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
      return 'Against the platform’s rules';
    case 'not_found':
      return 'Unknown to the platform';
    case 'invalid_request':
      return 'The platform could not read it';
    default:
      return 'Refused by the platform';
  }
}

function counted(count: number, one: string, many: string, locale?: string): string {
  return count === 1 ? `1 ${one}` : `${formatCount(count, locale)} ${many}`;
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
  const add = (key: ReportLine['key'], count: number, tone: ReportTone, text: (count: number) => string) => {
    if (count > 0) lines.push({ key, tone, text: text(count) });
  };
  add('sent', report.sent, 'ok', (n) => `${counted(n, 'change', 'changes', locale)} sent to the platform`);
  add('rejected', report.rejected, 'bad', (n) =>
    `${counted(n, 'change was', 'changes were', locale)} refused by the platform: see below what to do`,
  );
  add('codes_uploaded', report.codes_uploaded, 'ok', (n) => `${counted(n, 'code', 'codes', locale)} uploaded`);
  add('codes_regenerated', report.codes_regenerated, 'info', (n) =>
    `${counted(n, 'code was', 'codes were', locale)} already taken on the platform and made again (not handed out yet, so nothing to tell buyers)`,
  );
  add('codes_to_withdraw', report.codes_to_withdraw, 'bad', (n) =>
    n === 1
      ? '1 code you handed out belongs to another seller on the platform: withdraw it (see below)'
      : `${formatCount(n, locale)} codes you handed out belong to another seller on the platform: withdraw them (see below)`,
  );
  add('coupons_pulled', report.coupons_pulled, 'info', (n) =>
    `${counted(n, 'coupon update', 'coupon updates', locale)} received`,
  );
  add('code_statuses_pulled', report.code_statuses_pulled, 'info', (n) =>
    `${counted(n, 'code was', 'codes were', locale)} claimed, used or expired by buyers`,
  );
  add('refund_requests_pulled', report.refund_requests_pulled, 'info', (n) =>
    `${counted(n, 'refund request', 'refund requests', locale)} received`,
  );
  if (lines.length === 0) {
    lines.push({ key: 'nothing', tone: 'ok', text: 'Nothing new: Seller Desk and the platform already agreed.' });
  }
  lines.push(
    report.pending_left === 0
      ? { key: 'pending_left', tone: 'ok', text: 'Everything is sent.' }
      : {
          key: 'pending_left',
          tone: 'warn',
          text: `${counted(report.pending_left, 'change still waits', 'changes still wait', locale)} for the next sync`,
        },
  );
  return lines;
}

/** The pending count on the Sync screen: `Everything is sent` or `3 changes waiting to go up`. */
export function pendingText(pending: number, locale?: string): string {
  if (pending === 0) return 'Everything is sent';
  return `${counted(pending, 'change', 'changes', locale)} waiting to go up`;
}
