// The whole page in happy-dom, with the Tauri commands mocked.
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { flushSync } from 'svelte';
import { expect, test } from 'vitest';
import App from './CalculatorScreen.svelte';
import { EXAMPLES, examplePayment, onePreview, PARTLY_REASON, SELLER_REASON, TOO_MANY_UNITS } from '../test/fixtures';
import { byTestId, mountScreen, recordIpc, settle, setupScreenTests, text, typeInto, type RecordedIpc } from '../test/dom';

setupScreenTests();

let ipc: RecordedIpc;

/** What each preview_refund sent. */
function sent(): unknown[] {
  return ipc.args('preview_refund').map((args) => args.input);
}

async function start(preview: () => unknown) {
  ipc = recordIpc({
    list_example_payments: () => EXAMPLES,
    load_example_payment: () => examplePayment(),
    preview_refund: () => preview(),
  });
  mountScreen(App, {});
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

  expect(sent()).toEqual([examplePayment()]);
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

  typeInto('units-a', '3');
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
  // Worded from the rule and its values, not the backend's English line; the field and the rule beside.
  expect(text('error-message')).toBe('Line a has 2 units left to refund; 3 were asked for.');
  expect(text('error-where')).toBe('refund.lines[0].quantity [REFUND-3]');
  expect(document.querySelector('[data-testid="preview-result"]')).toBeNull();
});

test('the whole-order choice sends full: true; nothing chosen disables the button', async () => {
  await start(onePreview);
  typeInto('units-a', '0');
  flushSync();
  expect((byTestId('preview-button') as HTMLButtonElement).disabled).toBe(true);
  expect(text('form-problem')).toBe('Choose at least one unit to refund.');

  byTestId('refund-order-B1').click();
  byTestId('refund-kind-full').click();
  flushSync();
  expect((byTestId('preview-button') as HTMLButtonElement).disabled).toBe(false);
  byTestId('preview-button').click();
  await settle();
  expect(sent()).toEqual([{ ...examplePayment(), refund: { order_id: 'B1', full: true } }]);
});
