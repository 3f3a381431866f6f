// End to end: the app's data cannot open at start (here a settings.json naming no known platform).
// The window opens all the same and says why, naming the field; once the seller fixes the file,
// "Try again" opens the data without a restart.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openApp } from './app.mjs';

let app = null;

describe('Seller Desk when its data cannot open', () => {
  before(async () => {
    app = await openApp('start-failure', { settings: '{"platform": "cloud"}' });
  });

  after(async () => {
    if (app !== null) await app.close();
  });

  test('the window says what is wrong with settings.json, naming the field', async () => {
    await app.expectText('start-failed', /Seller Desk could not open your data/, 20_000);
    const message = await app.text('error-message');
    assert.match(message, /settings\.json: platform: unknown variant `cloud`, expected `sandbox` or `remote`/);
    assert.equal(await app.exists('platform-badge'), false);
  });

  test('fixed, "Try again" opens the sandbox with its stores', async () => {
    writeFileSync(join(app.dataDir, 'settings.json'), '{"platform": "sandbox"}');
    await app.click('start-try-again');
    await app.expectText('platform-badge', 'Sandbox', 20_000);
    assert.equal(await app.exists('start-failed'), false);
    await app.expectText('sync-state', 'Online', 30_000);
  });
});
