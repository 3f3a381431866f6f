// What the page says about an error: a title and a hint by its code, and what went wrong: a
// refusal worded from its rule (lib/refusals.ts), anything else in the words it came with (what a
// platform answered, what a file holds).
import type { CommandError } from './bindings';
import { t } from './i18n.svelte';
import { refusalWords } from './refusals';

/** A command's error, or a payment file the page could not read. */
export type UiError = CommandError | { code: 'unreadable_file'; message: string; field?: null; rule?: null };

/** What went wrong, in the seller's language where Seller Desk words it. */
export function errorWords(error: UiError): string {
  return error.code === 'unreadable_file' ? error.message : refusalWords(error);
}

/** What the words depend on: the code alone. */
type ErrorKind = { code: UiError['code']; message?: string };

/**
 * The code whose words (`errors.<code>.title` and `errors.<code>.hint` in `locales/<language>/errors.json`)
 * the page shows. The switch is exhaustive: a new code in the bindings fails type checking until
 * it is listed here, with its words in the catalogs.
 */
function worded(error: ErrorKind): UiError['code'] {
  switch (error.code) {
    case 'invalid_input':
    case 'unreadable_file':
    case 'not_found':
    case 'conflict':
    case 'database_locked':
    case 'database_corrupt':
    case 'database_too_new':
    case 'disk_full':
    case 'io':
    case 'cancelled':
    case 'not_connected':
    case 'platform':
    case 'not_supported':
    case 'internal':
      return error.code;
  }
}

export function errorTitle(error: ErrorKind): string {
  return t(`errors.${worded(error)}.title`);
}

/** What the seller can do about it. */
export function errorHint(error: ErrorKind): string {
  return t(`errors.${worded(error)}.hint`);
}
