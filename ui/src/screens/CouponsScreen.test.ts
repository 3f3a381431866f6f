// The Coupons screen in happy-dom, with the Tauri commands mocked.
import { flushSync } from 'svelte';
import { beforeEach, expect, test, vi } from 'vitest';
import CouponsScreen from './CouponsScreen.svelte';
import type { CommandError, CouponListView, CouponView, StoreView } from '../lib/bindings';
import { FIRST_COUPONS } from '../lib/coupon-list';
import { couponView, NO_CODES } from '../lib/coupon-test-data';
import { liveProps } from '../test/live-props.svelte';
import { byTestId, mountScreen, query, recordIpc, screenProps, settle, setupScreenTests, STORE, typeInto } from '../test/dom';
import type { IpcHandler, MountedScreen, RecordedIpc } from '../test/dom';

setupScreenTests();

const navigate = vi.fn();
const onchanged = vi.fn();
let ipc: RecordedIpc;

beforeEach(() => {
});

/** What list_coupons answers: the first `first` coupons (all without it), the counts of all. */
function listOf(coupons: CouponView[], first: number | null = null): CouponListView {
  const state_counts: Record<string, number> = { draft: 0, pending: 0, published: 0, rejected: 0, stopped: 0 };
  for (const coupon of coupons) state_counts[coupon.state] = (state_counts[coupon.state] ?? 0) + 1;
  const listed = first === null ? coupons : coupons.slice(0, first);
  return { store_id: 'S1', total: coupons.length, coupons: listed, state_counts };
}

/** Mounts the screen over a store holding `coupons`; created and stopped coupons join the list. */
async function start(
  coupons: CouponView[],
  handlers: Record<string, IpcHandler> = {},
  couponId: string | null = null,
  store: StoreView = STORE,
): Promise<MountedScreen> {
  let current = coupons;
  const answers: Record<string, IpcHandler> = {
    list_coupons: (args) => listOf(current, (args as { first: number | null }).first),
    ...handlers,
  };
  for (const cmd of ['create_coupon', 'stop_coupon']) {
    const handler = handlers[cmd];
    if (handler === undefined) continue;
    answers[cmd] = (args) => {
      const changed = handler(args) as CouponView;
      current = [...current.filter((c) => c.coupon_id !== changed.coupon_id), changed];
      return changed;
    };
  }
  ipc = recordIpc(answers);
  const screen = mountScreen(CouponsScreen, screenProps({ store, couponId, navigate, onchanged }));
  await settle();
  return screen;
}

function commands(name: string) {
  return ipc.calls(name);
}

const COUPONS = [
  couponView({ codes: { ...NO_CODES, generated: 10000, exported: 2000, claimed: 150, used: 12 } }),
  couponView({ coupon_id: 'C2', title: 'Newsletter', state: 'rejected', rejection_reason: 'Discount too high for the category' }),
  couponView({ coupon_id: 'C3', title: 'Summer', state: 'stopped' }),
];

test('lists the coupons with formatted terms, code counts and the state summary', async () => {
  await start(COUPONS);
  const rows = document.querySelectorAll<HTMLElement>('[data-testid="coupon-row"]');
  expect([...rows].map((row) => row.dataset.couponId)).toEqual(['C1', 'C2', 'C3']);
  const first = rows[0]!.textContent ?? '';
  expect(first).toContain('Black Friday');
  expect(first).toContain('$3.00');
  expect(first).toContain('over $20.00');
  expect(first).toContain('50,000');
  expect(first).toContain('10,000 generated');
  expect(first).toContain('150 claimed');
  expect(rows[1]!.textContent).toContain('Discount too high for the category');

  const summary = byTestId('state-counts').textContent?.replace(/\s+/g, ' ');
  expect(summary).toContain('1 Published');
  expect(summary).toContain('1 Rejected');
  expect(summary).toContain('0 Draft');
});

test('no coupons: says what to do next', async () => {
  await start([]);
  const empty = byTestId('coupons-empty').textContent ?? '';
  expect(empty).toContain('No coupons yet');
  expect(empty).toContain('New coupon');
  expect(empty).toContain('first sync');
});

