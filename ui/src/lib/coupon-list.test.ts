import { describe, expect, test } from 'vitest';
import { couponView, NO_CODES } from './coupon-test-data';
import {
  canStop,
  codeChips,
  couponRow,
  memoFormatter,
  moveInList,
  stateSummary,
} from './coupon-list';

const coupon = couponView;

test('the state summary lists every state in order, zeros included, then unknown ones', () => {
  expect(stateSummary({ stopped: 2, published: 10, draft: 0, pending: 1, rejected: 0 })).toEqual([
    { state: 'draft', label: 'Draft', count: 0 },
    { state: 'pending', label: 'Pending', count: 1 },
    { state: 'published', label: 'Published', count: 10 },
    { state: 'rejected', label: 'Rejected', count: 0 },
    { state: 'stopped', label: 'Stopped', count: 2 },
  ]);
  expect(stateSummary({ archived: 3 }).at(-1)).toEqual({ state: 'archived', label: 'archived', count: 3 });
});

describe('canStop', () => {
  const now = new Date('2026-11-28T12:00:00Z');
  test('a running or future coupon can be stopped', () => {
    expect(canStop(coupon(), now)).toBe(true);
    expect(canStop(coupon({ state: 'draft', valid_from: '2026-12-05T00:00:00Z', valid_to: '2026-12-06T00:00:00Z' }), now)).toBe(true);
  });
  test('a stopped or ended coupon cannot', () => {
    expect(canStop(coupon({ state: 'stopped' }), now)).toBe(false);
    expect(canStop(coupon({ valid_to: '2026-11-28T12:00:00Z' }), now)).toBe(false);
  });
});

test('rows are formatted for the locale, with the rejection reason only for rejected coupons', () => {
  const format = memoFormatter();
  const [published, rejected] = [
    coupon({ codes: { ...NO_CODES, generated: 10000, exported: 2000, used: 3 } }),
    coupon({ coupon_id: 'C2', currency: 'JPY', discount: '300', min_purchase: '2000', state: 'rejected', rejection_reason: 'too generous' }),
  ].map((row) => couponRow(row, format));
  expect(published).toMatchObject({
    id: 'C1',
    discount: '$3.00',
    minPurchase: '$20.00',
    quantity: '50,000',
    stateLabel: 'Published',
    rejectionReason: null,
  });
  expect(published?.validFrom).toMatch(/Nov 2[67], 2026/);
  expect(published?.codes.map((chip) => chip.text)).toEqual(['10,000 generated', '2,000 exported', '3 used']);
  expect(published?.codesText).toBe('10,000 generated · 2,000 exported · 3 used');
  expect(rejected).toMatchObject({ discount: '¥300', stateLabel: 'Rejected', rejectionReason: 'too generous', codes: [] });
  expect(rejected?.codesText).toBe('No codes yet');
});

test('the memo formatter formats each distinct value once', () => {
  const calls = { money: 0, time: 0, count: 0 };
  const memo = memoFormatter({
    money: (amount, currency) => (calls.money++, `${currency} ${amount}`),
    dateTime: (iso) => (calls.time++, iso),
    count: (count) => (calls.count++, String(count)),
  });
  const rows = Array.from({ length: 1000 }, (_, i) => couponRow(coupon({ coupon_id: `C${i}` }), memo));
  expect(rows).toHaveLength(1000);
  expect(rows[999]).toMatchObject({ discount: 'USD 3.00', validTo: '2099-12-01T00:00:00Z', quantity: '50000' });
  expect(calls).toEqual({ money: 2, time: 2, count: 1 });
});

test('legacy pending codes get a chip of their own', () => {
  expect(codeChips({ ...NO_CODES, pending: 2 }, memoFormatter())).toEqual([{ key: 'pending', text: '2 pending' }]);
});

test('arrow keys, page keys, Home and End move through the list', () => {
  const ids = Array.from({ length: 30 }, (_, i) => `C${i}`);
  expect(moveInList(ids, null, 'ArrowDown')).toBe('C0');
  expect(moveInList(ids, 'C0', 'ArrowUp')).toBe('C0');
  expect(moveInList(ids, 'C5', 'ArrowDown')).toBe('C6');
  expect(moveInList(ids, 'C5', 'ArrowUp')).toBe('C4');
  expect(moveInList(ids, 'C25', 'PageDown')).toBe('C29');
  expect(moveInList(ids, 'C15', 'PageUp')).toBe('C5');
  expect(moveInList(ids, 'C15', 'Home')).toBe('C0');
  expect(moveInList(ids, 'C15', 'End')).toBe('C29');
  expect(moveInList(ids, 'C15', 'a')).toBeNull();
  expect(moveInList([], null, 'ArrowDown')).toBeNull();
});
