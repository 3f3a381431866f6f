// What the page says about an error. It branches on `code` only; the message is shown as is.
import type { CommandError } from './bindings';

/** A command's error, or a payment file the page could not read. */
export type UiError = CommandError | { code: 'unreadable_file'; message: string; field?: null; rule?: null };

/** What the words depend on: the code alone. */
type ErrorKind = { code: UiError['code']; message?: string };

interface Words {
  title: string;
  /** What the seller can do about it. */
  hint: string;
}

// The switch is exhaustive: a new code in the bindings fails type checking until it has words.
function words(error: ErrorKind): Words {
  switch (error.code) {
    case 'invalid_input':
      return {
        title: 'This breaks a rule',
        hint: 'The message names the field and the rule. Change it and try again.',
      };
    case 'unreadable_file':
      return {
        title: 'This file is not a payment Seller Desk can read',
        hint: 'Choose a refund-preview JSON file; the example payments show the shape.',
      };
    case 'not_found':
      return { title: 'Not found', hint: 'It may have been removed; refresh the list or pick another one.' };
    case 'conflict':
      return {
        title: 'This clashes with what is already there',
        hint: 'The message says what it clashes with; the lists show the current state.',
      };
    case 'database_locked':
      return { title: 'The database is in use', hint: 'Close the other Seller Desk window or command, then try again.' };
    case 'database_corrupt':
      return { title: 'The database cannot be read', hint: 'Restore it from a backup, or report the message below.' };
    case 'database_too_new':
      return { title: 'The database is from a newer Seller Desk', hint: 'Update Seller Desk to open it.' };
    case 'disk_full':
      return { title: 'The disk is full', hint: 'Nothing was written. Free some space, then try again.' };
    case 'io':
      return { title: 'A file could not be read or written', hint: 'Check that it exists and that you may open it.' };
    case 'cancelled':
      return { title: 'Cancelled', hint: 'Nothing was changed.' };
    case 'not_connected':
      return { title: 'This store is not connected to the platform', hint: 'Connect it in Settings, then sync.' };
    case 'platform':
      return {
        title: 'The platform could not be reached',
        hint: 'Your work is kept and goes up with the next sync. The message says what the platform answered.',
      };
    case 'not_supported':
      return {
        title: "This store's platform does not allow this",
        hint: 'The message names the platform and what to do there instead.',
      };
    case 'internal':
      return {
        title: 'Something went wrong inside Seller Desk',
        hint: 'Nothing you entered caused this. Please report it with the message below.',
      };
  }
}

export function errorTitle(error: ErrorKind): string {
  return words(error).title;
}

export function errorHint(error: ErrorKind): string {
  return words(error).hint;
}