test('a click or the keyboard selects a coupon; its details offer Codes and Results', async () => {
  await start(COUPONS);
  const rows = document.querySelectorAll<HTMLElement>('[data-testid="coupon-row"]');
  rows[1]!.querySelector('td')!.click();
  flushSync();
  expect(byTestId('coupon-details').dataset.couponId).toBe('C2');
  expect(byTestId('rejection-reason').textContent).toContain('Discount too high');
  expect(navigate).toHaveBeenLastCalledWith('coupons', 'C2');
  // C2 was rejected but has not ended: it can still be stopped.
  expect(query('stop-coupon')).not.toBeNull();

  // ↓ moves the focus to the next row's button; Enter on a button is a click.
  const button = rows[1]!.querySelector<HTMLButtonElement>('.row-button')!;
  button.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
  // The row is scrolled into view first (it may not be drawn yet), then focused.
  await settle();
  const next = rows[2]!.querySelector<HTMLButtonElement>('.row-button')!;
  expect(document.activeElement).toBe(next);
  expect(next.tabIndex).toBe(0);
  expect(button.tabIndex).toBe(-1);
  next.click();
  flushSync();
  expect(byTestId('coupon-details').dataset.couponId).toBe('C3');
  // A stopped coupon cannot be stopped again.
  expect(query('stop-coupon')).toBeNull();

  byTestId('open-codes').click();
  expect(navigate).toHaveBeenLastCalledWith('codes', 'C3');
  byTestId('open-results').click();
  expect(navigate).toHaveBeenLastCalledWith('campaign', 'C3');
});

test('a draft says what to enter on the platform whose API cannot create it; other coupons ask nothing', async () => {
  const draft = couponView({ coupon_id: 'D1', title: 'Summer 4 off 40', state: 'draft' });
  await start([...COUPONS, draft], {
    platform_entry: (args) =>
      args.couponId === 'D1'
        ? {
            platform: 'AliExpress',
            link: 'https://gsp.aliexpress.com',
            fields: [
              { label: 'Coupon name', value: 'Summer 4 off 40' },
              { label: 'Discount (USD)', value: '4.00' },
            ],
          }
        : null,
  }, 'D1');
  const entry = byTestId('platform-entry');
  expect(entry.textContent).toContain('Enter it in AliExpress');
  expect(byTestId('platform-entry-link').textContent).toBe('https://gsp.aliexpress.com');
  expect(entry.textContent).toContain('Discount (USD)');
  expect(entry.textContent).toContain('4.00');
  expect(ipc.args('platform_entry')).toEqual([{ storeId: 'S1', couponId: 'D1' }]);
});

test('a platform whose API cannot stop a coupon: no Stop button, and where to stop it instead', async () => {
  const aliexpress = { kind: 'aliexpress', name: 'AliExpress', capabilities: ['pull_coupons', 'pull_refund_requests', 'answer_refund_requests'] };
  await start(COUPONS, {}, 'C1', { ...STORE, platform: aliexpress });
  expect(query('stop-coupon')).toBeNull();
  expect(byTestId('stop-elsewhere').textContent).toContain('AliExpress’s API cannot stop a coupon');
  // The platform counts no claims of this coupon: nothing is said of them.
  expect(query('claimed-on-platform')).toBeNull();
});

test('the codes the platform counted, from every desk of the store', async () => {
  await start([couponView({ coupon_id: 'C1', codes_on_platform: 2500 })], {}, 'C1');
  const line = byTestId('codes-on-platform').closest('div')!.textContent!.replace(/\s+/g, ' ');
  expect(line).toContain('Codes on the platform');
  expect(line).toContain('2,500');
  expect(line).toContain('from every desk of the store');
});

test('a platform that counts claims of the coupon itself: how many buyers claimed it, and that uses are not counted', async () => {
  const aliexpress = { kind: 'aliexpress', name: 'AliExpress', capabilities: ['pull_coupons', 'pull_refund_requests', 'answer_refund_requests'] };
  const claimed = couponView({ coupon_id: 'ae-3000000001', quantity: 500, claimed_on_platform: 42 });
  await start([claimed], {}, 'ae-3000000001', { ...STORE, platform: aliexpress });
  const line = byTestId('claimed-on-platform').closest('div')!.textContent!.replace(/\s+/g, ' ');
  expect(line).toContain('Claimed on AliExpress');
  expect(line).toContain('42 of 500 buyers');
  expect(line).toContain('AliExpress does not count uses');
});

