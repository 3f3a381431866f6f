import { describe, expect, test } from 'vitest';
import { readPayment, type LoadedPayment } from './payment';
import { buildPreviewInput, buildRefundRequest, initialForm, selectOrder, type RefundForm } from './refund-form';
import { examplePayment } from '../test/fixtures';

function load(change?: (p: Record<string, any>) => void): LoadedPayment {
  const json = examplePayment() as Record<string, any>;
  change?.(json);
  const read = readPayment(json, 'Example');
  if (!read.ok) throw new Error(read.message);
  return read.payment;
}

describe('initialForm', () => {
  test("starts from the payment's own unit refund", () => {
    expect(initialForm(load())).toEqual({ orderId: 'A1', kind: 'lines', units: { a: 1, b: 0 }, amount: '' });
  });

  test('starts from a whole-order refund', () => {
    const form = initialForm(load((p) => (p.refund = { order_id: 'B1', full: true })));
    expect(form).toEqual({ orderId: 'B1', kind: 'full', units: { c: 0 }, amount: '' });
  });

  test('starts from an amount refund', () => {
    const form = initialForm(load((p) => (p.refund = { order_id: 'A1', amount: '4.00' })));
    expect(form).toMatchObject({ orderId: 'A1', kind: 'amount', amount: '4.00' });
  });

  test('without a refund (or one naming no order of the payment): units of the first order', () => {
    const expected = { orderId: 'A1', kind: 'lines', units: { a: 0, b: 0 }, amount: '' };
    expect(initialForm(load((p) => delete p.refund))).toEqual(expected);
    expect(initialForm(load((p) => (p.refund = { order_id: 'Z9', full: true })))).toEqual(expected);
  });
});

describe('selectOrder', () => {
  test('resets the units to the new order and keeps the kind', () => {
    const payment = load();
    const form: RefundForm = { orderId: 'A1', kind: 'amount', units: { a: 2, b: 1 }, amount: '3.00' };
    expect(selectOrder(payment, form, 'B1')).toEqual({ orderId: 'B1', kind: 'amount', units: { c: 0 }, amount: '3.00' });
  });
});

describe('buildRefundRequest', () => {
  const payment = load();
  const form = (f: Partial<RefundForm>): RefundForm => ({
    orderId: 'A1',
    kind: 'lines',
    units: { a: 0, b: 0 },
    amount: '',
    ...f,
  });

  test('units: the lines with units, in the order of the order', () => {
    expect(buildRefundRequest(payment, form({ units: { b: 1, a: 2 } }))).toEqual({
      ok: true,
      refund: { order_id: 'A1', lines: [{ line_id: 'a', quantity: 2 }, { line_id: 'b', quantity: 1 }] },
    });
  });

  test('units: empty inputs count as zero; more than bought is for the core to refuse', () => {
    expect(buildRefundRequest(payment, form({ units: { a: null, b: 5 } }))).toEqual({
      ok: true,
      refund: { order_id: 'A1', lines: [{ line_id: 'b', quantity: 5 }] },
    });
  });

  test('units: nothing chosen, or not a whole number', () => {
    expect(buildRefundRequest(payment, form({}))).toEqual({ ok: false, problem: 'Choose at least one unit to refund.' });
    expect(buildRefundRequest(payment, form({ units: { a: 1.5, b: 0 } }))).toEqual({
      ok: false,
      problem: 'Units of line a must be a whole number.',
    });
    expect(buildRefundRequest(payment, form({ units: { a: -1, b: 0 } }))).toEqual({
      ok: false,
      problem: 'Units of line a must be a whole number.',
    });
  });

  test('whole order', () => {
    expect(buildRefundRequest(payment, form({ kind: 'full', orderId: 'B1' }))).toEqual({
      ok: true,
      refund: { order_id: 'B1', full: true },
    });
  });

  test('amount: sent as typed (trimmed), never parsed as a number', () => {
    expect(buildRefundRequest(payment, form({ kind: 'amount', amount: ' 4.10 ' }))).toEqual({
      ok: true,
      refund: { order_id: 'A1', amount: '4.10' },
    });
    // The core says whether "4.1" or "1e3" is an amount; the page does not guess.
    expect(buildRefundRequest(payment, form({ kind: 'amount', amount: '1e3' }))).toEqual({
      ok: true,
      refund: { order_id: 'A1', amount: '1e3' },
    });
    expect(buildRefundRequest(payment, form({ kind: 'amount', amount: '  ' }))).toEqual({
      ok: false,
      problem: 'Enter the amount to refund.',
    });
  });

  test('an order that is not in the payment', () => {
    expect(buildRefundRequest(payment, form({ orderId: 'Z9' }))).toEqual({ ok: false, problem: 'Choose the order to refund.' });
  });
});

test('buildPreviewInput keeps everything of the payment and replaces only its refund', () => {
  const payment = load((p) => (p.prior_refunds = [{ order_id: 'B1', amount: '1.00' }]));
  const input = buildPreviewInput(payment, { order_id: 'A1', full: true });
  expect(input).toEqual({
    ...examplePayment(),
    prior_refunds: [{ order_id: 'B1', amount: '1.00' }],
    refund: { order_id: 'A1', full: true },
  });
  expect(payment.raw.refund).toEqual({ order_id: 'A1', lines: [{ line_id: 'a', quantity: 1 }] });
});
