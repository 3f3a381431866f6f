// End to end, issue #14 (item 4): every task of a seller with the keyboard alone, in the real
// window, without a single click: create a coupon, generate codes for a channel and export them
// (the save dialog typed into, as the other tests do), preview a refund request and approve it,
// sync, and change the language in Settings. Keys go through WebDriver actions (Tab, Shift+Tab,
// Enter, Space, arrows, Ctrl+digit shortcuts, typing). Each time a step relies on where the focus
// is, the test asserts it (document.activeElement), and that the focus ring shows; every element
// Tab passes on its way must show it too (App.tabTo).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eventually, localInput, message, openApp, testIdCss } from './app.mjs';
import { KEY } from './webdriver.mjs';

const TITLE = 'Keyboard week';
const CHANNEL = 'keyboard';
const COUNT = 100;

let app = null;
let exportDir = null;
/** The coupon the first test makes, for the next ones. */
let couponId = null;

const couponRow = (id) => `[data-testid="coupon-row"][data-coupon-id="${id}"]`;
const refundRow = (id) => `[data-testid="refund-request-row"][data-request-id="${id}"]`;

/** Opens a screen with its Ctrl+digit shortcut (ui/src/lib/screens.ts); the focus goes to the screen. */
async function openScreen(digit, testId) {
  await app.press(digit, [KEY.Control]);
  await app.waitForTestId(testId);
  // The screen itself takes the focus (a landing place, not a control: it draws no ring).
  await eventually('the focus on the screen', async () => (await app.focus('main')).matches, true);
}

/** Presses `key` until the focused element matches `css` (a list's rows, a select's options). */
async function pressUntil(key, css, max = 8) {
  for (let presses = 0; presses <= max; presses += 1) {
    const focus = await app.focus(css);
    if (focus.matches) return focus;
    await app.press(key);
  }
  assert.fail(`${max} presses did not bring the focus to ${css}`);
}

/** Presses an arrow on the focused <select> until it holds `value` (each press chooses an option). */
async function chooseByArrows(testId, value, max = 8) {
  const element = await app.waitForTestId(testId);
  for (let presses = 0; presses <= max; presses += 1) {
    if ((await app.session.property(element, 'value')) === value) return;
    await app.press(KEY.ArrowDown);
  }
  assert.fail(`${max} presses of ↓ did not choose ${value} in ${testId}`);
}

/**
 * Types a date and time into the datetime-local input that has the focus, part by part as WebKit
 * lays it out for the window's locale (en-US: month, day, year, hour, minute, AM/PM), → between
 * two parts. WebKit sets the input's value once every part is filled.
 */
async function typeDateTime(date) {
  const pad = (n) => String(n).padStart(2, '0');
  const hour12 = date.getHours() % 12 === 0 ? 12 : date.getHours() % 12;
  const parts = [
    pad(date.getMonth() + 1),
    pad(date.getDate()),
    String(date.getFullYear()),
    pad(hour12),
    pad(date.getMinutes()),
    date.getHours() < 12 ? 'A' : 'P',
  ];
  for (const [index, part] of parts.entries()) {
    if (index > 0) await app.press(KEY.ArrowRight);
    await app.typeKeys(part);
  }
}

