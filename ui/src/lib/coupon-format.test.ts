import { expect, test } from 'vitest';
import { acceptedLocale, bigCount, count, dateTime, displayLocale, money } from './coupon-format';
import { formatBigCount, formatCount, formatDateTime, formatMoney } from './format';

test('a tag Intl refuses (WebKitGTK says `C` under LANG=C.UTF-8) gives way to the default locale', () => {
  expect(acceptedLocale('de-DE')).toBe('de-DE');
  const fallback = new Intl.NumberFormat().resolvedOptions().locale;
  expect(acceptedLocale('C')).toBe(fallback);
  expect(acceptedLocale('')).toBe(fallback);
  expect(acceptedLocale(undefined)).toBe(fallback);
  expect(() => new Intl.NumberFormat(acceptedLocale('C')).format(1)).not.toThrow();
});

test('the screens write exactly what lib/format.ts writes, in the locale the webview reports', () => {
  const locale = displayLocale();
  expect(locale).toBe(acceptedLocale(navigator.language));
  for (const [amount, currency] of [
    ['1234.50', 'USD'],
    ['3', 'EUR'],
    ['500', 'JPY'],
    ['5.604', 'KWD'],
    ['12345678901234567.89', 'USD'],
    ['5.00', 'XX'],
  ] as const) {
    expect(money(amount, currency)).toBe(formatMoney(amount, currency, locale));
  }
  for (const value of [0, 1, 1234, 1000000]) expect(count(value)).toBe(formatCount(value, locale));
  for (const digits of ['852891037441', '26439622160671', 'n/a']) expect(bigCount(digits)).toBe(formatBigCount(digits, locale));
  for (const iso of ['2026-11-24T12:05:00Z', '2027-01-01T00:00:00+09:00', 'garbage']) {
    expect(dateTime(iso)).toBe(formatDateTime(iso, locale));
  }
});
