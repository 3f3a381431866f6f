// The whole page in happy-dom, with the Tauri commands mocked.
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { flushSync, mount, tick, unmount } from 'svelte';
import { afterEach, beforeEach, expect, test } from 'vitest';
import App from './CalculatorScreen.svelte';
import { EXAMPLES, examplePayment, onePreview, PARTLY_REASON, SELLER_REASON, TOO_MANY_UNITS } from '../test/fixtures';

let app: ReturnType<typeof mount> | null = null;
let sent: unknown[] = [];

beforeEach(() => {
  document.body.innerHTML = '<div id="app"></div>';
  sent = [];
});

afterEach(() => {
  if (app) unmount(app);
  app = null;
  clearMocks();
});

async function settle() {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await tick();
  }
}

function byTestId(id: string): HTMLElement {
  const element = document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  if (element === null) throw new Error(`no element with data-testid=${id}`);
  return element;
}

function text(id: string): string {
  return byTestId(id).textContent?.trim() ?? '';
}

async function start(preview: () => unknown) {
  mockIPC((cmd, args) => {
    switch (cmd) {
      case 'list_example_payments':
        return EXAMPLES;
      case 'load_example_payment':
        return examplePayment();
      case 'preview_refund':
        sent.push((args as { input: unknown }).input);
        return preview();
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });
  app = mount(App, { target: document.getElementById('app')! });
  await settle();
  byTestId('example-combined-cart').click();
  await settle();
}

test('pick an example, preview the refund it comes with, read amount and coupon outcomes', async () => {
  await start(onePreview);
  expect(text('payment-id')).toBe('P-1001');
  expect(byTestId('line-A1-b').textContent).toContain('On sale');
  expect((byTestId('units-a') as HTMLInputElement).value).toBe('1');

  byTestId('preview-button').click();
  await settle();

  expect(sent).toEqual([examplePayment()]);
  expect(text('refund-amount')).toBe('8.06');
  expect(text('order-refund')).toBe('Partial refund');
  expect(text('refund-line-a')).toContain('8.06');
  expect(byTestId('allocation-a').textContent).toMatch(/2\.00\s*1\.88\s*16\.12/);
  expect(text('coupon-returned-ae-7')).toBe('No');
  expect(text('coupon-status-ae-7')).toBe('used');
  expect(text('coupon-reason-ae-7')).toBe(PARTLY_REASON);
  expect(text('coupon-reason-s1-5')).toBe(SELLER_REASON);
  expect(document.querySelector('[data-testid="error-alert"]')).toBeNull();
});

test('changing the form marks the preview stale; a refused refund shows the message in an alert', async () => {
  await start(onePreview);
  byTestId('preview-button').click();
  await settle();

  const units = byTestId('units-a') as HTMLInputElement;
  units.value = '3';
  units.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
  expect(byTestId('preview-stale')).toBeTruthy();

  clearMocks();
  mockIPC(() => {
    throw TOO_MANY_UNITS;
  });
  byTestId('preview-button').click();
  await settle();

  const alert = byTestId('error-alert');
  expect(alert.getAttribute('role')).toBe('alert');
  expect(alert.dataset.code).toBe('invalid_input');
  expect(text('error-alert-title')).toBe('This breaks a rule');
  expect(text('error-message')).toBe(TOO_MANY_UNITS.message);
  expect(document.querySelector('[data-testid="preview-result"]')).toBeNull();
});

test('the whole-order choice sends full: true; nothing chosen disables the button', async () => {
  await start(onePreview);
  const units = byTestId('units-a') as HTMLInputElement;
  units.value = '0';
  units.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
  expect((byTestId('preview-button') as HTMLButtonElement).disabled).toBe(true);
  expect(text('form-problem')).toBe('Choose at least one unit to refund.');

  byTestId('refund-order-B1').click();
  byTestId('refund-kind-full').click();
  flushSync();
  expect((byTestId('preview-button') as HTMLButtonElement).disabled).toBe(false);
  byTestId('preview-button').click();
  await settle();
  expect(sent).toEqual([{ ...examplePayment(), refund: { order_id: 'B1', full: true } }]);
});
