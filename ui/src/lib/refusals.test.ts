// Refusals worded from their rule, reason and values, in the seller's language.
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { CommandError } from './bindings';
import { allCatalogs, chooseLanguage } from './i18n.svelte';
import { refusalWords } from './refusals';

const english = (await allCatalogs()).en ?? {};

function refusal(rule: string | null, reason: string | null, params: Record<string, string>, message = 'English line'): CommandError {
  return { code: 'invalid_input', message, field: 'count', rule, reason, params };
}

function check(error: CommandError, expected: string) {
  expect(refusalWords(error)).toBe(expected);
}

describe('a refusal’s words', () => {
  afterEach(() => chooseLanguage(null));

  test('come from the rule, the reason and the values, never the English line', () => {
    check(refusal('CODES-1', 'count_above_left', { left: '1' }), "Only 1 more code fit in this coupon’s quantity.");
    check(refusal('CODES-1', 'count_above_left', { left: '40' }), "Only 40 more codes fit in this coupon’s quantity.");
    check(refusal('CODES-5', 'guessable', { advice: 'length', shortest: '9' }), 'With this many live codes, codes this short could be guessed (more than 1 chance in 1,000,000). Use a length of at least 9.');
    check(refusal('CREATE-1', 'minimum_not_above_discount', { minimum: '3.00', discount: '3.00' }), 'The minimum purchase (3.00) must be more than the discount (3.00).');
  });

  test('follow the language chosen', async () => {
    await chooseLanguage('ru');
    const words = refusalWords(refusal('CREATE-1', 'discount_not_positive', {}));
    expect(words).not.toBe('The discount must be more than zero.');
    expect(words).not.toBe('English line');
    expect(words).toMatch(/[а-я]/);
  });

  test('state the rule as a whole when the reason is not given or a value is missing', () => {
    check(refusal('CREATE-2', null, {}), 'The coupon must start before it ends, and end in the future.');
    check(refusal('CREATE-3', 'quantity_out_of_range', {}), 'The quantity is from 1 to 1,000,000.');
  });

  test('say how many codes other desks made, when the platform counted some', () => {
    check(
      refusal('CODES-1', 'count_above_left', { left: '2', elsewhere: '5' }),
      "Only 2 more codes fit in this coupon’s quantity. 5 codes of this coupon were made on other desks of the store.",
    );
  });

  test('are the English line when the error names no rule', () => {
    check(refusal(null, null, {}, 'Medusa answered 502'), 'Medusa answered 502');
  });
});

describe('the refusals catalog', () => {
  test('every rule of docs/rules.md has words', () => {
    const rules = readFileSync(resolve(process.cwd(), '../docs/rules.md'), 'utf8');
    const ids = [...rules.matchAll(/^\*\*([A-Z]+-\d+)\*\*/gm)].map((match) => match[1]!);
    expect(ids.length).toBeGreaterThan(30);
    expect(ids.filter((id) => english[`refusals.${id}`] === undefined)).toEqual([]);
  });

  test('the words of a rule as a whole name no value, so that they can always be shown', () => {
    const naming: string[] = [];
    for (const [key, message] of Object.entries(english)) {
      if (!key.startsWith('refusals.') || key.endsWith('-elsewhere')) continue;
      const [top] = parse(message);
      const whole: MessageFormatElement[] =
        top?.type === TYPE.select && top.value === 'reason' ? (top.options.other?.value ?? []) : parse(message);
      if (whole.some((element) => element.type !== TYPE.literal)) naming.push(key);
    }
    expect(naming).toEqual([]);
  });
});