test('the shell’s coupon is selected on arrival', async () => {
  await start(COUPONS, {}, 'C2');
  expect(byTestId('coupon-details').dataset.couponId).toBe('C2');
});

test('stopping asks first, and calls stop_coupon only once confirmed', async () => {
  await start(COUPONS, {
    stop_coupon: (args) => couponView({ coupon_id: args.couponId as string, state: 'stopped' }),
  });
  document.querySelector<HTMLElement>('[data-coupon-id="C1"] td')!.click();
  flushSync();
  byTestId('stop-coupon').click();
  flushSync();
  const dialog = byTestId('stop-dialog');
  expect(dialog.hasAttribute('open')).toBe(true);
  const words = dialog.textContent ?? '';
  expect(words).toContain('Buyers can no longer claim it');
  expect(words).toContain('cannot be restarted');
  expect(words).toContain('Codes already handed out stop working');

  byTestId('stop-dialog-cancel').click();
  await settle();
  expect(commands('stop_coupon')).toHaveLength(0);
  expect(dialog.hasAttribute('open')).toBe(false);

  byTestId('stop-coupon').click();
  flushSync();
  byTestId('stop-dialog-confirm').click();
  await settle();
  expect(commands('stop_coupon')).toEqual([{ cmd: 'stop_coupon', args: { storeId: 'S1', couponId: 'C1' } }]);
  expect(onchanged).toHaveBeenCalledTimes(1);
  expect(commands('list_coupons')).toHaveLength(2);
  expect(byTestId('coupon-state').textContent).toBe('Stopped');
  expect(query('stop-coupon')).toBeNull();
});

test('a long list: the first coupons come first and are drawn, then the whole list', async () => {
  const many = Array.from({ length: 150 }, (_, index) =>
    couponView({ coupon_id: `C${index + 1}`, title: `Coupon ${index + 1}` }),
  );
  await start(many);
  expect(commands('list_coupons').map((call) => (call.args as { first: number | null }).first)).toEqual([
    FIRST_COUPONS,
    null,
  ]);
  // The scroll space and the row count are the whole list's.
  const table = document.querySelector<HTMLElement>('table.coupons')!;
  expect(table.getAttribute('aria-rowcount')).toBe('151');
  const summary = byTestId('state-counts').textContent?.replace(/\s+/g, ' ');
  expect(summary).toContain('150 Published');
});

test('a short list comes whole in the first answer: no second request', async () => {
  await start(COUPONS);
  expect(commands('list_coupons')).toHaveLength(1);
});

test('a sync reported by the shell reads the list again, with what came down', async () => {
  let current = [COUPONS[0]!];
  ipc = recordIpc({ list_coupons: () => listOf(current) });
  const props = liveProps({ ...screenProps({ navigate, onchanged }), synced: 0 });
  mountScreen(CouponsScreen, props);
  await settle();
  expect(commands('list_coupons')).toHaveLength(1);
  current = COUPONS;
  props.synced = 1;
  await settle();
  expect(commands('list_coupons')).toHaveLength(2);
  expect(document.querySelectorAll('[data-testid="coupon-row"]')).toHaveLength(3);
});

const CREATE_1: CommandError = {
  code: 'invalid_input',
  message: 'min_purchase: the minimum purchase 20.00 must be more than the discount 30.00 [CREATE-1]',
  field: 'discount',
  rule: 'CREATE-1',
  reason: 'minimum_not_above_discount',
  params: { minimum: '20.00', discount: '30.00' },
};

function fillForm() {
  typeInto('coupon-title', 'Cyber Monday');
  typeInto('coupon-discount', '30.00');
  typeInto('coupon-min-purchase', '20.00');
  typeInto('coupon-valid-from', '2099-11-30T00:00');
  typeInto('coupon-valid-to', '2099-12-01T00:00');
  typeInto('coupon-quantity', '500');
  flushSync();
}

