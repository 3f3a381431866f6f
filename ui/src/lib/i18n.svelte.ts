// The seller's language: every word the page shows comes from a message catalog through `t`, as
// an ICU message (FormatJS's intl-messageformat: plurals and selects follow each language's
// rules, so no sentence is glued from fragments). Catalogs are `locales/<language>/<area>.json`,
// one file per area of the UI; a key is `<area>.<name>`. English is in the main bundle (the words
// of every fallback); another language is a chunk of its own, loaded before it shows (main.ts
// loads the starting language before the app mounts), so that a start reads one language only. English is complete
// by definition; `i18n.test.ts` fails when another language lacks a key, has one English does not,
// or gives a message other placeholders than English's, and when a key is used nowhere.
//
// The language is the system's by default (the webview's `navigator.languages`), or the one the
// seller chose in Settings, kept in the page's local storage; a change applies at once (every `t`
// in a template reads it). Amounts, counts and dates keep following the system's locale
// (`format.ts`): they are the seller's region's, whatever language the words are in.
import { IntlMessageFormat } from 'intl-messageformat';

/** The languages of the UI, with their names as their speakers write them. */
export const LANGUAGES = [
  { tag: 'en', name: 'English' },
  { tag: 'zh-CN', name: '简体中文' },
  { tag: 'es', name: 'Español' },
  { tag: 'pt-BR', name: 'Português (Brasil)' },
  { tag: 'ru', name: 'Русский' },
  { tag: 'fr', name: 'Français' },
] as const;

export type Language = (typeof LANGUAGES)[number]['tag'];

/** Where the seller's choice is kept (none: the system's language). */
const CHOICE_KEY = 'sellerdesk.language';

type Catalog = Record<string, string>;

/** English's catalog files, in the main bundle. */
const englishFiles = import.meta.glob<Catalog>('../locales/en/*.json', { eager: true, import: 'default' });

/** The other languages' catalog files (`../locales/<language>/<area>.json`), loaded when needed. */
const otherFiles = import.meta.glob<Catalog>(['../locales/*/*.json', '!../locales/en/*.json'], {
  import: 'default',
});

function catalogsOf(found: Record<string, Catalog>): Record<string, Catalog> {
  const catalogs: Record<string, Catalog> = {};
  for (const [path, messages] of Object.entries(found)) {
    const [, language, area] = /\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path) ?? [];
    if (!language || !area) continue;
    const catalog = (catalogs[language] ??= {});
    for (const [name, message] of Object.entries(messages)) catalog[`${area}.${name}`] = message;
  }
  return catalogs;
}

/** The messages by key (`area.name`) of each language loaded so far: English from the start. */
const catalogs: Record<string, Catalog> = catalogsOf(englishFiles);

/** Loads a language's catalog, once. */
async function load(language: Language): Promise<void> {
  if (catalogs[language]) return;
  const paths = Object.keys(otherFiles).filter((path) => path.includes(`/locales/${language}/`));
  const loaded = await Promise.all(paths.map(async (path) => [path, await otherFiles[path]!()] as const));
  Object.assign(catalogs, catalogsOf(Object.fromEntries(loaded)));
}

/** Every language's catalog, loaded (the catalogs' checks read them all). */
export async function allCatalogs(): Promise<Readonly<Record<string, Catalog>>> {
  await Promise.all(LANGUAGES.map(({ tag }) => load(tag)));
  return catalogs;
}

/** Loads the language the page starts in; the app mounts once it is there. */
export function loadStartingLanguage(): Promise<void> {
  return load(state.language);
}

/** The UI language closest to the seller's preferred ones: `pt` is Brazilian, `zh` simplified. */
export function matchLanguage(preferred: readonly string[]): Language {
  for (const wanted of preferred) {
    const lower = wanted.toLowerCase();
    const exact = LANGUAGES.find(({ tag }) => tag.toLowerCase() === lower);
    if (exact) return exact.tag;
    const base = lower.split(/[-_]/)[0];
    const sameBase = LANGUAGES.find(({ tag }) => tag.toLowerCase().split('-')[0] === base);
    if (sameBase) return sameBase.tag;
  }
  return 'en';
}

