// Words for the parts of a §8 output that are codes. Amounts are never touched.
import type { CouponOutcomeOutput, CouponStatus, IssuerKind } from './bindings';
import { t } from './i18n.svelte';

export function issuerLabel(issuer: IssuerKind): string {
  return issuer === 'seller' ? t('refunds.issuer.seller') : t('refunds.issuer.platform');
}

/** A two-word verdict for a coupon's card; the core's reason sentence says why. */
export function verdict(coupon: CouponOutcomeOutput): string {
  if (!coupon.returned) return t('refunds.verdict.stays-used');
  return coupon.status_after === 'expired' ? t('refunds.verdict.returned-expired') : t('refunds.verdict.returned');
}

/** A coupon's status after the refund, in words (`used`, `valid`…). */
export function statusAfterLabel(status: CouponStatus): string {
  return t('refunds.coupon-status', { status });
}
