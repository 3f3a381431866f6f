// End to end: connecting an AliExpress store in Settings, as a seller does. The AliExpress Open
// Platform here is the sandbox binary's AliExpress dialect, started as a separate server on
// loopback (`sellerdesk-sandbox serve --dialect aliexpress`): the seller authorizes the app on its
// consent page, which sends the browser to the app's callback with a code; the seller types the
// app's key and secret and pastes the code; Seller Desk exchanges it for the store's tokens and
// the store's coupon activities come down with the first sync.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ELEMENT } from './webdriver.mjs';
import { eventually, openApp, startSandbox, stopSandbox } from './app.mjs';

let app = null;
let platform = null;

/** Starts the AliExpress dialect and reads the address and the demo app it prints. */
function startAliexpress() {
  return startSandbox(['serve', '--dialect', 'aliexpress', '--port', '0'], (printed) => {
    const url = /listening on (http:\/\/\S+)/.exec(printed)?.[1];
    const app = /app key (\S+) secret (\S+)/.exec(printed);
    return url && app ? { url, key: app[1], secret: app[2] } : null;
  });
}

/** The seller consents on AliExpress's page: the code its redirect to the callback carries. */
async function consent() {
  const page = new URL('/oauth/authorize', platform.url);
  page.search = new URLSearchParams({
    response_type: 'code',
    force_auth: 'true',
    redirect_uri: 'https://seller.example.com/callback',
    client_id: platform.key,
    state: 'e2e',
  }).toString();
  const response = await fetch(page, { redirect: 'manual' });
  assert.equal(response.status, 302);
  const callback = new URL(response.headers.get('location'));
  assert.equal(callback.searchParams.get('state'), 'e2e');
  return callback.searchParams.get('code');
}

/** Types store A1 and the dialect's app into Settings' form, as a seller would. */
async function fillStore() {
  await app.fill('connect-store-id', 'A1');
  await app.fill('connect-store-name', 'My AliExpress store');
  await app.fill('connect-currency', 'USD');
  await app.fill('connect-url', platform.url);
  await app.fill('connect-app-key', platform.key);
  await app.fill('connect-app-secret', platform.secret);
}

describe('Settings: connecting an AliExpress store', () => {
  before(async () => {
    platform = await startAliexpress();
    app = await openApp('aliexpress-connect');
    await app.expectText('platform-badge', 'Sandbox', 20_000);
  });

  after(async () => {
    try {
      if (app !== null) await app.close();
    } finally {
      if (platform !== null) await stopSandbox(platform);
    }
  });

  test('the code connects the store and its coupons come down; the spent code is refused beside it', async () => {
    await app.click('nav-settings');
    await app.select('connect-platform', 'aliexpress');
    await app.waitForTestId('connect-authorization-code');
    assert.equal(await app.exists('connect-access-token'), false, 'AliExpress takes no typed token');
    await fillStore();
    const code = await consent();
    await app.fill('connect-authorization-code', code);
    await app.click('connect-submit');
    await app.expectText('connect-result', /Connected store A1/, 20_000);
    await app.expectText('platform-badge', 'Platform', 15_000);

    // Its coupon activities come down with the first sync.
    await app.click('nav-coupons');
    await app.click('sync-now', 10_000);
    const row = '[data-testid="coupon-row"][data-coupon-id="ae-3000000001"]';
    await eventually(
      'the Spring activity in the list',
      async () => (await app.session.cmd('POST', '/elements', { using: 'css selector', value: row })).map((e) => e[ELEMENT]),
      (found) => found.length === 1,
      20_000,
    );
    await app.screenshot('aliexpress-connected.png');

    // The same code again (an old tab, a second click): spent, AliExpress refuses it, and the
    // refusal is said beside the code.
    await app.click('nav-settings');
    await app.select('connect-platform', 'aliexpress');
    await fillStore();
    await app.fill('connect-authorization-code', code);
    await app.click('connect-submit');
    await app.expectText('connect-error-authorization_code', /InvalidCode/, 15_000);
  });
});