describe('Seller Desk with the keyboard alone', () => {
  before(async () => {
    exportDir = mkdtempSync(join(tmpdir(), 'sellerdesk-e2e-keyboard-'));
    app = await openApp('keyboard');
    // The window opens on Coupons; the demo coupons come down with the first sync.
    await app.waitForCss(couponRow('s1-spring5'), 30_000);
  });

  after(async () => {
    if (app !== null) await app.close();
    if (exportDir !== null) rmSync(exportDir, { recursive: true, force: true });
  });

  test('create a coupon: New coupon, every field typed, Create', async () => {
    await openScreen('1', 'screen-coupons');
    await app.tabTo(testIdCss('new-coupon'));
    await app.press(KEY.Enter);
    // The form puts the focus in its first field.
    await app.expectFocus(testIdCss('coupon-title'));
    await app.typeKeys(TITLE);
    await app.tabTo(testIdCss('coupon-discount'), { max: 1 });
    await app.typeKeys('4.00');
    await app.tabTo(testIdCss('coupon-min-purchase'), { max: 1 });
    await app.typeKeys('25.00');
    // Valid from: the form starts it at the next full hour, which is kept. Valid to: typed.
    const validTo = new Date();
    validTo.setDate(validTo.getDate() + 30);
    validTo.setHours(18, 30, 0, 0);
    await app.tabTo(testIdCss('coupon-valid-to'));
    await typeDateTime(validTo);
    const typed = await app.session.property(await app.session.byTestId('coupon-valid-to'), 'value');
    assert.equal(typed, localInput(validTo));
    await app.tabTo(testIdCss('coupon-quantity'));
    await app.typeKeys('300');
    await app.tabTo(testIdCss('coupon-submit'));
    await app.press(KEY.Enter);

    const details = await app.waitForTestId('coupon-details', 10_000);
    couponId = await app.session.attribute(details, 'data-coupon-id');
    await app.expectText('coupon-state', /./);
    assert.equal(await app.session.execute('return document.querySelector("#coupon-details-title").innerText;'), TITLE);
    // The focus is on the new coupon in the list, where the seller goes on from.
    await app.expectFocus(`${couponRow(couponId)} .row-button`);
  });

  test('generate codes for a channel and export them to a CSV file', async () => {
    assert.ok(couponId, 'the coupon of the first test');
    // From the coupon's row, Tab goes on into its details: "Codes".
    await app.tabTo(testIdCss('open-codes'));
    await app.press(KEY.Enter);
    const picker = await app.waitForTestId('coupon-picker', 10_000);
    await eventually('Codes on the new coupon', () => app.session.property(picker, 'value'), couponId);
    await app.tabTo(testIdCss('code-count'));
    await app.typeKeys(String(COUNT));
    await app.tabTo(testIdCss('code-channel'), { max: 1 });
    await app.typeKeys(CHANNEL);
    await app.expectText('code-hint', /Example: /);
    await app.tabTo(testIdCss('generate-codes'));
    await app.press(KEY.Enter);
    await app.expectText('generation-result', new RegExp(`^Made ${COUNT} codes for ${CHANNEL} `), 30_000);

    await app.tabTo(testIdCss('export-channel-filter'));
    await chooseByArrows('export-channel-filter', CHANNEL);
    await app.tabTo(testIdCss('export-codes'));
    const out = join(exportDir, 'keyboard-codes.csv');
    await app.press(KEY.Enter);
    await app.answerSaveDialog(out);
    await app.expectText('export-result', `Exported ${COUNT} codes to ${out}`, 20_000);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\r\n');
    assert.equal(lines.length, COUNT + 1, 'a header and one line per code');
    for (const line of lines.slice(1)) {
      const [, , coupon, , channel] = line.split(',');
      assert.deepEqual([coupon, channel], [couponId, CHANNEL], line);
    }
  });

  test('preview a refund request and approve it', async () => {
    await openScreen('4', 'screen-refunds');
    // The list is one tab stop; the arrows move along its requests.
    await app.tabTo(testIdCss('refund-request-row'));
    await pressUntil(KEY.ArrowDown, refundRow('R-1001'));
    await app.expectFocus(refundRow('R-1001'));
    await app.press(KEY.Enter);
    await app.expectText('refund-amount', '$20.03', 15_000);
    await app.expectText('refund-scope', 'Partial refund');
    await app.tabTo(testIdCss('approve-refund'));
    await app.press(KEY.Enter);
    // The dialog opens on its safe choice.
    await app.expectFocus(testIdCss('approve-dialog-cancel'));
    await app.tabTo(testIdCss('approve-dialog-confirm'), { max: 1 });
    await app.press(KEY.Enter);
    // Answered: the buttons are gone, and the focus is on what became of the answer.
    await app.expectFocus(testIdCss('refund-answer-note'));
    await app.expectText('refund-answer-note', /^Approved\./);
  });

  test('sync: the answer reaches the platform', async () => {
    await openScreen('5', 'screen-sync');
    await app.tabTo(testIdCss('sync-now-screen'));
    await app.press(KEY.Space);
    await app.expectText('sync-report-pending_left', 'Everything is sent.', 30_000);
    const request = app.sandboxDump().refund_requests.find((candidate) => candidate.request_id === 'R-1001');
    assert.equal(request.decision, 'approve');
  });

  test('change the language in Settings', async () => {
    // Back from the screen into the navigation: its last entry is Settings.
    await app.tabTo(testIdCss('nav-settings'), { back: true });
    await app.press(KEY.Enter);
    await app.waitForTestId('screen-settings');
    await app.tabTo(testIdCss('language-choice'));
    await chooseByArrows('language-choice', 'es');
    const settings = message('es', 'app.screens.settings');
    await eventually('the navigation in Spanish', () => app.text('nav-settings'), (text) => text.startsWith(settings));
    assert.equal(await app.session.execute('return document.documentElement.lang;'), 'es');
    await app.expectFocus(testIdCss('language-choice'));
  });
});
