// The code generator form as plain data: what the seller typed, the GenerateCodesInput it becomes (for
// the live hint and for generating), where a refusal is shown, and the words of the live hint.
// The rules (CODES-1, CODES-3, CODES-5) are the backend's to check; the page only reads numbers.
import type { GenerateCodesInput, CodeSpaceView, CommandError } from './bindings';
import { placeError, type FieldErrors } from './coupon-errors';
import { parseCount } from './coupon-form';
import { displayLocale } from './coupon-format';
import { formatBigCount, formatCount } from './format';

/** The form's inputs, in the order they appear. */
export const CODE_FIELDS = [
  'count',
  'channel',
  'length',
  'prefix',
  'suffix',
  'group',
  'alphabet',
  'check_character',
] as const;
export type CodeField = (typeof CODE_FIELDS)[number];

/** The backend's field names that differ from the form's. */
const ALIASES: Record<string, CodeField> = { check_char: 'check_character' };

/** The default alphabet (CODES-1): no 0/O, no 1/I/L. */
export const DEFAULT_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

export interface CodeForm {
  count: string;
  channel: string;
  /** Empty: a safe length chosen by Seller Desk (the shortest safe one, at least 8). */
  length: string;
  prefix: string;
  suffix: string;
  /** Empty: no dashes. */
  group: string;
  /** Empty: the default alphabet. */
  alphabet: string;
  checkCharacter: boolean;
}

export function emptyCodeForm(): CodeForm {
  return { count: '', channel: '', length: '', prefix: '', suffix: '', group: '', alphabet: '', checkCharacter: false };
}

export type BuiltCodeRequest = { ok: true; request: GenerateCodesInput } | { ok: false; errors: FieldErrors<CodeField> };

/**
 * The request the form describes. For the live hint an empty count counts as 0 (the hint still
 * shows the length and code space); to generate, the count must be filled.
 */
export function buildCodeRequest(
  storeId: string,
  couponId: string,
  form: CodeForm,
  purpose: 'hint' | 'generate',
): BuiltCodeRequest {
  const errors: FieldErrors<CodeField> = {};

  let count = parseCount(form.count);
  if (form.count.trim() === '') {
    if (purpose === 'generate') errors.count = { message: 'Type how many codes to make.', rule: null };
    count = 0;
  } else if (count === null) {
    errors.count = { message: 'Type a whole number of codes, such as 10000.', rule: null };
  }

  const optional = (field: 'length' | 'group', text: string, empty: string): number | null => {
    if (text.trim() === '') return null;
    const value = parseCount(text);
    if (value === null) errors[field] = { message: `Type a whole number, or leave it empty ${empty}.`, rule: null };
    return value;
  };
  const length = optional('length', form.length, 'to have a safe length chosen');
  const group = optional('group', form.group, 'for no dashes');

  if (Object.keys(errors).length > 0 || count === null) return { ok: false, errors };
  const alphabet = form.alphabet.trim();
  const channel = form.channel.trim();
  return {
    ok: true,
    request: {
      store_id: storeId,
      coupon_id: couponId,
      count,
      length,
      prefix: form.prefix.trim(),
      suffix: form.suffix.trim(),
      group,
      alphabet: alphabet === '' ? null : alphabet,
      check_character: form.checkCharacter ? 'with' : 'without',
      channel: channel === '' ? null : channel,
    },
  };
}

/** Where the backend's refusal of a batch (or of its hint) is shown. */
export function placeCodeError(error: CommandError) {
  return placeError<CodeField>(error, CODE_FIELDS, ALIASES);
}

function plural(count: number, one: string, many: string, locale: string): string {
  return `${formatCount(count, locale)} ${count === 1 ? one : many}`;
}

/** The live hint's sentences. */
export interface HintText {
  /** `Length 9 from 31 characters: 26,439,622,160,671 codes.` */
  space: string;
  /** `A random guess hits one of your 10,000 live codes 1 time in 2,643,962,216.` */
  odds: string;
  /** A code of this format as it is printed: `WIN-7KQ2-M8XP`. */
  example: string;
  /** `This coupon takes 39,000 more codes.` */
  left: string;
}

/** `automatic`: the seller left the length empty and the backend chose it. */
export function hintText(view: CodeSpaceView, automatic: boolean, locale: string = displayLocale()): HintText {
  const length = automatic ? `Length ${view.length} (chosen for you: safe, at least 8)` : `Length ${view.length}`;
  const space = `${length} from ${formatCount(view.alphabet_size, locale)} characters: ${formatBigCount(view.code_space, locale)} codes.`;
  let odds: string;
  if (view.live_codes_after === 0) {
    odds = 'No live codes share this format yet.';
  } else {
    const live =
      view.live_codes_after === 1
        ? 'your 1 live code'
        : `one of your ${plural(view.live_codes_after, 'live code', 'live codes', locale)}`;
    odds = `A random guess hits ${live} 1 time in ${formatBigCount(view.guess_one_in, locale)}.`;
  }
  let left: string;
  if (view.codes_left === 0) left = 'This coupon already has all the codes its quantity allows.';
  else left = `This coupon takes ${plural(view.codes_left, 'more code', 'more codes', locale)}.`;
  return { space, odds, example: view.example, left };
}

/** What the seller is told the generator's empty fields mean. */
export function alphabetHint(alphabet: string): string {
  const typed = alphabet.trim();
  if (typed === '') return `Default: ${DEFAULT_ALPHABET.length} characters without look-alikes (no 0/O, 1/I/L).`;
  return `${[...new Set(typed.toUpperCase())].length} different characters.`;
}
