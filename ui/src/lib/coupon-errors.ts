// Where a refusal goes on a form (the coupon form and the code generator share this): an
// `invalid_input` error whose `field` names one of the form's inputs is shown under that input;
// anything else goes to the alert at the top of the form. Branches on `code` and `field` only,
// never on the message text.
import type { CommandError } from './bindings';
import { t } from './i18n.svelte';
import { refusalWords, type Refusal } from './refusals';

/**
 * What is shown under one input: a refusal from the backend, worded when it shows (so that it
 * follows the language), or a check made on this page (a catalog key and its values).
 */
export type FieldMessage = { refusal: Refusal } | { key: string; values?: Record<string, string | number> };

export type FieldErrors<F extends string> = Partial<Record<F, FieldMessage>>;

/** The form's input an error belongs to, or null when it belongs to the form as a whole. */
export function fieldOf<F extends string>(
  error: CommandError,
  fields: readonly F[],
  aliases: Readonly<Record<string, F>> = {},
): F | null {
  if (error.code !== 'invalid_input' || error.field === null) return null;
  const field = error.field;
  if (Object.hasOwn(aliases, field)) return aliases[field] ?? null;
  return (fields as readonly string[]).includes(field) ? (field as F) : null;
}

/** Splits an error into the inline message of one input, or the form-wide alert. */
export function placeError<F extends string>(
  error: CommandError,
  fields: readonly F[],
  aliases: Readonly<Record<string, F>> = {},
): { fields: FieldErrors<F>; alert: CommandError | null } {
  const field = fieldOf(error, fields, aliases);
  if (field === null) return { fields: {}, alert: error };
  const fieldErrors: FieldErrors<F> = {};
  fieldErrors[field] = { refusal: error };
  return { fields: fieldErrors, alert: null };
}

/** The words under the input, in the seller's language, and the rule that refused it (if any). */
export function fieldWords(message: FieldMessage): { text: string; rule: string | null } {
  if ('refusal' in message) return { text: refusalWords(message.refusal), rule: message.refusal.rule };
  return { text: t(message.key, message.values), rule: null };
}

/** The first input (in the form's order) that has an error, to move the focus to it. */
export function firstInvalid<F extends string>(errors: FieldErrors<F>, order: readonly F[]): F | null {
  return order.find((field) => errors[field] !== undefined) ?? null;
}

/** aria-describedby of an input: the ids of its error (when it has one) and of its hint. */
export function describedBy(errorId: string | null, hintId: string | null = null): string | undefined {
  const ids = [errorId, hintId].filter((id) => id !== null);
  return ids.length > 0 ? ids.join(' ') : undefined;
}
