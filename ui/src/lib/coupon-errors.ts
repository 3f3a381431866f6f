// Where a refusal goes on a form (the coupon form and the code generator share this): an
// `invalid_input` error whose `field` names one of the form's inputs is shown under that input;
// anything else goes to the alert at the top of the form. Branches on `code` and `field` only,
// never on the message text.
import type { CommandError } from './bindings';

/** What is shown under one input: the backend's message, and the rule it names. */
export interface FieldMessage {
  message: string;
  /** The rule id of docs/rules.md, e.g. `CREATE-2`; null for a check made on this page. */
  rule: string | null;
}

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
  fieldErrors[field] = { message: underTheInput(error), rule: error.rule };
  return { fields: fieldErrors, alert: null };
}

/**
 * The message as it reads under its input. A refusal of bad input reads `<field>: <what is
 * wrong> [<RULE-ID>]` (the format the backend documents for every such message), and the field's
 * name (`min_purchase`) says nothing beside the input it names: it goes, the rest starts with a
 * capital. Any other message is kept whole.
 */
export function underTheInput(error: CommandError): string {
  const prefix = error.field === null ? null : `${error.field}: `;
  if (prefix === null || !error.message.startsWith(prefix) || error.message.length === prefix.length) {
    return error.message;
  }
  const rest = error.message.slice(prefix.length);
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

/**
 * The message split so the rule id can stand out: `text` then `[rule]`. Together they read
 * exactly as the message (the backend's messages end with `[RULE-ID]`); a rule the message does
 * not name is added at the end. `rule` is null for checks made on this page.
 */
export function messageParts(error: FieldMessage): { text: string; rule: string | null } {
  if (error.rule === null) return { text: error.message, rule: null };
  const tag = `[${error.rule}]`;
  if (error.message.endsWith(tag)) return { text: error.message.slice(0, -tag.length), rule: error.rule };
  if (error.message.includes(tag)) return { text: error.message, rule: null };
  return { text: `${error.message} `, rule: error.rule };
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