function isLanguage(tag: string | null): tag is Language {
  return LANGUAGES.some((language) => language.tag === tag);
}

function chosen(): Language | null {
  try {
    const tag = globalThis.localStorage?.getItem(CHOICE_KEY) ?? null;
    return isLanguage(tag) ? tag : null;
  } catch {
    return null;
  }
}

function systemLanguages(): readonly string[] {
  const navigator = globalThis.navigator;
  return navigator?.languages?.length ? navigator.languages : [navigator?.language ?? 'en'];
}

const state = $state<{ language: Language; choice: Language | null }>({
  language: chosen() ?? matchLanguage(systemLanguages()),
  choice: chosen(),
});

/** The language the words are in now. */
export function language(): Language {
  return state.language;
}

/** The seller's choice in Settings; `null` follows the system's language. */
export function languageChoice(): Language | null {
  return state.choice;
}

/**
 * Switches the words as soon as the language's catalog is in (at once when it was loaded before),
 * and keeps the choice (`null`: the system's language again).
 */
export async function chooseLanguage(choice: Language | null): Promise<void> {
  const next = choice ?? matchLanguage(systemLanguages());
  await load(next);
  state.choice = choice;
  state.language = next;
  try {
    if (choice === null) globalThis.localStorage?.removeItem(CHOICE_KEY);
    else globalThis.localStorage?.setItem(CHOICE_KEY, choice);
  } catch {
    // A page without storage still switches; the choice lasts until it closes.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = state.language;
}

const formats = new Map<string, IntlMessageFormat>();

/** The message `key` in the current language (English when a language lacks it), with `values`. */
export function t(key: string, values?: Record<string, string | number | bigint>): string {
  const current = state.language;
  const inCurrent = catalogs[current]?.[key];
  const [messageLanguage, message] = inCurrent !== undefined ? [current, inCurrent] : ['en', catalogs.en?.[key]];
  if (message === undefined) return key;
  const cacheKey = `${messageLanguage}\u0000${key}`;
  let format = formats.get(cacheKey);
  if (!format) {
    format = new IntlMessageFormat(message, messageLanguage);
    formats.set(cacheKey, format);
  }
  return String(format.format(values));
}

/** A piece of a message: its own words (`slot` null), or the value of the placeholder `slot`. */
export type MessagePiece = { text: string; slot: string | null };

/**
 * The message `key` cut at the placeholders named in `slots`, in the order the language puts
 * them, so that a template can draw those values in markup (a `<strong>`, a `<code>`, a `<kbd>`,
 * a `<time>`) wherever each language places them: one message, never a sentence glued from
 * fragments. A slot's piece carries its value from `values` (empty when the template draws its
 * own); the other values go into the words.
 */
export function messagePieces(
  key: string,
  slots: readonly string[],
  values: Record<string, string | number> = {},
): MessagePiece[] {
  const marked: Record<string, string | number> = { ...values };
  slots.forEach((slot, index) => (marked[slot] = `\uE000${index}\uE001`));
  const pieces: MessagePiece[] = [];
  t(key, marked)
    .split(/\uE000(\d+)\uE001/)
    .forEach((part, index) => {
      if (index % 2 === 0) {
        if (part !== '') pieces.push({ text: part, slot: null });
      } else {
        const slot = slots[Number(part)] ?? '';
        pieces.push({ text: String(values[slot] ?? ''), slot });
      }
    });
  return pieces;
}

/** The words of the message `key` before and after its one marked-up placeholder `slot`. */
export function around(key: string, slot: string, values: Record<string, string | number> = {}): [string, string] {
  const pieces = messagePieces(key, [slot], values);
  const at = pieces.findIndex((piece) => piece.slot !== null);
  const words = (from: MessagePiece[]) => from.map((piece) => piece.text).join('');
  return at < 0 ? [words(pieces), ''] : [words(pieces.slice(0, at)), words(pieces.slice(at + 1))];
}
