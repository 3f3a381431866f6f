import { describe, expect, test } from 'vitest';
import { couponScope, describeRefund, parsePaymentText, readPayment, readRefundRequest } from './payment';
import { examplePayment } from '../test/fixtures';

function withChange(change: (p: Record<string, any>) => void): Record<string, unknown> {
  const payment = examplePayment() as Record<string, any>;
  change(payment);
  return payment;
}

describe('readPayment', () => {
  test('reads the §8 example', () => {
    const read = readPayment(examplePayment(), 'Example');
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const p = read.payment;
    expect(p.source).toBe('Example');
    expect(p.paymentId).toBe('P-1001');
    expect(p.currency).toBe('USD');
    expect(p.asOf).toBe('2026-11-24T12:00:00Z');
    expect(p.orders.map((o) => o.order_id)).toEqual(['A1', 'B1']);
    expect(p.orders[0]?.lines[1]).toEqual({
      line_id: 'b',
      unit_price: '15.00',
      quantity: 1,
      regular_price: false,
    });
    expect(p.coupons.map((c) => c.coupon_id)).toEqual(['s1-5', 'ae-7']);
    expect(p.coupons[1]?.store_id).toBeUndefined();
    expect(p.refund).toEqual({ order_id: 'A1', lines: [{ line_id: 'a', quantity: 1 }] });
    expect(p.raw).toEqual(examplePayment());
  });

  test('as_of, coupons, prior_refunds and refund may be left out', () => {
    const read = readPayment(
      withChange((p) => {
        delete p.as_of;
        delete p.coupons;
        delete p.prior_refunds;
        delete p.refund;
      }),
      'f.json',
    );
    expect(read.ok && read.payment.asOf).toBeNull();
    expect(read.ok && read.payment.coupons).toEqual([]);
    expect(read.ok && read.payment.refund).toBeNull();
  });

  test.each([
    ['no orders', (p: any) => delete p.orders, 'orders: expected a list'],
    ['empty orders', (p: any) => (p.orders = []), 'orders: a payment has at least one order'],
    ['numeric price', (p: any) => (p.orders[0].lines[1].unit_price = 15), 'orders[0].lines[1].unit_price: expected a string'],
    ['fractional quantity', (p: any) => (p.orders[1].lines[0].quantity = 1.5), 'orders[1].lines[0].quantity: expected a whole number'],
    ['pricing flag', (p: any) => (p.orders[0].lines[0].regular_price = 'yes'), 'orders[0].lines[0].regular_price: expected true or false'],
    ['issuer', (p: any) => (p.coupons[1].issuer = 'bank'), 'coupons[1].issuer: expected "seller" or "platform"'],
    ['payment id', (p: any) => (p.payment_id = 7), 'payment_id: expected a string'],
  ])('names the field when the shape is wrong: %s', (_name, change, message) => {
    expect(readPayment(withChange(change), 'f.json')).toEqual({ ok: false, message });
  });

  test('a payment is an object', () => {
    expect(readPayment([1, 2], 'f.json')).toEqual({ ok: false, message: 'payment: expected an object' });
  });
});

describe('parsePaymentText', () => {
  test('parses JSON text', () => {
    const read = parsePaymentText(JSON.stringify(examplePayment()), 'payment.json');
    expect(read.ok && read.payment.source).toBe('payment.json');
  });

  test('says when the text is not JSON', () => {
    const read = parsePaymentText('{ "payment_id": ', 'broken.json');
    expect(read.ok).toBe(false);
    expect(!read.ok && read.message).toMatch(/^The file is not JSON: /);
  });
});

describe('readRefundRequest', () => {
  test('knows the three shapes', () => {
    expect(readRefundRequest({ order_id: 'A1', full: true })).toEqual({ order_id: 'A1', full: true });
    expect(readRefundRequest({ order_id: 'A1', amount: '4.00' })).toEqual({ order_id: 'A1', amount: '4.00' });
    expect(readRefundRequest({ order_id: 'A1', lines: [{ line_id: 'a', quantity: 2 }] })).toEqual({
      order_id: 'A1',
      lines: [{ line_id: 'a', quantity: 2 }],
    });
  });

  test('anything else is no default refund', () => {
    expect(readRefundRequest(undefined)).toBeNull();
    expect(readRefundRequest({ full: true })).toBeNull();
    expect(readRefundRequest({ order_id: 'A1', full: false })).toBeNull();
  });
});

test('couponScope says who issued a coupon', () => {
  const read = readPayment(examplePayment(), 'x');
  if (!read.ok) throw new Error(read.message);
  expect(read.payment.coupons.map(couponScope)).toEqual(['Seller coupon of store S1', 'Platform coupon']);
});

test('describeRefund says what an earlier refund took', () => {
  expect(describeRefund({ order_id: 'A1', lines: [{ line_id: 'a', quantity: 2 }, { line_id: 'b', quantity: 1 }] })).toBe(
    'Order A1: 2 × a, 1 × b',
  );
  expect(describeRefund({ order_id: 'O1', full: true })).toBe('Order O1: whole order');
  expect(describeRefund({ order_id: 'A1', amount: '4.00' })).toBe('Order A1: 4.00');
  expect(describeRefund('nonsense')).toMatch(/^Not a refund this page can read/);
});
