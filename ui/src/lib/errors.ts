// What the page says about an error: a title and a hint by its code (what went wrong is a refusal
// worded from its rule by lib/refusals.ts, or the words the error came with).
import type { CommandError } from './bindings';
import { t } from './i18n.svelte';

/** A command's error, or a payment file the page could not read. */
export type UiError = CommandError | { code: 'unreadable_file'; message: string; field?: null; rule?: null };

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
