// The code generator form as plain data: what the seller typed, the GenerateCodesInput it becomes (for
// the live hint and for generating), where a refusal is shown, and the words of the live hint.
// The rules (CODES-1, CODES-3, CODES-5) are the backend's to check; the page only reads numbers.
import type { GenerateCodesInput, CodeSpaceView, CommandError } from './bindings';
import { placeError, type FieldErrors } from './coupon-errors';
import { parseCount } from './coupon-form';
import { displayLocale } from './coupon-format';
import { formatBigCount, formatCount } from './format';
import { t } from './i18n.svelte';

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
    if (purpose === 'generate') errors.count = { key: 'codes.form.count-missing' };
    count = 0;
  } else if (count === null) {
    errors.count = { key: 'codes.form.count-not-whole' };
  }

  const optional = (field: 'length' | 'group', text: string, notWhole: string): number | null => {
    if (text.trim() === '') return null;
    const value = parseCount(text);
    if (value === null) errors[field] = { key: notWhole };
    return value;
  };
  const length = optional('length', form.length, 'codes.form.length-not-whole');
  const group = optional('group', form.group, 'codes.form.group-not-whole');

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

/**
 * A number whose plural category is that of `digits`, a decimal string of any size (a code space
 * can exceed what a number holds exactly): the categories of the UI's languages depend only on the
 * last digits (the last two, or whether the last six are zeros), which this keeps.
 */
export function pluralNumber(digits: string): number {
  return digits.length <= 15 ? Number(digits) : Number(`1${digits.slice(-7)}`);
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
  const spaceValues = {
    length: String(view.length),
    alphabetCount: view.alphabet_size,
    alphabet: formatCount(view.alphabet_size, locale),
    spaceCount: pluralNumber(view.code_space),
    space: formatBigCount(view.code_space, locale),
  };
  const space = automatic ? t('codes.hint.space-automatic', spaceValues) : t('codes.hint.space', spaceValues);
  const odds =
    view.live_codes_after === 0
      ? t('codes.hint.no-live-codes')
      : t('codes.hint.odds', {
          count: view.live_codes_after,
          n: formatCount(view.live_codes_after, locale),
          odds: formatBigCount(view.guess_one_in, locale),
        });
  const left =
    view.codes_left === 0
      ? t('codes.hint.full')
      : t('codes.hint.left', { count: view.codes_left, n: formatCount(view.codes_left, locale) });
  return { space, odds, example: view.example, left };
}

/** What the seller is told the generator's empty fields mean. */
export function alphabetHint(alphabet: string, locale: string = displayLocale()): string {
  const typed = alphabet.trim();
  if (typed === '') {
    return t('codes.alphabet.default', { count: DEFAULT_ALPHABET.length, n: formatCount(DEFAULT_ALPHABET.length, locale) });
  }
  const different = [...new Set(typed.toUpperCase())].length;
  return t('codes.alphabet.typed', { count: different, n: formatCount(different, locale) });
}
