// End to end: a seller connects their Medusa shop in Settings, creates a coupon, generates and
// exports codes, a buyer redeems one on the shop and sends an item back, and the seller previews
// and approves the return in the window; Medusa refunds exactly what the preview said.
// The Medusa server is the run's (scripts/e2e.sh: SELLERDESK_MEDUSA_ENV), a real Medusa 2.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eventually, localInput, openApp } from './app.mjs';
import { ELEMENT } from './webdriver.mjs';

const envFile = process.env.SELLERDESK_MEDUSA_ENV;
assert.ok(envFile, 'SELLERDESK_MEDUSA_ENV names the medusa.env of a running Medusa (scripts/e2e.sh starts one)');
const medusa = Object.fromEntries(
  readFileSync(envFile, 'utf8')
    .split('\n')
    .filter((line) => line.includes('='))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);
const [TEE, MUG] = medusa.MEDUSA_VARIANT_IDS.split(',');
const STORE = 'MW';
const TITLE = 'Window 5 off 40';

/** Medusa's Admin API with the secret key. */
async function admin(method, path, body) {
  const response = await fetch(`${medusa.MEDUSA_URL}${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${medusa.MEDUSA_SECRET_KEY}:`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: HTTP ${response.status}: ${text}`);
  return JSON.parse(text);
}

/** A buyer's call to Medusa's Store API. */
async function store(path, body) {
  const response = await fetch(`${medusa.MEDUSA_URL}${path}`, {
    method: 'POST',
    headers: { 'x-publishable-api-key': medusa.MEDUSA_PUBLISHABLE_KEY, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `POST ${path}: HTTP ${response.status}: ${text}`);
  return JSON.parse(text);
}

/** A buyer orders a tee and a mug with `code`; the seller ships and takes the money. */
async function buyWithCode(code) {
  const { cart } = await store('/store/carts', {
    region_id: medusa.MEDUSA_REGION_ID,
    email: 'buyer@example.com',
    items: [
      { variant_id: TEE, quantity: 1 },
      { variant_id: MUG, quantity: 1 },
    ],
  });
  const withCode = await store(`/store/carts/${cart.id}/promotions?fields=id,discount_total`, { promo_codes: [code] });
  assert.equal(withCode.cart.discount_total, 5, 'the exported code takes $5.00 off $42.50');
  const address = { first_name: 'Ann', last_name: 'Buyer', address_1: '5 Main St', city: 'Boston', country_code: 'us', postal_code: '02101' };
  await store(`/store/carts/${cart.id}`, { shipping_address: address, billing_address: address });
  await store(`/store/carts/${cart.id}/shipping-methods`, { option_id: medusa.MEDUSA_SHIPPING_OPTION_ID });
  const { payment_collection: collection } = await store('/store/payment-collections', { cart_id: cart.id });
  await store(`/store/payment-collections/${collection.id}/payment-sessions`, { provider_id: 'pp_system_default' });
  const completed = await store(`/store/carts/${cart.id}/complete`, {});
  assert.equal(completed.type, 'order');
  const orderId = completed.order.id;
  const { order } = await admin(
    'GET',
    `/admin/orders/${orderId}?fields=id,*items,*payment_collections,*payment_collections.payments`,
  );
  await admin('POST', `/admin/orders/${orderId}/fulfillments`, {
    items: order.items.map((item) => ({ id: item.id, quantity: item.quantity })),
    location_id: medusa.MEDUSA_STOCK_LOCATION_ID,
  });
  for (const payment of order.payment_collections.flatMap((c) => c.payments)) {
    await admin('POST', `/admin/payments/${payment.id}/capture`, {});
  }
  return order;
}

let app = null;
let exportDir = null;
const journey = { couponId: null, codes: null, returnId: null, orderId: null };

describe('Seller Desk on a real Medusa shop, in the window', () => {
  before(async () => {
    exportDir = mkdtempSync(join(tmpdir(), 'sellerdesk-e2e-medusa-'));
    app = await openApp('medusa');
    await app.expectText('platform-badge', 'Sandbox', 20_000);
  });

  after(async () => {
    if (app !== null) await app.close();
    if (exportDir !== null) rmSync(exportDir, { recursive: true, force: true });
  });

  test('Settings connects the Medusa shop with a secret key it checks first', async () => {
    await app.click('nav-settings');
    await app.select('connect-platform', 'medusa');
    await app.waitForTestId('connect-api-key');
    assert.equal(await app.exists('connect-app-key'), false, 'Medusa takes no app key');
    await app.fill('connect-store-id', STORE);
    await app.fill('connect-store-name', 'My Medusa shop');
    await app.fill('connect-currency', 'USD');
    await app.fill('connect-url', medusa.MEDUSA_URL);
    await app.fill('connect-api-key', 'sk_not_a_key');
    await app.click('connect-submit');
    // Worded by the page from the refusal's rule and reason (key_refused).
    await app.expectText('connect-error-api_key', /^The shop refused this key\. Make a secret API key in Medusa’s admin and paste it here\.$/, 15_000);

    await app.fill('connect-api-key', medusa.MEDUSA_SECRET_KEY);
    await app.click('connect-submit');
    await app.expectText('connect-result', new RegExp(`Connected store ${STORE}`), 20_000);
    await app.expectText('connect-unenforced', /CREATE-4/);
    await app.expectText('platform-badge', 'Platform', 15_000);
    await app.screenshot('settings-medusa.png');
  });

  test('a coupon and 20 codes for tiktok, exported, go up to Medusa with the sync', async () => {
    await app.click('nav-coupons');
    await app.click('new-coupon');
    await app.waitForTestId('coupon-form');
    const now = new Date();
    now.setSeconds(0, 0);
    await app.fill('coupon-title', TITLE);
    await app.fill('coupon-discount', '5.00');
    await app.fill('coupon-min-purchase', '40.00');
    await app.setDateTime('coupon-valid-from', localInput(new Date(now.getTime() - 60_000)));
    await app.setDateTime('coupon-valid-to', localInput(new Date(now.getTime() + 30 * 24 * 3600 * 1000)));
    await app.fill('coupon-quantity', '1000');
    await app.click('coupon-submit');
    const details = await app.waitForTestId('coupon-details', 10_000);
    journey.couponId = await app.session.attribute(details, 'data-coupon-id');
    assert.ok(journey.couponId);

    await app.click('open-codes');
    await app.fill('code-channel', 'tiktok');
    await app.fill('code-count', '20');
    await app.click('generate-codes');
    await app.expectText('generation-result', /^Made 20 codes for tiktok/, 30_000);
    const out = join(exportDir, 'tiktok.csv');
    await app.click('export-codes');
    await app.answerSaveDialog(out);
    await app.expectText('export-result', `Exported 20 codes to ${out}`, 20_000);
    journey.codes = readFileSync(out, 'utf8')
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((line) => line.split(',')[0]);
    assert.equal(journey.codes.length, 20);

    await app.click('nav-sync');
    await app.click('sync-now-screen', 10_000);
    await app.expectText('sync-report-pending_left', 'Everything is sent.', 60_000);
    const { campaigns } = await admin('GET', `/admin/campaigns?campaign_identifier=${journey.couponId}&fields=id,name`);
    assert.equal(campaigns.length, 1);
    assert.equal(campaigns[0].name, TITLE);
    const promotions = await admin('GET', `/admin/promotions?campaign_id=${campaigns[0].id}&limit=100&fields=id,code`);
    assert.deepEqual(promotions.promotions.map((p) => p.code).sort(), [...journey.codes].sort());
  });

  test('a buyer’s return is previewed to the cent and approved: Medusa refunds exactly that', async () => {
    const order = await buyWithCode(journey.codes[0]);
    journey.orderId = order.id;
    const mug = order.items.find((item) => item.variant_id === MUG);
    const requested = await store('/store/returns', {
      order_id: order.id,
      items: [{ id: mug.id, quantity: 1 }],
      return_shipping: { option_id: medusa.MEDUSA_RETURN_SHIPPING_OPTION_ID },
    });
    journey.returnId = requested.return.id;

    await app.click('nav-sync');
    await app.click('sync-now-screen', 10_000);
    await app.expectText('sync-report-pending_left', 'Everything is sent.', 60_000);
    await app.click('nav-refunds');
    const row = `[data-testid="refund-request-row"][data-request-id="${journey.returnId}"] th`;
    const cell = await eventually(
      'the return in the list',
      async () => (await app.session.cmd('POST', '/element', { using: 'css selector', value: row }))[ELEMENT],
      (element) => Boolean(element),
      20_000,
    );
    await app.session.click(cell);
    await app.waitForTestId('preview-result', 10_000);
    await app.expectText('refund-amount', '$11.03');
    await app.screenshot('refund-medusa.png');

    await app.click('approve-refund');
    await app.confirm('approve-dialog');
    await app.click('nav-sync');
    await app.click('sync-now-screen', 10_000);
    await app.expectText('sync-report-pending_left', 'Everything is sent.', 60_000);
    const refunds = await eventually(
      'Medusa’s refund',
      async () => {
        const { order: refunded } = await admin(
          'GET',
          `/admin/orders/${journey.orderId}?fields=id,*payment_collections,*payment_collections.payments,*payment_collections.payments.refunds`,
        );
        return refunded.payment_collections.flatMap((c) => c.payments).flatMap((p) => p.refunds).map((r) => r.amount);
      },
      (amounts) => amounts.length > 0,
      20_000,
    );
    assert.deepEqual(refunds, [11.03]);
    const { return: received } = await admin('GET', `/admin/returns/${journey.returnId}?fields=id,status`);
    assert.equal(received.status, 'received');
  });

  test('300 more codes show their upload to Medusa in the status bar until all are up', async () => {
    await app.click('nav-codes');
    await app.expectText('codes-coupon', new RegExp(TITLE), 10_000);
    await app.fill('code-channel', 'instagram');
    await app.fill('code-count', '300');
    await app.click('generate-codes');
    await app.expectText('generation-result', /^Made 300 codes for instagram/, 30_000);
    // The change starts a sync; its upload goes 200 codes at a time.
    const bar = `[data-testid="sync-upload-progress"] progress`;
    const label = await eventually(
      'the upload in the status bar',
      async () => {
        const found = (await app.session.cmd('POST', '/elements', { using: 'css selector', value: bar })).map((e) => e[ELEMENT]);
        return found.length > 0 ? app.session.attribute(found[0], 'aria-label') : null;
      },
      (text) => text !== null,
      30_000,
    );
    assert.match(label, /^Uploading codes: \d+ of 300$/);
    await app.screenshot('upload-medusa.png');
    await eventually(
      'the upload done',
      async () => app.exists('sync-upload'),
      (shown) => !shown,
      60_000,
    );
    const { campaigns } = await admin('GET', `/admin/campaigns?campaign_identifier=${journey.couponId}&fields=id`);
    const { count } = await admin('GET', `/admin/promotions?campaign_id=${campaigns[0].id}&limit=1&fields=id`);
    assert.equal(count, 320, 'the 20 codes for tiktok and the 300 for instagram, once each');
  });
});
