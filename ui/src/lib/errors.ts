// What the page says about an error. It branches on `code` only; the message is shown as is.
import type { CommandError } from './bindings';

/** A command's error, or a payment file the page could not read. */
export type UiError = CommandError | { code: 'unreadable_file'; message: string };

export function errorTitle(error: UiError): string {
  switch (error.code) {
    case 'invalid_input':
      return 'This refund cannot be previewed';
    case 'not_found':
      return 'Not found';
    case 'unreadable_file':
      return 'This file is not a payment Seller Desk can read';
    case 'internal':
      return 'Something went wrong inside Seller Desk';
  }
}

/** A hint under the message: what the seller can do about it. */
export function errorHint(error: UiError): string {
  switch (error.code) {
    case 'invalid_input':
      return 'The message names the field and the rule. Change the refund, or fix the payment file and load it again.';
    case 'not_found':
      return 'Pick another example payment.';
    case 'unreadable_file':
      return 'Choose a refund-preview JSON file (see the example payments for the shape).';
    case 'internal':
      return 'Nothing you entered caused this. Please report it with the message below.';
  }
}
