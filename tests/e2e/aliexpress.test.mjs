// The AliExpress demo store in the real window, on the embedded default: its coupon activities
// come down with the sync, a buyer's dispute is previewed with the discounts AliExpress recorded
// and agreed to, another refused with the seller's reason (which AliExpress asks for), and the
// sandbox's AliExpress dialect records both answers as AliExpress would.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ELEMENT } from './webdriver.mjs';
import { eventually, localInput, openApp } from './app.mjs';

let app = null;
let dialect = null;

/** What the AliExpress dialect recorded. */
async function answers() {
  const response = await fetch(`${dialect}/sandbox/state`);
  return (await response.json()).answers;
}

async function openRequest(requestId) {
  const cell = `[data-testid="refund-request-row"][data-request-id="${requestId}"] th`;
  const element = await eventually(
    `dispute ${requestId} in the list`,
    async () => (await app.session.cmd('POST', '/element', { using: 'css selector', value: cell }))[ELEMENT],
    (found) => Boolean(found),
    20_000,
  );
  await app.session.click(element);
  await app.waitForTestId('preview-result', 10_000);
}

describe('The AliExpress demo store, in the window', () => {
  before(async () => {
    app = await openApp('aliexpress');
    await app.expectText('platform-badge', 'Sandbox', 20_000);
    await app.click('nav-settings');
    dialect = await app.expectText('aliexpress-sandbox-url', /^http:\/\/127\.0\.0\.1:\d+$/, 20_000);
  });

  after(async () => {
    if (app !== null) await app.close();
  });

  test('its coupon activities come down, mirrored with their terms', async () => {
    await app.select('store-switcher', 'S4');
    await app.click('nav-coupons');
    await app.click('sync-now', 10_000);
    const row = '[data-testid="coupon-row"][data-coupon-id="ae-3000000001"]';
    const text = await eventually(
      'the Spring activity in the list',
      async () => {
        const found = await app.session.cmd('POST', '/elements', { using: 'css selector', value: row });
        if (found.length === 0) return null;
        return app.session.execute('return arguments[0].textContent;', [{ [ELEMENT]: found[0][ELEMENT] }]);
      },
      (value) => value !== null,
      20_000,
    );
    assert.match(text, /Spring 3 off 30/);
    assert.match(text, /\$3\.00/);
    await app.screenshot('aliexpress-coupons.png');
  });

  test('a new coupon is a draft that says what to enter in Seller Center', async () => {
    await app.click('new-coupon');
    await app.waitForTestId('coupon-form');
    const now = new Date();
    now.setSeconds(0, 0);
    await app.fill('coupon-title', 'Summer 4 off 40');
    await app.fill('coupon-discount', '4.00');
    await app.fill('coupon-min-purchase', '40.00');
    await app.setDateTime('coupon-valid-from', localInput(new Date(now.getTime() + 3600 * 1000)));
    await app.setDateTime('coupon-valid-to', localInput(new Date(now.getTime() + 30 * 24 * 3600 * 1000)));
    await app.fill('coupon-quantity', '300');
    await app.click('coupon-submit');
    await app.waitForTestId('coupon-details', 10_000);
    await app.expectText('coupon-state', 'Draft', 10_000);
    await app.expectText('platform-entry-link', 'https://gsp.aliexpress.com', 10_000);
    // Read until it holds: a sync ending meanwhile draws the details again.
    await app.expectText('platform-entry', /Discount \(USD\)\s*4\.00[\s\S]*Orders over \(USD\)\s*40\.00/, 10_000);
    await app.screenshot('aliexpress-draft.png');
  });

  test('a dispute is previewed with the recorded discounts and agreed to on AliExpress', async () => {
    await app.click('nav-refunds');
    await openRequest('7000001');
    // The bag paid $20.00 less the seller coupon's $1.71 and the platform coupon's $2.00.
    await app.expectText('refund-amount', '$16.29');
    await app.screenshot('aliexpress-dispute.png');
    await app.click('approve-refund');
    await app.confirm('approve-dialog');
    await app.click('sync-now', 10_000);
    const recorded = await eventually('the agreement on AliExpress', answers, (list) => list.length > 0, 20_000);
    assert.equal(recorded[0].issue_id, '7000001');
    assert.equal(recorded[0].method, 'agree');
    assert.equal(recorded[0].parameters.solution_id, '7100001');
  });

  test('refusing asks for the seller’s reason, which AliExpress records', async () => {
    await openRequest('7000002');
    await app.click('refuse-refund');
    await app.click('refuse-dialog-confirm');
    // Worded by the page from the refusal's rule, reason and platform (not the Rust side's English line).
    await app.expectText('refuse-reason-error', /^AliExpress asks for your reason to refuse a dispute: write one\.$/, 10_000);
    await app.fill('refuse-reason', 'The scarf matches its photos.');
    await app.confirm('refuse-dialog');
    await app.expectText('refund-selected-status', /Refused/, 10_000);
    await app.click('sync-now', 10_000);
    const recorded = await eventually('the refusal on AliExpress', answers, (list) => list.length > 1, 20_000);
    const saved = recorded.find((answer) => answer.method === 'save');
    assert.equal(saved.issue_id, '7000002');
    assert.equal(saved.parameters.solution_context, 'The scarf matches its photos.');
  });
});
