// The "New coupon" form as plain data: what the seller typed, the NewCouponInput it becomes, and
// where a refusal is shown. The page only checks that every field is filled (and that a count is
// a count); the coupon rules (CREATE-1 … CREATE-3) are the backend's to check.
import type { CommandError, NewCouponInput } from './bindings';
import { placeError, type FieldErrors } from './coupon-errors';
import { localInputToRfc3339, rfc3339ToLocalInput } from './format';
import { t } from './i18n.svelte';

/** The form's inputs, in the order they appear (focus goes to the first invalid one). */
export const COUPON_FIELDS = ['title', 'discount', 'min_purchase', 'valid_from', 'valid_to', 'quantity'] as const;
export type CouponField = (typeof COUPON_FIELDS)[number];

/** What the seller typed, exactly (kept as is when the backend refuses it). */
export interface CouponForm {
  title: string;
  discount: string;
  min_purchase: string;
  /** A datetime-local value, local time. */
  valid_from: string;
  valid_to: string;
  quantity: string;
}

export type BuiltCoupon = { ok: true; coupon: NewCouponInput } | { ok: false; errors: FieldErrors<CouponField> };

/** The largest count the IPC carries (a u32); larger is not a count the backend can even read. */
const LARGEST_COUNT = 4_294_967_295;

/** An empty form whose validity starts at the next full hour, in local time. */
export function emptyCouponForm(now: Date = new Date()): CouponForm {
  const start = new Date(now.getTime());
  start.setMinutes(0, 0, 0);
  start.setHours(start.getHours() + 1);
  return {
    title: '',
    discount: '',
    min_purchase: '',
    valid_from: rfc3339ToLocalInput(start.toISOString()),
    valid_to: '',
    quantity: '',
  };
}

/** A whole, non-negative count as typed (`"1000"`, `" 50 "`), or null. */
export function parseCount(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value <= LARGEST_COUNT ? value : null;
}

/** The message of each empty field (its key: the words are the language's at the check). */
const MISSING: Record<CouponField, string> = {
  title: 'coupons.form.missing.title',
  discount: 'coupons.form.missing.discount',
  min_purchase: 'coupons.form.missing.min-purchase',
  valid_from: 'coupons.form.missing.valid-from',
  valid_to: 'coupons.form.missing.valid-to',
  quantity: 'coupons.form.missing.quantity',
};

/** The form as the NewCouponInput the backend checks, or what is still missing. */
export function buildNewCoupon(storeId: string, form: CouponForm): BuiltCoupon {
  const errors: FieldErrors<CouponField> = {};
  const missing = (field: CouponField) => (errors[field] = { key: MISSING[field] });

  const title = form.title.trim();
  if (title === '') missing('title');
  const discount = form.discount.trim();
  if (discount === '') missing('discount');
  const minPurchase = form.min_purchase.trim();
  if (minPurchase === '') missing('min_purchase');

  const validFrom = localInputToRfc3339(form.valid_from);
  if (validFrom === null) missing('valid_from');
  const validTo = localInputToRfc3339(form.valid_to);
  if (validTo === null) missing('valid_to');

  const quantity = parseCount(form.quantity);
  if (form.quantity.trim() === '') missing('quantity');
  else if (quantity === null) errors.quantity = { key: 'coupons.form.quantity-not-whole' };

  if (Object.keys(errors).length > 0 || validFrom === null || validTo === null || quantity === null) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    coupon: {
      store_id: storeId,
      title,
      discount,
      min_purchase: minPurchase,
      valid_from: validFrom,
      valid_to: validTo,
      quantity,
    },
  };
}

/** Where the backend's refusal of a new coupon is shown: under an input, or in the alert. */
export function placeCouponError(error: CommandError) {
  return placeError<CouponField>(error, COUPON_FIELDS);
}

/** How many fraction digits the currency's amounts have (2 for USD, 0 for JPY, 3 for KWD). */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** An example amount in the currency's own digits, for a placeholder: `3.00`, `300`, `3.000`. */
export function exampleAmount(whole: number, currency: string): string {
  const digits = currencyDigits(currency);
  return digits === 0 ? String(whole * 100) : `${whole}.${'0'.repeat(digits)}`;
}

/** The seller's time zone, as datetime-local inputs are read in it (e.g. `Europe/Berlin`), or `local time`. */
export function localTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return t('coupons.form.local-time');
  }
}
