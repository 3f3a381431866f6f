// Amounts, counts and times as the seller's locale writes them. Money arrives as decimal strings
// and is formatted from the string itself (Intl accepts decimal strings), never through a float.
import { language as uiLanguage, t } from './i18n.svelte';

/**
 * The locale to format for: the system's, as the webview reports it; the runtime's default when
 * that is no valid language tag (with `LANG=C` the webview reports `C`).
 */
export function userLocale(language: string | undefined = globalThis.navigator?.language): string | undefined {
  if (language === undefined || language === '') return undefined;
  try {
    return Intl.getCanonicalLocales(language)[0];
  } catch {
    return undefined;
  }
}

// One Intl formatter per locale and options, made once: in WebKit making one costs about 0.1 ms,
// and a list of 1,000 coupons writes 2,000 dates.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function formatter<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => F): F {
  let made = formatters.get(key) as F | undefined;
  if (made === undefined) {
    made = make();
    formatters.set(key, made);
  }
  return made;
}

function numberFormat(locale: string | undefined, currency: string | null = null): Intl.NumberFormat {
  return formatter(`number ${locale ?? ''} ${currency ?? ''}`, () =>
    new Intl.NumberFormat(locale, currency === null ? undefined : { style: 'currency', currency }),
  );
}

/** `"1234.50"` in EUR → `€1,234.50` (en-US) or `1.234,50 €` (de-DE). */
export function formatMoney(amount: string, currency: string, locale = userLocale()): string {
  try {
    const format = numberFormat(locale, currency);
    // Intl.NumberFormat formats a decimal string exactly (no float in between).
    return format.format(amount as unknown as number);
  } catch {
    return `${amount} ${currency}`;
  }
}

export function formatCount(count: number | bigint, locale = userLocale()): string {
  return numberFormat(locale).format(count);
}

/** A big integer held as a decimal string (such as a code space), grouped for reading. */
export function formatBigCount(digits: string, locale = userLocale()): string {
  if (!/^\d+$/.test(digits)) return digits;
  return numberFormat(locale).format(BigInt(digits));
}

/** An RFC 3339 time in the seller's locale and time zone, e.g. `Nov 24, 2026, 1:05 PM`. */
export function formatDateTime(iso: string, locale = userLocale()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatter(`date-time ${locale ?? ''}`, () =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }),
  ).format(date);
}

/** A `YYYY-MM-DD` day (UTC), e.g. `Nov 24`. */
export function formatDay(day: string, locale = userLocale()): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return formatter(`day ${locale ?? ''}`, () =>
    new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' }),
  ).format(date);
}

/**
 * How long ago `iso` was, from `now`: `just now`, `5 minutes ago`, `yesterday`. These are words,
 * so they follow the UI's language (`i18n.svelte.ts`), not the system's regional settings.
 */
export function formatRelative(iso: string, now: Date = new Date(), locale: string = uiLanguage()): string {
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return iso;
  const seconds = Math.round((then.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 10) return t('app.just-now');
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
    ['second', 1],
  ];
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(seconds, 'second');
}

/** A datetime-local input's value (local time, no zone) as RFC 3339 UTC, or null if empty/bad. */
export function localInputToRfc3339(value: string): string | null {
  if (value.trim() === '') return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** An RFC 3339 time as a datetime-local input's value, in local time. */
export function rfc3339ToLocalInput(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
