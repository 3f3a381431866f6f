// Amounts, counts and times for the Coupons and Codes screens: lib/format.ts's functions (the
// tests check that the two agree), in one locale chosen once, a locale Intl accepts. WebKitGTK
// reports `navigator.language` as `C` when the system locale is C/POSIX (LANG=C.UTF-8: CI, the
// e2e run, minimal installs), and Intl throws a RangeError on that tag; the runtime's own default
// locale is used instead.
import { formatBigCount, formatCount, formatDateTime, formatMoney, userLocale } from './format';

/** `tag` if Intl accepts it, otherwise the runtime's default locale. */
export function acceptedLocale(tag: string | undefined): string {
  if (tag !== undefined) {
    try {
      if (Intl.NumberFormat.supportedLocalesOf([tag]).length > 0) return tag;
    } catch {
      // A RangeError: not a language tag at all.
    }
  }
  return new Intl.NumberFormat().resolvedOptions().locale;
}

let chosen: string | null = null;

/** The locale the screens write amounts, counts and times in. */
export function displayLocale(): string {
  return (chosen ??= acceptedLocale(userLocale()));
}

/** As formatMoney: `"1234.50"` in EUR → `€1,234.50`, formatted from the decimal string itself. */
export function money(amount: string, currency: string): string {
  return formatMoney(amount, currency, displayLocale());
}

/** As formatCount. */
export function count(value: number | bigint): string {
  return formatCount(value, displayLocale());
}

/** As formatBigCount: a decimal string of any size, grouped. */
export function bigCount(digits: string): string {
  return formatBigCount(digits, displayLocale());
}

/** As formatDateTime: `Nov 24, 2026, 1:05 PM` in the seller's time zone. */
export function dateTime(iso: string): string {
  return formatDateTime(iso, displayLocale());
}
