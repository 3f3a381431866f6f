// End to end: leaving the embedded sandbox for a "real" platform in Settings. The real platform
// here is the sandbox binary started as a separate server on loopback, exactly as a seller would
// point the app at any endpoint: store id, address, app key, app secret and access token typed in
// the form. The credentials go to the system keyring (scripts/e2e.sh provides a private one).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eventually, openApp, startSandbox, stopSandbox } from './app.mjs';

let app = null;
let platform = null;

/** Starts `sellerdesk-sandbox serve --demo` and reads the address and the S2 token it prints. */
async function startPlatform() {
  const data = mkdtempSync(join(tmpdir(), 'sellerdesk-e2e-remote-'));
  // Port 0: the system picks a free one, which the platform prints.
  const server = await startSandbox(['serve', '--data', data, '--port', '0', '--demo'], (printed) => {
    const address = /listening on (http:\/\/\S+)/.exec(printed)?.[1];
    const found = Object.fromEntries([...printed.matchAll(/store (S\d) token (\w+)/g)].map((m) => [m[1], m[2]]));
    return address && found.S1 && found.S2 && found.S3 ? { url: address, tokens: found } : null;
  });
  return { ...server, data };
}

describe('Settings: connecting a real platform instead of the sandbox', () => {
  before(async () => {
    platform = await startPlatform();
    app = await openApp('platform-settings');
    await app.expectText('platform-badge', 'Sandbox', 20_000);
  });

  after(async () => {
    try {
      if (app !== null) await app.close();
    } finally {
      if (platform !== null) {
        await stopSandbox(platform);
        rmSync(platform.data, { recursive: true, force: true });
      }
    }
  });

  test('Settings says the sandbox is in use, and where it runs', async () => {
    await app.click('nav-settings');
    await app.expectText('platform-kind', /sandbox/i);
    assert.match(await app.text('sandbox-url'), /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test('an address that is neither https nor http on loopback is refused beside its field', async () => {
    await app.fill('connect-store-id', 'S2');
    await app.fill('connect-store-name', 'Atelier Lumen');
    await app.fill('connect-currency', 'EUR');
    await app.fill('connect-url', 'ftp://example.com');
    await app.fill('connect-app-key', 'sandbox-app');
    await app.fill('connect-app-secret', 'sandbox-secret');
    await app.fill('connect-access-token', platform.tokens.S2);
    await app.click('connect-submit');
    // An address that is neither https nor http on loopback is refused before anything is kept.
    await app.expectText('connect-error-base_url', /url|address|https/i);
    assert.equal(await app.text('platform-kind').then((t) => /sandbox/i.test(t)), true);
  });

  test('connecting S2 leaves the sandbox: the badge, the stores and the sync follow the platform', async () => {
    await app.fill('connect-url', platform.url);
    await app.click('connect-submit');
    await app.expectText('connect-result', /S2/, 15_000);
    await app.expectText('platform-badge', 'Platform', 15_000);
    // The secret is not kept in the form.
    const secret = await app.session.property(await app.session.byTestId('connect-app-secret'), 'value');
    assert.equal(secret, '');
    // The real platform's database holds only the connected store.
    const options = await app.session.execute(
      `return [...document.querySelectorAll('[data-testid="store-switcher"] option')].map((o) => o.value);`,
    );
    assert.deepEqual(options, ['S2']);
    await app.screenshot('settings-connected.png');

    // Its refund requests come down from that platform with the first sync.
    await app.click('nav-refunds');
    await app.click('sync-now');
    await app.expectText('sync-state', 'Online', 20_000);
    await app.waitForTestId('refund-request-row', 20_000);
  });

  test('back to the sandbox after a confirmation', async () => {
    await app.click('nav-settings');
    await app.click('use-sandbox');
    await app.confirm('use-sandbox-dialog');
    await app.expectText('platform-badge', 'Sandbox', 20_000);
    const options = await app.session.execute(
      `return [...document.querySelectorAll('[data-testid="store-switcher"] option')].map((o) => o.value);`,
    );
    assert.deepEqual(options, ['S1', 'S2', 'S3', 'S4']);
  });

  test('the diagnostics to send: each store with its platform and last sync, and the log, with no secret', async () => {
    await app.click('nav-settings');
    await app.click('copy-diagnostics', 10_000);
    const text = await eventually(
      'the diagnostics',
      () => app.session.execute(`return document.querySelector('[data-testid="diagnostics-text"]')?.value ?? null;`),
      (value) => typeof value === 'string' && value.includes('store S1 (USD): sellerdesk'),
      10_000,
    );
    assert.match(text, /^Seller Desk \d+\.\d+\.\d+/);
    assert.match(text, /log \(last 80 lines\):/);
    assert.match(text, /sync\{store=S\d platform="sellerdesk"\}/, 'the log of the syncs');
    for (const token of Object.values(platform.tokens)) assert.ok(!text.includes(token), 'no token');
    assert.match(await app.text('diagnostics-status'), /Copied to the clipboard\.|copy it/);
  });
});
