// Coupons, batches and exports for the tests of the Coupons and Codes screens.
import type { CodeBatchView, CodeCountsView, CouponView, ExportView } from './bindings';

export const NO_CODES: CodeCountsView = {
  generated: 0,
  exported: 0,
  claimed: 0,
  valid: 0,
  inactive: 0,
  used: 0,
  expired: 0,
  pending: 0,
};

export function couponView(change: Partial<CouponView> = {}): CouponView {
  return {
    coupon_id: 'C1',
    store_id: 'S1',
    title: 'Black Friday',
    currency: 'USD',
    discount: '3.00',
    min_purchase: '20.00',
    valid_from: '2026-11-27T00:00:00Z',
    valid_to: '2099-12-01T00:00:00Z',
    quantity: 50000,
    limit_per_buyer: 1,
    state: 'published',
    rejection_reason: null,
    created_at: '2026-11-20T00:00:00Z',
    updated_at: '2026-11-20T00:00:00Z',
    codes: NO_CODES,
    claimed_on_platform: null,
    codes_on_platform: null,
    ...change,
  };
}

export function batchView(change: Partial<CodeBatchView> = {}): CodeBatchView {
  return {
    batch_id: 1,
    store_id: 'S1',
    coupon_id: 'C1',
    channel: 'facebook',
    code_count: 10000,
    format: { length: 9, prefix: 'WIN', suffix: '', group: 4, alphabet: '23456789ABCDEFGHJKMNPQRSTUVWXYZ', check_character: false },
    created_at: '2026-11-21T10:00:00Z',
    first_exported_at: null,
    regenerated_after_collision: 0,
    registration: { state: 'registered' },
    ...change,
  };
}

export function exportView(change: Partial<ExportView> = {}): ExportView {
  return {
    export_id: 1,
    store_id: 'S1',
    coupon_id: 'C1',
    path: '/home/seller/black-friday-facebook-codes.csv',
    channel: 'facebook',
    batch_id: null,
    status: null,
    excel_byte_order_mark: false,
    rows: 10000,
    left_out: 0,
    exported_at: '2026-11-22T09:00:00Z',
    ...change,
  };
}
