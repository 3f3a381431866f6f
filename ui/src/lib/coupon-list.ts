// The coupon list as the Coupons screen shows it: rows with every amount, date and count already
// formatted (once per distinct value: a list of 1,000 coupons shares most of them), the state
// summary, which coupon may be stopped, and keyboard moves through the list.
import type { CodeCountsView, CouponView } from './bindings';
import { count, dateTime, money } from './coupon-format';
import { t } from './i18n.svelte';

export const COUPON_STATES = ['draft', 'pending', 'published', 'rejected', 'stopped'] as const;
export type CouponState = (typeof COUPON_STATES)[number];

function isState(state: string): state is CouponState {
  return (COUPON_STATES as readonly string[]).includes(state);
}

/** The state's name (`Published`); a state this page does not know reads as itself. */
export function stateLabel(state: string): string {
  return isState(state) ? t(`coupons.state.${state}`) : state;
}

/** What the state means for the seller, in one or two sentences; nothing for an unknown state. */
export function stateHint(state: string): string {
  return isState(state) ? t(`coupons.state-hint.${state}`) : '';
}

export interface StateCount {
  state: string;
  label: string;
  count: number;
}

/** The summary row: every known state in its usual order (zeros included), then any other. */
export function stateSummary(counts: Readonly<Record<string, number>>): StateCount[] {
  const known = COUPON_STATES.map((state) => ({ state, label: stateLabel(state), count: counts[state] ?? 0 }));
  const others = Object.keys(counts)
    .filter((state) => !isState(state))
    .sort()
    .map((state) => ({ state, label: state, count: counts[state] ?? 0 }));
  return [...known, ...others];
}

/** The code counts in the order a seller reads them (a code is generated, exported, claimed…). */
export const CODE_COUNT_KEYS = ['generated', 'exported', 'claimed', 'valid', 'inactive', 'used', 'expired'] as const;
export type CodeCountKey = (typeof CODE_COUNT_KEYS)[number];

/** A code count's name in the details panel (`Generated`). */
export function codeCountLabel(key: CodeCountKey | 'pending'): string {
  return t(`coupons.code-count.${key}`);
}

/** Whether the seller may stop the coupon early: it is not stopped and has not ended. */
export function canStop(coupon: Pick<CouponView, 'state' | 'valid_to'>, now: Date = new Date()): boolean {
  if (coupon.state === 'stopped') return false;
  const end = Date.parse(coupon.valid_to);
  return Number.isNaN(end) || end > now.getTime();
}

/** How rows are written: amounts, times and counts for the seller's locale. */
export interface Formatter {
  money(amount: string, currency: string): string;
  dateTime(iso: string): string;
  count(count: number): string;
}

const FORMAT: Formatter = { money, dateTime, count };

/** `base`, remembering what it wrote per distinct value (1,000 coupons share most values). */
export function memoFormatter(base: Formatter = FORMAT): Formatter {
  const amounts = new Map<string, string>();
  const times = new Map<string, string>();
  const counts = new Map<number, string>();
  return {
    money(amount, currency) {
      const key = `${currency} ${amount}`;
      let text = amounts.get(key);
      if (text === undefined) amounts.set(key, (text = base.money(amount, currency)));
      return text;
    },
    dateTime(iso) {
      let text = times.get(iso);
      if (text === undefined) times.set(iso, (text = base.dateTime(iso)));
      return text;
    },
    count(value) {
      let text = counts.get(value);
      if (text === undefined) counts.set(value, (text = base.count(value)));
      return text;
    },
  };
}

/** One code count as a chip: `1,000 generated`. */
export interface CodeChip {
  key: CodeCountKey | 'pending';
  text: string;
}

/** One row of the table, everything already written for the locale. */
export interface CouponRow {
  id: string;
  title: string;
  discount: string;
  minPurchase: string;
  validFrom: string;
  validTo: string;
  quantity: string;
  state: string;
  stateLabel: string;
  rejectionReason: string | null;
  /** The non-zero code counts; empty when the coupon has no codes yet. */
  codes: CodeChip[];
  /** The same in one line: `10,000 generated · 12 used`, or `No codes yet`. */
  codesText: string;
}

function chipText(key: CodeCountKey | 'pending', value: number, format: Formatter): string {
  return t(`coupons.chip.${key}`, { count: value, n: format.count(value) });
}

export function codeChips(counts: CodeCountsView, format: Formatter): CodeChip[] {
  const chips: CodeChip[] = [];
  for (const key of CODE_COUNT_KEYS) {
    if (counts[key] > 0) chips.push({ key, text: chipText(key, counts[key], format) });
  }
  if (counts.pending > 0) chips.push({ key: 'pending', text: chipText('pending', counts.pending, format) });
  return chips;
}

/** One coupon as its row shows it (the list formats only the rows it draws). */
export function couponRow(coupon: CouponView, format: Formatter): CouponRow {
  const codes = codeChips(coupon.codes, format);
  return {
    id: coupon.coupon_id,
    title: coupon.title,
    discount: format.money(coupon.discount, coupon.currency),
    minPurchase: format.money(coupon.min_purchase, coupon.currency),
    validFrom: format.dateTime(coupon.valid_from),
    validTo: format.dateTime(coupon.valid_to),
    quantity: format.count(coupon.quantity),
    state: coupon.state,
    stateLabel: stateLabel(coupon.state),
    rejectionReason: coupon.state === 'rejected' ? coupon.rejection_reason : null,
    codes,
    codesText: codes.length === 0 ? t('coupons.row.no-codes') : codes.map((chip) => chip.text).join(' · '),
  };
}

/** Rows a PageUp/PageDown moves. */
const PAGE = 10;

/** The coupon a navigation key moves to from `current` (the first one when none is current). */
export function moveInList(ids: readonly string[], current: string | null, key: string): string | null {
  if (ids.length === 0) return null;
  const at = current === null ? -1 : ids.indexOf(current);
  const last = ids.length - 1;
  let next: number;
  switch (key) {
    case 'ArrowDown':
      next = at < 0 ? 0 : Math.min(last, at + 1);
      break;
    case 'ArrowUp':
      next = at < 0 ? 0 : Math.max(0, at - 1);
      break;
    case 'PageDown':
      next = at < 0 ? 0 : Math.min(last, at + PAGE);
      break;
    case 'PageUp':
      next = at < 0 ? 0 : Math.max(0, at - PAGE);
      break;
    case 'Home':
      next = 0;
      break;
    case 'End':
      next = last;
      break;
    default:
      return null;
  }
  return ids[next] ?? null;
}

/**
 * Coupons in the coupon screen's first answer: more rows than a window shows. The rest follow once
 * that answer is drawn: carrying 1,000 coupons to the window takes longer than drawing them.
 */
export const FIRST_COUPONS = 60;

