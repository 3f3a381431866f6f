// End to end: the real app in a WebKitGTK window (under Xvfb), driven through tauri-driver.
// Run it with scripts/e2e.sh, which builds the UI and the app first and provides the display.
// This file drives the refund calculator screen (payments the seller brings).
//
// Expected values: the bundled "combined-cart" example (crates/sellerdesk-facade/data/examples),
// worked out by hand from docs/spec-notes-for-helpers.md:
//   Order A1: a 10.00 x2 regular, b 15.00 x1 on sale; order B1: c 30.00 x1 regular.
//   Seller coupon s1-5 (2.00 off above 10.00): base a 20.00 > 10.00, so a gets 2.00.
//   Platform coupon ae-7 (5.00 off above 40.00): base a 18.00 + c 30.00 = 48.00 > 40.00;
//   5.00 split 18:30 -> a 1.875, c 3.125 -> floors 1.87 / 3.12, the leftover cent to the tie's
//   first line a -> a 1.88, c 3.12 (APPLY-5).
//   Paid: a 20.00 - 2.00 - 1.88 = 16.12 (8.06 per unit), b 15.00, c 26.88.
//   1 unit of a -> 8.06, partial; whole A1 -> 16.12 + 15.00 = 31.12, full, but ae-7 stays used
//   because B1 also used it and is not refunded (REFUND-6); 4.00 of A1 -> 4.00, partial, no lines.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openApp } from './app.mjs';

const SELLER_REASON = 'A seller coupon is never returned after a refund, partial or full, so it stays used.';
const PARTLY_REASON =
  'Order A1 is only partly refunded, and a platform coupon comes back only when every order that used it is fully refunded.';
const B1_REASON = 'Order B1 also used this platform coupon and is not fully refunded, so the coupon is not returned yet.';

let app = null;
const text = (testId) => app.text(testId);
const cells = (testId) => app.cells(testId);
const click = (testId) => app.click(testId);
const expectText = (testId, expected) => app.expectText(testId, expected);
const screenshot = (name) => app.screenshot(name);
const setUnits = (testId, value) => app.fill(testId, value);

describe('Seller Desk refund calculator', () => {
  before(async () => {
    app = await openApp('calculator');
    await click('nav-calculator');
    await app.waitForTestId('example-list', 20_000);
  });

  after(async () => {
    if (app !== null) await app.close();
  });

  test('the window shows Seller Desk and lists the bundled examples', async () => {
    assert.equal(await app.session.title(), 'Seller Desk');
    await app.waitForTestId('example-combined-cart');
    assert.match(await text('example-combined-cart'), /Combined cart/);
  });

  test('picking the combined cart shows its orders, lines and coupons', async () => {
    await click('example-combined-cart');
    await expectText('payment-id', 'P-1001');
    assert.deepEqual(await cells('line-A1-a'), ['a', '10.00', '2', 'Regular']);
    assert.deepEqual(await cells('line-A1-b'), ['b', '15.00', '1', 'On sale']);
    assert.deepEqual(await cells('line-B1-c'), ['c', '30.00', '1', 'Regular']);
    assert.match(await text('coupon-s1-5'), /Seller coupon of store S1/);
    assert.match(await text('coupon-ae-7'), /Platform coupon/);
    // The example comes with a refund of one unit of line a; the form starts from it.
    assert.equal(await app.session.property(await app.session.byTestId('units-a'), 'value'), '1');
  });

  test('one unit of line a: 8.06, partial, neither coupon comes back', async () => {
    await click('preview-button');
    await expectText('refund-amount', '8.06');
    await expectText('order-refund', 'Partial refund');
    assert.deepEqual(await cells('refund-line-a'), ['a', '1', '8.06']);
    assert.deepEqual(await cells('allocation-a'), ['a', '2.00', '1.88', '16.12']);
    assert.deepEqual(await cells('allocation-b'), ['b', '0.00', '0.00', '15.00']);
    assert.equal(await text('coupon-returned-s1-5'), 'No');
    assert.equal(await text('coupon-status-s1-5'), 'used');
    assert.equal(await text('coupon-reason-s1-5'), SELLER_REASON);
    assert.equal(await text('coupon-returned-ae-7'), 'No');
    assert.equal(await text('coupon-code-returned-ae-7'), 'No');
    assert.equal(await text('coupon-status-ae-7'), 'used');
    assert.equal(await text('coupon-reason-ae-7'), PARTLY_REASON);
    assert.equal(await app.exists('error-alert'), false);
    await screenshot('refund-preview.png');
  });

  test('the whole order A1: 31.12, full, the platform coupon waits for order B1', async () => {
    await click('refund-kind-full');
    await click('preview-button');
    await expectText('refund-amount', '31.12');
    await expectText('order-refund', 'Full refund');
    assert.deepEqual(await cells('refund-line-a'), ['a', '2', '16.12']);
    assert.deepEqual(await cells('refund-line-b'), ['b', '1', '15.00']);
    assert.equal(await text('coupon-status-ae-7'), 'used');
    assert.equal(await text('coupon-reason-ae-7'), B1_REASON);
    await screenshot('whole-order.png');
  });

  test('more units than the line has: a typed invalid_input error in an alert', async () => {
    await click('refund-kind-lines');
    await setUnits('units-a', '3');
    await click('preview-button');
    const alert = await app.waitForTestId('error-alert');
    assert.equal(await app.session.attribute(alert, 'role'), 'alert');
    assert.equal(await app.session.attribute(alert, 'data-code'), 'invalid_input');
    assert.match(await text('error-message'), /^Line a has 2 units left to refund; 3 were asked for\.$/);
    assert.equal(await text('error-where'), 'refund.lines[0].quantity [REFUND-3]');
    assert.equal(await app.exists('preview-result'), false);
    await screenshot('invalid-input.png');
  });

  test('an amount of 4.00 from order A1: partial, not tied to lines', async () => {
    await click('refund-kind-amount');
    await app.fill('refund-amount-input', '4.00');
    await click('preview-button');
    await expectText('refund-amount', '4.00');
    await expectText('order-refund', 'Partial refund');
    assert.equal(await app.exists('refund-lines-empty'), true);
    assert.equal(await app.exists('error-alert'), false);
    assert.equal(await text('coupon-reason-ae-7'), PARTLY_REASON);
  });

  test('the page may call the app commands and nothing else (capabilities/main.json)', async () => {
    const invoke = (command) =>
      app.session.executeAsync(
        `const done = arguments[arguments.length - 1];
         window.__TAURI_INTERNALS__.invoke(arguments[0], {}).then(
           () => done('allowed'),
           (error) => done(typeof error === 'string' ? error : JSON.stringify(error)));`,
        [command],
      );
    assert.equal(await invoke('list_example_payments'), 'allowed');
    assert.match(await invoke('plugin:app|version'), /not allowed/);
    assert.match(await invoke('plugin:window|set_title'), /not allowed/);
    // The save dialog is the Rust side's: the page may neither open it nor touch files itself.
    assert.match(await invoke('plugin:dialog|save'), /not allowed/);
    assert.match(await invoke('plugin:fs|write_text_file'), /not allowed/);
  });
});
