import { expect, test } from 'vitest';
import {
  formatBigCount,
  formatCount,
  formatDateTime,
  formatDay,
  formatMoney,
  formatRelative,
  localInputToRfc3339,
  rfc3339ToLocalInput,
  userLocale,
} from './format';

test('money follows the locale and keeps every digit of the decimal string', () => {
  expect(formatMoney('1234.50', 'USD', 'en-US')).toBe('$1,234.50');
  expect(formatMoney('1234.50', 'EUR', 'de-DE')).toBe('1.234,50\u00a0€');
  expect(formatMoney('500', 'JPY', 'ja-JP')).toBe('￥500');
  // Beyond what a float holds exactly.
  expect(formatMoney('12345678901234567.89', 'USD', 'en-US')).toBe('$12,345,678,901,234,567.89');
});

test('an unknown currency still shows the amount', () => {
  expect(formatMoney('5.00', 'XX', 'en-US')).toBe('5.00 XX');
});

test('counts and big counts are grouped', () => {
  expect(formatCount(1000000, 'en-US')).toBe('1,000,000');
  expect(formatBigCount('852891037441', 'en-US')).toBe('852,891,037,441');
  expect(formatBigCount('not a number', 'en-US')).toBe('not a number');
});

test('times and days are written for the locale', () => {
  expect(formatDateTime('2026-11-24T12:05:00Z', 'en-US')).toMatch(/Nov 24, 2026/);
  expect(formatDay('2026-11-24', 'en-US')).toBe('Nov 24');
  expect(formatDay('2026-11-24', 'de-DE')).toBe('24. Nov.');
});

test('relative times', () => {
  const now = new Date('2026-11-24T12:00:00Z');
  expect(formatRelative('2026-11-24T11:59:55Z', now, 'en-US')).toBe('just now');
  expect(formatRelative('2026-11-24T11:55:00Z', now, 'en-US')).toBe('5 minutes ago');
  expect(formatRelative('2026-11-23T12:00:00Z', now, 'en-US')).toBe('yesterday');
});

test('datetime-local values round-trip through RFC 3339', () => {
  const iso = localInputToRfc3339('2026-12-01T09:30');
  expect(iso).toMatch(/^2026-1[12]-\d\dT\d\d:30:00Z$/);
  expect(rfc3339ToLocalInput(iso as string)).toBe('2026-12-01T09:30');
  expect(localInputToRfc3339('')).toBeNull();
  expect(localInputToRfc3339('garbage')).toBeNull();
});

test('a system language that is no language tag falls back to the default locale', () => {
  expect(userLocale('C')).toBeUndefined();
  expect(userLocale('')).toBeUndefined();
  expect(userLocale('de-de')).toBe('de-DE');
  // Formatting still works with the fallback.
  expect(formatDateTime('2026-11-24T12:05:00Z', userLocale('C'))).toMatch(/2026/);
});
