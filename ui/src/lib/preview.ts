// Words for the parts of a §8 output that are codes. Amounts are never touched.
import type { CouponOutcomeOutput, IssuerKind } from './bindings';

export function issuerLabel(issuer: IssuerKind): string {
  return issuer === 'seller' ? 'Seller coupon' : 'Platform coupon';
}

/** A two-word verdict for a coupon's card; the core's reason sentence says why. */
export function verdict(coupon: CouponOutcomeOutput): string {
  if (!coupon.returned) return 'Stays used';
  return coupon.status_after === 'expired' ? 'Returned, expired' : 'Returned';
}
