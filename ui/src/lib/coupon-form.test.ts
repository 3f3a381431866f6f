import { describe, expect, test } from 'vitest';
import type { CommandError } from './bindings';
import { fieldWords, firstInvalid, placeError } from './coupon-errors';
import { chooseLanguage } from './i18n.svelte';
import {
  buildNewCoupon,
  COUPON_FIELDS,
  emptyCouponForm,
  exampleAmount,
  parseCount,
  placeCouponError,
  type CouponForm,
} from './coupon-form';
import { localInputToRfc3339 } from './format';

function filled(change: Partial<CouponForm> = {}): CouponForm {
  return {
    title: '  Black Friday ',
    discount: '3.00',
    min_purchase: '20.00',
    valid_from: '2026-11-27T00:00',
    valid_to: '2026-12-01T00:00',
    quantity: '500',
    ...change,
  };
}

function invalid(field: string | null, message: string, rule: string | null, reason: string | null = null): CommandError {
  return { code: 'invalid_input', message, field, rule, reason, params: {} };
}

describe('buildNewCoupon', () => {
  test('a filled form becomes the NewCouponInput, times in RFC 3339 UTC and the title trimmed', () => {
    expect(buildNewCoupon('S1', filled())).toEqual({
      ok: true,
      coupon: {
        store_id: 'S1',
        title: 'Black Friday',
        discount: '3.00',
        min_purchase: '20.00',
        valid_from: localInputToRfc3339('2026-11-27T00:00'),
        valid_to: localInputToRfc3339('2026-12-01T00:00'),
        quantity: 500,
      },
    });
  });

  test('amounts go as typed: the rules are the backend to check', () => {
    const built = buildNewCoupon('S1', filled({ discount: '30.00', min_purchase: '3,5' }));
    expect(built.ok && built.coupon).toMatchObject({ discount: '30.00', min_purchase: '3,5' });
  });

  test('every empty field is named, and nothing is sent', () => {
    const built = buildNewCoupon('S1', { title: ' ', discount: '', min_purchase: '', valid_from: '', valid_to: '', quantity: '' });
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(Object.keys(built.errors).sort()).toEqual([...COUPON_FIELDS].sort());
    expect(built.errors.discount).toEqual({ key: 'coupons.form.missing.discount' });
    expect(fieldWords(built.errors.discount!)).toEqual({ text: 'Type the amount off.', rule: null });
  });

  test('a quantity that is not a whole number is refused here, since it cannot even be sent', () => {
    for (const quantity of ['1.5', '-3', 'ten', '99999999999']) {
      const built = buildNewCoupon('S1', filled({ quantity }));
      expect(built.ok ? null : fieldWords(built.errors.quantity!).text).toBe('Type a whole number of buyers, such as 500.');
    }
    // 0 and 2,000,000 are numbers: CREATE-3 is the backend's.
    expect(buildNewCoupon('S1', filled({ quantity: '0' })).ok).toBe(true);
    expect(buildNewCoupon('S1', filled({ quantity: '2000000' })).ok).toBe(true);
  });
});

describe('where a refusal goes', () => {
  const create2 = invalid('valid_to', 'valid_to: valid_to 2026-01-01T00:00:00Z must be after valid_from 2026-02-01T00:00:00Z [CREATE-2]', 'CREATE-2', 'ends_before_start');

  test('an invalid_input naming a form field goes under that field, worded from its rule', () => {
    expect(placeCouponError(create2)).toEqual({ fields: { valid_to: { refusal: create2 } }, alert: null });
    expect(fieldWords({ refusal: create2 })).toEqual({ text: 'The coupon must end after it starts.', rule: 'CREATE-2' });
    const create1 = invalid('discount', 'discount: must be less than the minimum purchase [CREATE-1]', 'CREATE-1');
    expect(placeCouponError(create1).fields.discount).toEqual({ refusal: create1 });
  });

  test('an error naming no field of the form, or not about input, goes to the alert', () => {
    const store = invalid('store', 'store: no such store [INPUT-2]', 'INPUT-2');
    expect(placeCouponError(store)).toEqual({ fields: {}, alert: store });
    const locked: CommandError = { code: 'database_locked', message: 'locked', field: 'discount', rule: null, reason: null, params: {} };
    expect(placeCouponError(locked)).toEqual({ fields: {}, alert: locked });
    expect(placeCouponError(invalid(null, 'bad', null)).alert).not.toBeNull();
  });

  test('aliases map a backend field name to the form input', () => {
    const error = invalid('check_char', 'check_char: not prime [CODES-3]', 'CODES-3');
    expect(placeError(error, ['check_character'] as const, { check_char: 'check_character' }).fields).toEqual({
      check_character: { refusal: error },
    });
  });

  test('a check made on this page is worded when it shows, in the language of the moment', async () => {
    const missing = { key: 'coupons.form.missing.discount' };
    await chooseLanguage('ru');
    expect(fieldWords(missing).text).not.toBe('Type the amount off.');
    await chooseLanguage(null);
    expect(fieldWords(missing)).toEqual({ text: 'Type the amount off.', rule: null });
  });

  test('focus goes to the first invalid field in form order', () => {
    const m = { key: 'coupons.form.missing.discount' };
    expect(firstInvalid({ quantity: m, discount: m }, COUPON_FIELDS)).toBe('discount');
    expect(firstInvalid({}, COUPON_FIELDS)).toBeNull();
  });
});

test('the empty form starts at the next full hour and has no end', () => {
  const form = emptyCouponForm(new Date(2026, 10, 24, 13, 42, 10));
  expect(form.valid_from).toBe('2026-11-24T14:00');
  expect(form.valid_to).toBe('');
  expect(emptyCouponForm(new Date(2026, 10, 24, 23, 5)).valid_from).toBe('2026-11-25T00:00');
});

test('counts and example amounts', () => {
  expect(parseCount(' 42 ')).toBe(42);
  expect(parseCount('4294967295')).toBe(4294967295);
  expect(parseCount('4294967296')).toBeNull();
  expect(parseCount('')).toBeNull();
  expect(exampleAmount(3, 'USD')).toBe('3.00');
  expect(exampleAmount(3, 'JPY')).toBe('300');
  expect(exampleAmount(3, 'KWD')).toBe('3.000');
});
