import { expect, test } from 'vitest';
import { issuerLabel, verdict } from './preview';
import { onePreview } from '../test/fixtures';

test('issuerLabel', () => {
  expect(issuerLabel('seller')).toBe('Seller coupon');
  expect(issuerLabel('platform')).toBe('Platform coupon');
});

test('verdict follows returned and status_after, never the reason text', () => {
  const coupon = onePreview().coupons[1]!;
  expect(verdict(coupon)).toBe('Stays used');
  expect(verdict({ ...coupon, returned: true, status_after: 'valid' })).toBe('Returned');
  expect(verdict({ ...coupon, returned: true, status_after: 'expired' })).toBe('Returned, expired');
});
