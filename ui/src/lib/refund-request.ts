// What the Refunds screen says about a buyer's refund request and about answering it, in words a
// seller reads. Pure: no IPC, no DOM.
import type { CouponOutcomeOutput, RefundPreviewOutput, RefundRequestView } from './bindings';
import { formatCount, formatMoney } from './format';

/** How a status is drawn: waiting (needs the seller), pending (goes with the next sync), done, bad. */
export type RequestTone = 'waiting' | 'pending' | 'done' | 'bad';

export interface RequestStatus {
  /** The status as the list shows it, e.g. `Approved — waiting to sync`. */
  label: string;
  tone: RequestTone;
  /** Whether the seller can still answer the request here. */
  open: boolean;
  /** One sentence on where the request stands and what happens next. */
  next: string;
}

/** The platform's reason, when it refused the seller's answer (`rejected: <reason>`). */
export function rejectionReason(request: RefundRequestView): string | null {
  const upload = request.decision_upload;
  if (upload === null || !upload.startsWith('rejected')) return null;
  const reason = upload.replace(/^rejected:?\s*/, '').trim();
  return reason === '' ? 'no reason given' : reason;
}

export function requestStatus(request: RefundRequestView): RequestStatus {
  const reason = rejectionReason(request);
  if (reason !== null && request.platform_decision !== null) {
    // Typically decided on the platform before the seller's answer reached it.
    const approved = request.platform_decision === 'approve';
    return {
      label: 'Decided on the platform — your answer was not taken',
      tone: 'done',
      open: false,
      next: `This request was ${approved ? 'approved' : 'refused'} on the platform, which refused your answer (${reason}); there is nothing left to answer.`,
    };
  }
  if (reason !== null) {
    return {
      label: `Rejected by the platform: ${reason}`,
      tone: 'bad',
      open: false,
      next: 'The platform did not take your answer. Look the request up on the platform and settle it there.',
    };
  }
  if (request.seller_decision === 'approve' || request.seller_decision === 'refuse') {
    const approved = request.seller_decision === 'approve';
    const sent = request.decision_upload === 'sent';
    return {
      label: `${approved ? 'Approved' : 'Refused'} — ${sent ? 'sent' : 'waiting to sync'}`,
      tone: sent ? 'done' : 'pending',
      open: false,
      next: sent
        ? `The platform has your answer: the refund is ${approved ? 'approved' : 'refused'}.`
        : 'Your answer goes to the platform with the next sync.',
    };
  }
  if (request.platform_decision !== null) {
    const approved = request.platform_decision === 'approve';
    return {
      label: 'Decided on the platform',
      tone: 'done',
      open: false,
      next: `This request was ${approved ? 'approved' : 'refused'} on the platform; there is nothing left to answer.`,
    };
  }
  return {
    label: 'Waiting for your answer',
    tone: 'waiting',
    open: true,
    next: 'Check what the refund gives back, then approve or refuse it.',
  };
}

/** What the buyer asks for, in words: `Some items`, `The whole order`, `An amount of money`. */
export function refundKindLabel(kind: string): string {
  switch (kind) {
    case 'units':
      return 'Some items';
    case 'whole order':
      return 'The whole order';
    case 'amount':
      return 'An amount of money';
    default:
      return kind;
  }
}

/** Requests waiting for an answer first, then the newest first. */
export function sortRequests(requests: RefundRequestView[]): RefundRequestView[] {
  return [...requests].sort((a, b) => {
    const open = Number(requestStatus(b).open) - Number(requestStatus(a).open);
    if (open !== 0) return open;
    return Date.parse(b.requested_at) - Date.parse(a.requested_at);
  });
}

/** `2 requests wait for your answer`, or null when none does. */
export function waitingSummary(requests: RefundRequestView[], locale?: string): string | null {
  const waiting = requests.filter((request) => requestStatus(request).open).length;
  if (waiting === 0) return null;
  return waiting === 1
    ? '1 request waits for your answer'
    : `${formatCount(waiting, locale)} requests wait for your answer`;
}

/** The amount the buyer gets back, in the seller's locale. */
export function refundMoney(preview: RefundPreviewOutput, locale?: string): string {
  return formatMoney(preview.refund_amount, preview.currency, locale);
}

/** Whether the refund is full or partial, and what that means for the order. */
export function refundScope(preview: RefundPreviewOutput): string {
  return preview.order_refund === 'full'
    ? `Full refund: order ${preview.order_id} is refunded in full after this.`
    : `Partial refund: order ${preview.order_id} is not refunded in full after this.`;
}

/** What approving does to one coupon, from the preview's outcome for it. */
export function couponConsequence(coupon: CouponOutcomeOutput): string {
  if (coupon.issuer === 'seller') {
    return `Your seller coupon ${coupon.coupon_id} does not come back: a seller coupon never comes back, even after a full refund.`;
  }
  if (coupon.returned) {
    const state = coupon.status_after === 'expired' ? 'comes back, but already expired' : 'comes back to the buyer';
    return `The platform coupon ${coupon.coupon_id} ${state}. ${coupon.reason}`;
  }
  return `The platform coupon ${coupon.coupon_id} does not come back. ${coupon.reason}`;
}

/** What approving the request does, one sentence a line, for the confirmation. */
export function approveConsequences(preview: RefundPreviewOutput, locale?: string): string[] {
  return [
    `The buyer gets ${refundMoney(preview, locale)} back.`,
    refundScope(preview),
    ...preview.coupons.map(couponConsequence),
  ];
}

/** What refusing the request does, for the confirmation. */
export function refuseConsequences(request: RefundRequestView, preview: RefundPreviewOutput | null, locale?: string): string[] {
  return [
    preview
      ? `The buyer gets nothing back: the ${refundMoney(preview, locale)} asked for is not refunded.`
      : 'The buyer gets nothing back from this request.',
    `Order ${request.order_id} and its coupons stay as they are.`,
  ];
}

/** Said on both confirmations: the answer is final and travels with the next sync. */
export const ANSWER_IS_FINAL =
  'Your answer goes to the platform with the next sync, and you cannot change it afterwards.';
