// Amounts, counts and times for the Coupons and Codes screens, written exactly as lib/format.ts
// writes them (the tests check that the two agree), with two differences that a list of 1,000
// coupons needs:
//
// - A locale Intl accepts. WebKitGTK reports `navigator.language` as `C` when the system locale
//   is C/POSIX (LANG=C.UTF-8: CI, the e2e run, minimal installs), and Intl throws a RangeError on
//   that tag; the runtime's own default locale is used instead.
// - One Intl formatter per locale and options, made once. format.ts makes a new one per call,
//   and in WebKit making one costs about 0.1 ms: 2,000 dates alone would take 200 ms.
//
// When format.ts does both, these can simply call it.
import { formatMoney, userLocale } from './format';

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

const numberFormats = new Map<string, Intl.NumberFormat>();
let dateTimeFormat: { locale: string; format: Intl.DateTimeFormat } | null = null;

function numberFormat(currency: string | null): Intl.NumberFormat {
  const locale = displayLocale();
  const key = `${locale} ${currency ?? ''}`;
  let format = numberFormats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, currency === null ? undefined : { style: 'currency', currency });
    numberFormats.set(key, format);
  }
  return format;
}

/** As formatMoney: `"1234.50"` in EUR → `€1,234.50`, formatted from the decimal string itself. */
export function money(amount: string, currency: string): string {
  try {
    return numberFormat(currency).format(amount as unknown as number);
  } catch {
    // An unknown currency: format.ts says what to show.
    return formatMoney(amount, currency, displayLocale());
  }
}

/** As formatCount. */
export function count(value: number | bigint): string {
  return numberFormat(null).format(value);
}

/** As formatBigCount: a decimal string of any size, grouped. */
export function bigCount(digits: string): string {
  if (!/^\d+$/.test(digits)) return digits;
  return numberFormat(null).format(BigInt(digits));
}

/** As formatDateTime: `Nov 24, 2026, 1:05 PM` in the seller's time zone. */
export function dateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const locale = displayLocale();
  if (dateTimeFormat === null || dateTimeFormat.locale !== locale) {
    dateTimeFormat = { locale, format: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }) };
  }
  return dateTimeFormat.format.format(date);
}
