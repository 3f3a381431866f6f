// The §8 example payment of coupon-rules.md and the outputs the core gives for it (worked out
// by hand: seller coupon s1-5 takes 2.00 off line a; platform coupon ae-7 splits 5.00 over
// a 18.00 : c 30.00 = 1.875 : 3.125 → 1.87/3.12 + the leftover cent to a (tie, a first) →
// a 1.88, c 3.12; a paid 16.12 = 8.06 per unit).
import type { CommandError, ExamplePayment, RefundPreviewOutput } from '../lib/bindings';

export const EXAMPLES: ExamplePayment[] = [
  { id: 'combined-cart', title: 'Combined cart: two stores, a seller and a platform coupon (USD)' },
  { id: 'yen-two-stores-expired', title: 'Two stores in yen, platform coupon returned after it expired (JPY)' },
];

export function examplePayment(): Record<string, unknown> {
  return {
    payment_id: 'P-1001',
    currency: 'USD',
    paid_at: '2026-11-20T10:00:00Z',
    as_of: '2026-11-24T12:00:00Z',
    orders: [
      {
        order_id: 'A1',
        store_id: 'S1',
        lines: [
          { line_id: 'a', unit_price: '10.00', quantity: 2, regular_price: true },
          { line_id: 'b', unit_price: '15.00', quantity: 1, regular_price: false },
        ],
      },
      {
        order_id: 'B1',
        store_id: 'S2',
        lines: [{ line_id: 'c', unit_price: '30.00', quantity: 1, regular_price: true }],
      },
    ],
    coupons: [
      {
        coupon_id: 's1-5',
        issuer: 'seller',
        store_id: 'S1',
        discount: '2.00',
        min_purchase: '10.00',
        valid_from: '2026-11-01T00:00:00Z',
        valid_to: '2026-12-01T00:00:00Z',
        via_code: true,
      },
      {
        coupon_id: 'ae-7',
        issuer: 'platform',
        discount: '5.00',
        min_purchase: '40.00',
        valid_from: '2026-11-01T00:00:00Z',
        valid_to: '2026-11-22T00:00:00Z',
        via_code: true,
      },
    ],
    prior_refunds: [],
    refund: { order_id: 'A1', lines: [{ line_id: 'a', quantity: 1 }] },
  };
}

export const SELLER_REASON =
  'A seller coupon is never returned after a refund, partial or full, so it stays used.';
export const PARTLY_REASON =
  'Order A1 is only partly refunded, and a platform coupon comes back only when every order that used it is fully refunded.';

export function onePreview(): RefundPreviewOutput {
  return {
    payment_id: 'P-1001',
    order_id: 'A1',
    currency: 'USD',
    refund_amount: '8.06',
    order_refund: 'partial',
    lines: [{ line_id: 'a', quantity: 1, amount: '8.06' }],
    allocation: [
      { line_id: 'a', seller_discount: '2.00', platform_discount: '1.88', paid: '16.12' },
      { line_id: 'b', seller_discount: '0.00', platform_discount: '0.00', paid: '15.00' },
    ],
    coupons: [
      {
        coupon_id: 's1-5',
        issuer: 'seller',
        returned: false,
        code_returned: false,
        status_after: 'used',
        reason: SELLER_REASON,
      },
      {
        coupon_id: 'ae-7',
        issuer: 'platform',
        returned: false,
        code_returned: false,
        status_after: 'used',
        reason: PARTLY_REASON,
      },
    ],
  };
}

export const TOO_MANY_UNITS: CommandError = {
  code: 'invalid_input',
  message: 'refund.lines[0].quantity: 3 units asked, line a has 2 left [REFUND-3]',
  field: 'refund.lines[0].quantity',
  rule: 'REFUND-3',
  reason: 'units_left',
  params: { line: 'a', left: '2', asked: '3' },
};
