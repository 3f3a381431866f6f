import { describe, expect, test } from 'vitest';
import type { CodeSpaceView, CommandError } from './bindings';
import { alphabetHint, buildCodeRequest, emptyCodeForm, hintText, placeCodeError, type CodeForm } from './code-form';
import { codeSpaceHint } from '../test/dom';
import { fieldWords } from './coupon-errors';

function form(change: Partial<CodeForm> = {}): CodeForm {
  return { ...emptyCodeForm(), count: '10000', ...change };
}

describe('buildCodeRequest', () => {
  test('empty options mean: automatic length, no dashes, default alphabet, no channel', () => {
    expect(buildCodeRequest('S1', 'C1', form(), 'generate')).toEqual({
      ok: true,
      request: {
        store_id: 'S1',
        coupon_id: 'C1',
        count: 10000,
        length: null,
        prefix: '',
        suffix: '',
        group: null,
        alphabet: null,
        check_character: 'without',
        channel: null,
      },
    });
  });

  test('every option is sent as typed (trimmed); the backend upper-cases and checks them', () => {
    const built = buildCodeRequest(
      'S1',
      'C1',
      form({ channel: ' facebook ', length: '9', prefix: 'win', suffix: 'x', group: '4', alphabet: 'ABCDEFG', checkCharacter: true }),
      'generate',
    );
    expect(built.ok && built.request).toMatchObject({
      channel: 'facebook',
      length: 9,
      prefix: 'win',
      suffix: 'x',
      group: 4,
      alphabet: 'ABCDEFG',
      check_character: 'with',
    });
  });

  test('the hint reads an empty count as 0; generating needs one', () => {
    expect(buildCodeRequest('S1', 'C1', form({ count: '' }), 'hint')).toMatchObject({ ok: true, request: { count: 0 } });
    expect(buildCodeRequest('S1', 'C1', form({ count: '' }), 'generate')).toEqual({
      ok: false,
      errors: { count: { key: 'codes.form.count-missing' } },
    });
  });

  test('numbers that are not whole numbers are named at their field', () => {
    const built = buildCodeRequest('S1', 'C1', form({ count: '1e4', length: 'nine', group: '-4' }), 'hint');
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(Object.keys(built.errors).sort()).toEqual(['count', 'group', 'length']);
    expect(fieldWords(built.errors.length!).text).toBe('Type a whole number, or leave it empty to have a safe length chosen.');
    expect(fieldWords(built.errors.group!).text).toBe('Type a whole number, or leave it empty for no dashes.');
  });
});

test('refusals go under the field they name; check_char is the check-character box', () => {
  const error: CommandError = {
    code: 'invalid_input',
    message: 'check_char: a check character needs an alphabet whose size is a prime number [CODES-3]',
    field: 'check_char',
    rule: 'CODES-3',
    reason: 'check_needs_prime',
    params: { size: '30' },
  };
  expect(placeCodeError(error).fields).toEqual({ check_character: { refusal: error } });
  const length: CommandError = { ...error, field: 'length', rule: 'CODES-1', message: 'length: 1 to 32 [CODES-1]' };
  expect(placeCodeError(length).fields.length).toEqual({ refusal: length });
  const coupon: CommandError = { ...error, field: 'coupon', message: 'coupon C1 has ended [CODES-1]' };
  expect(placeCodeError(coupon)).toEqual({ fields: {}, alert: coupon });
});

describe('hintText', () => {
  const view: CodeSpaceView = codeSpaceHint({ codes_left: 39000 });

  test('says the length, the code space, the odds, an example and what is left', () => {
    expect(hintText(view, false, 'en-US')).toEqual({
      space: 'Length 9 from 31 characters: 26,439,622,160,671 codes.',
      odds: 'A random guess hits one of your 10,000 live codes 1 time in 2,643,962,216.',
      example: 'WIN-7KQ2-M8XP',
      left: 'This coupon takes 39,000 more codes.',
    });
  });

  test('an automatic length says so; one live code and none read naturally', () => {
    expect(hintText(view, true, 'en-US').space).toBe('Length 9 (chosen for you: safe, at least 8) from 31 characters: 26,439,622,160,671 codes.');
    expect(hintText({ ...view, live_codes_after: 1 }, false, 'en-US').odds).toBe(
      'A random guess hits your 1 live code 1 time in 2,643,962,216.',
    );
    expect(hintText({ ...view, live_codes_after: 0 }, false, 'en-US').odds).toBe('No live codes share this format yet.');
  });

  test('a full coupon, and one code left', () => {
    expect(hintText({ ...view, codes_left: 0 }, false, 'en-US').left).toBe(
      'This coupon already has all the codes its quantity allows.',
    );
    expect(hintText({ ...view, codes_left: 1 }, false, 'en-US').left).toBe('This coupon takes 1 more code.');
  });

  test('big numbers follow the locale', () => {
    expect(hintText(view, false, 'de-DE').space).toBe('Length 9 from 31 characters: 26.439.622.160.671 codes.');
  });
});

test('the alphabet hint', () => {
  expect(alphabetHint('')).toBe('Default: 31 characters without look-alikes (no 0/O, 1/I/L).');
  expect(alphabetHint('ABCA')).toBe('3 different characters.');
});
