// What the Refunds screen says about a buyer's refund request and about answering it, in words a
// seller reads. Pure: no IPC, no DOM.
import type { CouponOutcomeOutput, RefundPreviewOutput, RefundRequestView } from './bindings';
import { formatCount, formatMoney } from './format';
import { t } from './i18n.svelte';

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
  return reason === '' ? t('refunds.no-reason-given') : reason;
}

export function requestStatus(request: RefundRequestView): RequestStatus {
  const reason = rejectionReason(request);
  if (reason !== null && request.platform_decision !== null) {
    // Typically decided on the platform before the seller's answer reached it.
    return {
      label: t('refunds.status.decided-on-platform-answer-not-taken'),
      tone: 'done',
      open: false,
      next: t('refunds.next.decided-on-platform-answer-refused', { decision: decisionOf(request.platform_decision), reason }),
    };
  }
  if (reason !== null) {
    return {
      label: t('refunds.status.rejected', { reason }),
      tone: 'bad',
      open: false,
      next: t('refunds.next.rejected'),
    };
  }
  if (request.seller_decision === 'approve' || request.seller_decision === 'refuse') {
    const approved = request.seller_decision === 'approve';
    const sent = request.decision_upload === 'sent';
    let label: string;
    if (approved) label = sent ? t('refunds.status.approved-sent') : t('refunds.status.approved-waiting');
    else label = sent ? t('refunds.status.refused-sent') : t('refunds.status.refused-waiting');
    return {
      label,
      tone: sent ? 'done' : 'pending',
      open: false,
      next: sent
        ? t('refunds.next.sent', { decision: decisionOf(request.seller_decision) })
        : t('refunds.next.waiting-to-sync'),
    };
  }
  if (request.platform_decision !== null) {
    return {
      label: t('refunds.status.decided-on-platform'),
      tone: 'done',
      open: false,
      next: t('refunds.next.decided-on-platform', { decision: decisionOf(request.platform_decision) }),
    };
  }
  return {
    label: t('refunds.status.waiting-for-answer'),
    tone: 'waiting',
    open: true,
    next: t('refunds.next.waiting-for-answer'),
  };
}

/** A decision as the messages' selects name it: `approve`, else `refuse`. */
function decisionOf(decision: string): 'approve' | 'refuse' {
  return decision === 'approve' ? 'approve' : 'refuse';
}

/**
 * What the buyer asks for, as the messages' selects name it (`units`, `whole_order`, `amount`), or
 * `other` for a kind this page does not know (then `raw` is shown as it came).
 */
function kindValues(kind: string): { kind: string; raw: string } {
  const known: Record<string, string> = { units: 'units', 'whole order': 'whole_order', amount: 'amount' };
  return { kind: known[kind] ?? 'other', raw: kind };
}

/** What the buyer asks for, in words: `Some items`, `The whole order`, `An amount of money`. */
export function refundKindLabel(kind: string): string {
  return t('refunds.kind', kindValues(kind));
}

/** The list's line under a request: `Some items · order O-1`. */
export function requestSummary(request: RefundRequestView): string {
  return t('refunds.request.kind-of-order', { ...kindValues(request.refund_kind), order: request.order_id });
}

/** The facts of a request, for its panel: what, of which order and payment, and when (`asked`, written). */
export function requestFacts(request: RefundRequestView, asked: string): string {
  return t('refunds.request.facts', {
    ...kindValues(request.refund_kind),
    order: request.order_id,
    payment: request.payment_id,
    asked,
  });
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
  return t('refunds.waiting-summary', { count: waiting, n: formatCount(waiting, locale) });
}

/** The amount the buyer gets back, in the seller's locale. */
export function refundMoney(preview: RefundPreviewOutput, locale?: string): string {
  return formatMoney(preview.refund_amount, preview.currency, locale);
}

/** Whether the refund is full or partial, and what that means for the order. */
export function refundScope(preview: RefundPreviewOutput): string {
  return preview.order_refund === 'full'
    ? t('refunds.scope.full-sentence', { order: preview.order_id })
    : t('refunds.scope.partial-sentence', { order: preview.order_id });
}

/** What approving does to one coupon, from the preview's outcome for it; the core's reason as it came. */
export function couponConsequence(coupon: CouponOutcomeOutput): string {
  const values = { coupon: coupon.coupon_id, reason: coupon.reason };
  if (coupon.issuer === 'seller') {
    return t('refunds.consequence.seller-coupon', { coupon: coupon.coupon_id });
  }
  if (coupon.returned) {
    return coupon.status_after === 'expired'
      ? t('refunds.consequence.platform-coupon-back-expired', values)
      : t('refunds.consequence.platform-coupon-back', values);
  }
  return t('refunds.consequence.platform-coupon-not-back', values);
}

/** What approving the request does, one sentence a line, for the confirmation. */
export function approveConsequences(preview: RefundPreviewOutput, locale?: string): string[] {
  return [
    t('refunds.consequence.buyer-gets', { amount: refundMoney(preview, locale) }),
    refundScope(preview),
    ...preview.coupons.map(couponConsequence),
  ];
}

/** What refusing the request does, for the confirmation. */
export function refuseConsequences(request: RefundRequestView, preview: RefundPreviewOutput | null, locale?: string): string[] {
  return [
    preview
      ? t('refunds.consequence.buyer-gets-nothing', { amount: refundMoney(preview, locale) })
      : t('refunds.consequence.buyer-gets-nothing-unknown'),
    t('refunds.consequence.order-stays', { order: request.order_id }),
  ];
}

/** Said on both confirmations: the answer is final and travels with the next sync. */
export function answerIsFinal(): string {
  return t('refunds.answer-is-final');
}
