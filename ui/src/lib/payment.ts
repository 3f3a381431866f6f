// Reads a §8 refund-preview input far enough to show it. The full validation (money format,
// dates, coupon rules…) is the core's job, at preview time; here we only make sure there is
// something to draw, and say where it is not.
import type { CouponInput, LineInput, OrderInput, RefundInput } from './bindings';
import { t } from './i18n.svelte';

/** What the page shows of a payment, plus the JSON it came from (sent back as is). */
export interface LoadedPayment {
  /** Where it came from, for the header: an example title or a file name. */
  source: string;
  /** The §8 input object as read; its `refund` is replaced by the form's request. */
  raw: Record<string, unknown>;
  paymentId: string;
  currency: string;
  paidAt: string;
  asOf: string | null;
  orders: OrderInput[];
  coupons: CouponInput[];
  priorRefunds: unknown[];
  /** The input's own `refund`, if it has one of a known shape: the form starts from it. */
  refund: RefundInput | null;
}

export type ParseResult =
  | { ok: true; payment: LoadedPayment }
  | { ok: false; message: string };

class ShapeError extends Error {}

/** What is wrong with a field; each is a message `refunds.file.<what>` naming the field's `path`. */
type ShapeProblem =
  | 'expected-object'
  | 'expected-string'
  | 'expected-list'
  | 'expected-whole-number'
  | 'expected-true-or-false'
  | 'expected-issuer'
  | 'no-orders';

function shapeMessage(path: string, what: ShapeProblem): string {
  return t(`refunds.file.${what}`, { path });
}

function fail(path: string, what: ShapeProblem): never {
  throw new ShapeError(shapeMessage(path, what));
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(path, 'expected-object');
  }
  return value as Record<string, unknown>;
}

function string(obj: Record<string, unknown>, key: string, path: string): string {
  const value = obj[key];
  if (typeof value !== 'string') fail(`${path}${key}`, 'expected-string');
  return value;
}

function array(obj: Record<string, unknown>, key: string, path: string): unknown[] {
  const value = obj[key];
  if (!Array.isArray(value)) fail(`${path}${key}`, 'expected-list');
  return value;
}

function optionalArray(obj: Record<string, unknown>, key: string, path: string): unknown[] {
  return obj[key] === undefined ? [] : array(obj, key, path);
}

function line(value: unknown, path: string): LineInput {
  const obj = object(value, path);
  const p = `${path}.`;
  const quantity = obj.quantity;
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0) {
    fail(`${p}quantity`, 'expected-whole-number');
  }
  if (typeof obj.regular_price !== 'boolean') fail(`${p}regular_price`, 'expected-true-or-false');
  return {
    line_id: string(obj, 'line_id', p),
    unit_price: string(obj, 'unit_price', p),
    quantity,
    regular_price: obj.regular_price,
  };
}

function order(value: unknown, path: string): OrderInput {
  const obj = object(value, path);
  const p = `${path}.`;
  return {
    order_id: string(obj, 'order_id', p),
    store_id: string(obj, 'store_id', p),
    lines: array(obj, 'lines', p).map((l, i) => line(l, `${p}lines[${i}]`)),
  };
}

function coupon(value: unknown, path: string): CouponInput {
  const obj = object(value, path);
  const p = `${path}.`;
  const issuer = obj.issuer;
  if (issuer !== 'seller' && issuer !== 'platform') fail(`${p}issuer`, 'expected-issuer');
  const storeId = obj.store_id;
  if (storeId !== undefined && typeof storeId !== 'string') fail(`${p}store_id`, 'expected-string');
  const viaCode = obj.via_code;
  if (viaCode !== undefined && typeof viaCode !== 'boolean') fail(`${p}via_code`, 'expected-true-or-false');
  const result: CouponInput = {
    coupon_id: string(obj, 'coupon_id', p),
    issuer,
    discount: string(obj, 'discount', p),
    min_purchase: string(obj, 'min_purchase', p),
    valid_from: string(obj, 'valid_from', p),
    valid_to: string(obj, 'valid_to', p),
  };
  if (storeId !== undefined) result.store_id = storeId;
  if (viaCode !== undefined) result.via_code = viaCode;
  return result;
}

/** The input's `refund`, when it is one of the three documented shapes; else null. */
export function readRefundRequest(value: unknown): RefundInput | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const obj = value as Record<string, unknown>;
  if (typeof obj.order_id !== 'string') return null;
  const orderId = obj.order_id;
  if (Array.isArray(obj.lines)) {
    const lines = obj.lines.flatMap((l: unknown) => {
      if (typeof l !== 'object' || l === null) return [];
      const { line_id, quantity } = l as Record<string, unknown>;
      return typeof line_id === 'string' && typeof quantity === 'number'
        ? [{ line_id, quantity }]
        : [];
    });
    return { order_id: orderId, lines };
  }
  if (obj.full === true) return { order_id: orderId, full: true };
  if (typeof obj.amount === 'string') return { order_id: orderId, amount: obj.amount };
  return null;
}

/** Checks the shape of an already-parsed §8 input. */
export function readPayment(value: unknown, source: string): ParseResult {
  try {
    const obj = object(value, 'payment');
    const asOf = obj.as_of;
    if (asOf !== undefined && typeof asOf !== 'string') fail('as_of', 'expected-string');
    const orders = array(obj, 'orders', '').map((o, i) => order(o, `orders[${i}]`));
    if (orders.length === 0) fail('orders', 'no-orders');
    return {
      ok: true,
      payment: {
        source,
        raw: obj,
        paymentId: string(obj, 'payment_id', ''),
        currency: string(obj, 'currency', ''),
        paidAt: string(obj, 'paid_at', ''),
        asOf: asOf ?? null,
        orders,
        coupons: optionalArray(obj, 'coupons', '').map((c, i) => coupon(c, `coupons[${i}]`)),
        priorRefunds: optionalArray(obj, 'prior_refunds', ''),
        refund: readRefundRequest(obj.refund),
      },
    };
  } catch (error) {
    if (error instanceof ShapeError) return { ok: false, message: error.message };
    throw error;
  }
}

/** Parses the text of a payment file. */
export function parsePaymentText(text: string, source: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, message: t('refunds.file.not-json', { detail }) };
  }
  return readPayment(value, source);
}

/** One line for a refund request: "Order A1: 2 × a, 1 × b", "Order O1: whole order", "Order A1: 4.00". */
export function describeRefund(value: unknown): string {
  const refund = readRefundRequest(value);
  if (refund === null) return t('refunds.prior.unreadable');
  if (refund.lines !== undefined) {
    if (refund.lines.length === 0) return t('refunds.prior.no-units', { order: refund.order_id });
    const units = refund.lines.map((l) => `${l.quantity} × ${l.line_id}`).join(', ');
    return t('refunds.prior.units', { order: refund.order_id, units });
  }
  if (refund.full === true) return t('refunds.prior.whole-order', { order: refund.order_id });
  return t('refunds.prior.amount', { order: refund.order_id, amount: refund.amount ?? '' });
}

/** Who issued a coupon, in words: "Seller coupon of store S1" or "Platform coupon". */
export function couponScope(coupon: CouponInput): string {
  return coupon.issuer === 'seller'
    ? t('refunds.issuer.seller-of-store', { store: coupon.store_id ?? '?' })
    : t('refunds.issuer.platform');
}
