// The catalogs checked, not hoped: every language has exactly English's keys, each message has
// the placeholders English's has, every message parses as ICU, and every key is used somewhere.
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { afterEach, describe, expect, test } from 'vitest';
import { allCatalogs, chooseLanguage, LANGUAGES, language, matchLanguage, t } from './i18n.svelte';

const CATALOGS = await allCatalogs();
const english = CATALOGS.en ?? {};
const others = LANGUAGES.map(({ tag }) => tag).filter((tag) => tag !== 'en');

/** The names of a message's arguments (plural and select branches included), and its tags. */
function placeholders(message: string): string[] {
  const names = new Set<string>();
  const visit = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      if (element.type === TYPE.argument || element.type === TYPE.number || element.type === TYPE.date || element.type === TYPE.time) {
        names.add(element.value);
      } else if (element.type === TYPE.plural || element.type === TYPE.select) {
        names.add(element.value);
        for (const option of Object.values(element.options)) visit(option.value);
      } else if (element.type === TYPE.tag) {
        names.add(`<${element.value}>`);
        visit(element.children);
      }
    }
  };
  visit(parse(message));
  return [...names].sort();
}

describe('the catalogs', () => {
  test('every language of the switch has a catalog, and English has messages', () => {
    expect(Object.keys(CATALOGS).sort()).toEqual(LANGUAGES.map(({ tag }) => tag).sort());
    expect(Object.keys(english).length).toBeGreaterThan(0);
  });

  test.each(others)('%s has exactly the keys English has', (tag) => {
    const keys = Object.keys(CATALOGS[tag] ?? {});
    const missing = Object.keys(english).filter((key) => !keys.includes(key));
    const extra = keys.filter((key) => !(key in english));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  test.each(LANGUAGES.map(({ tag }) => tag))('every %s message parses and has the placeholders of the English one', (tag) => {
    const differing: string[] = [];
    for (const [key, message] of Object.entries(CATALOGS[tag] ?? {})) {
      const expected = english[key];
      if (expected === undefined) continue;
      const found = placeholders(message).join(' ');
      const wanted = placeholders(expected).join(' ');
      if (found !== wanted) differing.push(`${key}: {${found}} where English has {${wanted}}`);
    }
    expect(differing).toEqual([]);
  });

  test('every key is used by the code: written out, or under a prefix the code completes', () => {
    const sources = import.meta.glob<string>(['../**/*.ts', '../**/*.svelte', '!../**/*.test.ts', '!../test/**'], {
      query: '?raw',
      import: 'default',
      eager: true,
    });
    const code = Object.values(sources).join('\n');
    const written = new Set(code.match(/(?<=['"`])[a-z][\w-]*\.[\w.-]+(?=['"`])/g) ?? []);
    const prefixes = [...code.matchAll(/`([a-z][\w-]*\.[\w.-]*)\$\{/g)].map((match) => match[1]!);
    const unused = Object.keys(english).filter(
      (key) => !written.has(key) && !prefixes.some((prefix) => key.startsWith(prefix)),
    );
    expect(unused).toEqual([]);
  });
});

describe('the language', () => {
  afterEach(() => chooseLanguage(null));

  test('the closest UI language to the seller’s preferred ones, English otherwise', () => {
    expect(matchLanguage(['ru-RU', 'en'])).toBe('ru');
    expect(matchLanguage(['pt-PT'])).toBe('pt-BR');
    expect(matchLanguage(['zh-TW', 'zh'])).toBe('zh-CN');
    expect(matchLanguage(['de-DE', 'fr-CA'])).toBe('fr');
    expect(matchLanguage(['de-DE'])).toBe('en');
    expect(matchLanguage([])).toBe('en');
  });

  test('a choice applies once its catalog is in, and is kept; none follows the system again', async () => {
    await chooseLanguage('ru');
    expect(language()).toBe('ru');
    expect(localStorage.getItem('sellerdesk.language')).toBe('ru');
    expect(document.documentElement.lang).toBe('ru');
    await chooseLanguage(null);
    expect(localStorage.getItem('sellerdesk.language')).toBeNull();
    expect(language()).toBe(matchLanguage(navigator.languages));
  });

  test('an unknown key reads as itself, so that a missing message shows', () => {
    expect(t('nowhere.to-be-found')).toBe('nowhere.to-be-found');
  });
});
