// A refusal in the seller's language. The Rust side refuses bad input with an English line (for
// the CLI and the logs) and, beside it, what the page words it from: the rule (`CREATE-1`), the
// way it was broken (`reason`) and the values its words name (`params`). The words are
// `refusals.<RULE-ID>` in `locales/<language>/refusals.json`, an ICU select on `reason` whose
// `other` branch states the rule as a whole; the English line shows only for an error that names
// no rule (what a platform answered, a file that could not be read).
import type { CommandError } from './bindings';
import { formatDateTime } from './format';
import { t } from './i18n.svelte';

/** What a refusal's words are made from. */
export type Refusal = Pick<CommandError, 'message' | 'rule' | 'reason' | 'params'>;

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** A value as the words take it: a whole number as a number (for plurals), a time as local text. */
function wordValue(text: string): string | number {
  if (/^\d{1,15}$/.test(text)) return Number(text);
  if (TIME.test(text)) return formatDateTime(text);
  return text;
}

function values(refusal: Refusal): Record<string, string | number> {
  const named: Record<string, string | number> = {};
  for (const [name, text] of Object.entries(refusal.params)) named[name] = wordValue(text);
  return { ...named, reason: refusal.reason ?? 'other' };
}

/** The words of one refusal, in the seller's language; the English line when it names no rule. */
export function refusalWords(refusal: Refusal): string {
  if (refusal.rule === null) return refusal.message;
  const key = `refusals.${refusal.rule}`;
  const named = values(refusal);
  // A value the words name may be missing: the rule as a whole (its `other` branch, which names
  // none) still says what is wrong.
  const words = attempt(key, named) ?? attempt(key, { reason: 'other' });
  if (words === null || words === key) return refusal.message;
  // A message ending in an optional part (CODES-5's advice) may end in a space.
  const said = words.trim();
  const elsewhere = named.elsewhere;
  return typeof elsewhere === 'number' ? `${said} ${t('refusals.CODES-1-elsewhere', { elsewhere })}` : said;
}

function attempt(key: string, named: Record<string, string | number>): string | null {
  try {
    return t(key, named);
  } catch {
    return null;
  }
}