test('the create form shows a rule refusal under its field, keeps what was typed, then creates', async () => {
  let refuse = true;
  await start(COUPONS, {
    create_coupon: (args) => {
      if (refuse) throw CREATE_1;
      const dto = args.coupon as Record<string, unknown>;
      return couponView({ coupon_id: 'C9', title: dto.title as string, state: 'draft' });
    },
  });
  byTestId('new-coupon').click();
  flushSync();
  expect(document.activeElement).toBe(byTestId('coupon-title'));
  expect(byTestId('coupon-form').textContent).toContain('USD');
  fillForm();
  byTestId('coupon-submit').click();
  await settle();

  const sent = commands('create_coupon')[0]!.args.coupon as Record<string, unknown>;
  expect(sent).toMatchObject({ store_id: 'S1', title: 'Cyber Monday', discount: '30.00', min_purchase: '20.00', quantity: 500 });
  expect(sent.valid_to).toMatch(/^2099-1[12]-\d\dT\d\d:00:00Z$/);

  const discount = byTestId('coupon-discount') as HTMLInputElement;
  const error = byTestId('error-discount');
  expect(error.textContent?.trim()).toBe('The minimum purchase (20.00) must be more than the discount (30.00). [CREATE-1]');
  expect(error.querySelector('.rule')?.textContent).toBe('[CREATE-1]');
  expect(discount.getAttribute('aria-invalid')).toBe('true');
  expect(discount.getAttribute('aria-describedby')?.split(' ')).toContain(error.id);
  expect(document.activeElement).toBe(discount);
  expect(discount.value).toBe('30.00');
  expect((byTestId('coupon-title') as HTMLInputElement).value).toBe('Cyber Monday');
  expect(query('error-alert')).toBeNull();
  expect(onchanged).not.toHaveBeenCalled();

  refuse = false;
  typeInto('coupon-discount', '3.00');
  byTestId('coupon-submit').click();
  await settle();
  expect(query('coupon-form')).toBeNull();
  expect(onchanged).toHaveBeenCalledTimes(1);
  expect(byTestId('coupon-details').dataset.couponId).toBe('C9');
  expect(document.querySelector('[data-coupon-id="C9"]')).not.toBeNull();
  expect(navigate).toHaveBeenLastCalledWith('coupons', 'C9');
});

test('empty fields are named without asking the backend; an error naming no field goes to the alert', async () => {
  await start(COUPONS, {
    create_coupon: () => {
      throw { code: 'database_locked', message: 'the database is locked by another program', field: null, rule: null, reason: null, params: {} };
    },
  });
  byTestId('new-coupon').click();
  flushSync();
  byTestId('coupon-submit').click();
  await settle();
  expect(commands('create_coupon')).toHaveLength(0);
  // The field's message, under the title input.
  const titleError = () => document.querySelector('p.field-error[data-testid="error-title"]');
  expect(titleError()?.textContent?.trim()).toBe('Type a title buyers will see.');
  expect(byTestId('error-valid_to').textContent?.trim()).toBe('Choose when the coupon ends.');
  expect(document.activeElement).toBe(byTestId('coupon-title'));

  fillForm();
  byTestId('coupon-submit').click();
  await settle();
  expect(commands('create_coupon')).toHaveLength(1);
  expect(byTestId('error-alert').dataset.code).toBe('database_locked');
  expect(titleError()).toBeNull();
});

test('Escape closes the form and gives the focus back to New coupon', async () => {
  await start(COUPONS);
  byTestId('new-coupon').click();
  flushSync();
  byTestId('coupon-title').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
  await settle();
  expect(query('coupon-form')).toBeNull();
  expect(document.activeElement).toBe(byTestId('new-coupon'));
});

test('a list of 1,000 coupons draws only the rows in view, and says how many there are', async () => {
  const many = Array.from({ length: 1000 }, (_, index) =>
    couponView({ coupon_id: `C${String(index).padStart(4, '0')}`, title: `Coupon ${index}` }),
  );
  await start(many);
  await settle();
  const drawn = document.querySelectorAll('[data-testid="coupon-row"]');
  expect(drawn.length).toBeGreaterThan(10);
  expect(drawn.length).toBeLessThan(50);
  expect(drawn[0]?.getAttribute('data-coupon-id')).toBe('C0000');
  const table = document.querySelector('table.coupons')!;
  expect(table.getAttribute('aria-rowcount')).toBe('1001');
  // The rows not drawn keep their space, so the scroll bar is the whole list's.
  const body = table.querySelector('tbody') as HTMLElement;
  expect(body.style.paddingBottom).toBe(`${(1000 - drawn.length) * 64}px`);
});
