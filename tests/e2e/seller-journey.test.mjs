// End to end: the real app in a WebKitGTK window (under Xvfb), driven through tauri-driver.
// Run it with scripts/e2e.sh, which builds the UI, the app and the sandbox first and provides the
// display. This file is issue #5, item 6: a seller's whole journey on the embedded sandbox —
// create a coupon, generate 10,000 codes for a channel, export them (the CSV is read back),
// preview a partial and a full refund request, approve one, sync, and see the platform's state
// change — with a screenshot of every screen in tests/e2e/artifacts/.
//
// Expected values of the refund previews, worked out by hand from the demo refund requests of
// crates/sellerdesk-sandbox/src/demo.rs and docs/rules.md (amounts in cents where it helps):
//
//   R-1001 (store S1, one of two units of line l1, "Some items"):
//     Order O-1001-S1: l1 24.00 x2 regular, l2 9.50 x1 on sale; order O-1001-M7: l3 30.00 x1.
//     Seller coupon s1-spring5 (5.00 off above 30.00): base l1 48.00 > 30.00 (l2 is on sale,
//     APPLY-3) -> l1 gets all 5.00.
//     Platform coupon P-AUTUMN5 (5.00 off above 40.00): base l1 48.00 - 5.00 = 43.00 + l3 30.00
//     = 73.00 > 40.00 (APPLY-4); 500 x 4300/7300 = 294.52, 500 x 3000/7300 = 205.48; floors
//     294 + 205 = 499, the leftover cent to the larger fraction (.52, l1) -> l1 2.95, l3 2.05.
//     l1 pays 48.00 - 5.00 - 2.95 = 40.05 for 2 units: 4005 / 2 = 2002 r 1, so the first unit
//     pays 20.03 (APPLY-6) and one unit back is 20.03 (REFUND-2); O-1001-S1 still has money in
//     it -> partial (REFUND-4). s1-spring5 stays used (REFUND-5); P-AUTUMN5 stays used, because
//     O-1001-S1 is only partly refunded (REFUND-6).
//
//   R-1002 (store S1, the whole order O-1002-S1, after O-1002-M3 was refunded in full):
//     Order O-1002-S1: l1 12.50 x2 regular, l2 8.00 x1 regular; order O-1002-M3: l3 20.00 x1.
//     Seller coupon s1-welcome3 (3.00 off above 20.00): base 25.00 + 8.00 = 33.00;
//     300 x 2500/3300 = 227.27, 300 x 800/3300 = 72.73; floors 227 + 72 = 299, the cent to
//     the larger fraction (.73, l2) -> l1 2.27, l2 0.73.
//     Platform coupon P-AUTUMN5: base l1 22.73 + l2 7.27 + l3 20.00 = 50.00 > 40.00;
//     500 x 2273/5000 = 227.3, 500 x 727/5000 = 72.7, 500 x 2000/5000 = 200; floors 499, the
//     cent to .7 (l2) -> l1 2.27, l2 0.73, l3 2.00.
//     Paid: l1 25.00 - 2.27 - 2.27 = 20.46, l2 8.00 - 0.73 - 0.73 = 6.54; the whole order gives
//     back 20.46 + 6.54 = 27.00 -> full. s1-welcome3 stays used (REFUND-5); every order with a
//     share of P-AUTUMN5 (O-1002-S1 now, O-1002-M3 before) is fully refunded, so it comes back,
//     valid until its own valid_to (REFUND-6, REFUND-7), its code still redeemed.
//
// The code space of the batch (CODES-5): 10,000 live codes need S >= 1,000,000 x 10,000 = 10^10
// random parts. From the 31 characters of the default alphabet, 31^7 = 27,512,614,111 would be
// enough, but without a length Seller Desk picks the shortest safe one of at least 8
// (SHORTEST_CHOSEN_LENGTH in crates/sellerdesk-facade/src/codes.rs): 31^8 = 852,891,037,441, and
// a random guess hits one of the store's N live codes 1 time in floor(852,891,037,441 / N): N is
// these 10,000 and what is left live of the 400 demo codes a fresh sandbox makes for S1
// (DEMO_CODE_BATCHES in crates/sellerdesk-session), which the simulated buyers keep redeeming.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eventually, localInput, openApp } from './app.mjs';
import { ELEMENT, waitFor } from './webdriver.mjs';

const STORE = 'S1';
const TITLE = 'Facebook launch week';
const DISCOUNT = '5.00';
const MIN_PURCHASE = '40.00';
const QUANTITY = 20_000;
const CHANNEL = 'facebook';
const COUNT = 10_000;
const CODE = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/;
const EXPORT_HEADER =
  'code,store_id,coupon_id,coupon_title,channel,currency,discount,min_purchase,valid_from,valid_to,status';
const CODE_STATUSES = new Set(['unclaimed', 'valid', 'inactive', 'used', 'expired', 'pending']);

const SELLER_REASON = 'A seller coupon is never returned after a refund, partial or full, so it stays used.';
const R1001_PLATFORM_REASON =
  'Order O-1001-S1 is only partly refunded, and a platform coupon comes back only when every order that used it is fully refunded.';
const returnedReason = (validTo) =>
  `Every order that used this platform coupon is now fully refunded, so the coupon goes back to the buyer's account, valid until ${validTo}; its code stays redeemed.`;

let app = null;
let exportDir = null;
/** What the journey made, shared by the tests that follow (they run in order). */
const journey = { couponId: null, validFrom: null, validTo: null, csvCodes: null };

const text = (testId) => app.text(testId);
const cells = (testId) => app.cells(testId);
const click = (testId, timeoutMs) => app.click(testId, timeoutMs);
const expectText = (testId, expected, timeoutMs) => app.expectText(testId, expected, timeoutMs);
const screenshot = (name) => app.screenshot(name);

/** The first element matching a CSS selector, or throws `no such element`. */
async function byCss(css) {
  const value = await app.session.cmd('POST', '/element', { using: 'css selector', value: css });
  return value[ELEMENT];
}

const waitForCss = (css, timeoutMs = 10_000) => waitFor(css, () => byCss(css), { timeoutMs });

/**
 * The rendered text (innerText) of the first element matching `css`. WebDriver's own element text
 * leaves out what a cell clips with `text-overflow: ellipsis` (long titles in the coupon list).
 */
async function textOfCss(css) {
  const element = await byCss(css);
  return (await app.session.execute('return arguments[0].innerText;', [{ [ELEMENT]: element }])).trim();
}

async function cellsOfCss(css) {
  return app.session.cells(await byCss(css));
}

/** One CSV record (RFC 4180: quoted fields may hold commas and doubled quotes). */
function csvFields(line) {
  const fields = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

const sameInstant = (a, b) => Date.parse(a) === Date.parse(b);

/**
 * Like expectText, for the outcome of work that may fail instead: when an error alert shows up
 * inside `within` (a test id) first, the step fails at once with what the alert says.
 */
async function expectOutcome(within, testId, check, timeoutMs) {
  const alert = `[data-testid="${within}"] [data-testid="error-alert"]`;
  await waitFor(
    `${testId}, or an error`,
    async () =>
      (await app.exists(testId)) ||
      (await app.session.cmd('POST', '/elements', { using: 'css selector', value: alert })).length > 0,
    { timeoutMs },
  );
  if (!(await app.exists(testId))) assert.fail(`${within} shows an error instead of ${testId}: ${await textOfCss(alert)}`);
  return expectText(testId, check);
}

const refundRow = (requestId) => `[data-testid="refund-request-row"][data-request-id="${requestId}"]`;
const rowStatus = (requestId) => `${refundRow(requestId)} [data-testid="refund-request-status"]`;

/** Opens a refund request and waits for its preview. */
async function openRequest(requestId) {
  // A seller clicks the request's id; WebKit's driver finds a whole table row not interactable.
  await app.session.click(await waitForCss(`${refundRow(requestId)} th`, 15_000));
  await eventually(`request ${requestId} opened`, () => textOfCss('#request-heading'), `Request ${requestId}`);
  await app.waitForTestId('preview-result', 10_000);
}

/** A step of the journey; when it fails, the window and its page are saved as failed-<n>.png/.html. */
let steps = 0;
function step(name, body) {
  const number = ++steps;
  test(name, async (t) => {
    try {
      await body(t);
    } catch (error) {
      if (app !== null) await app.captureFailure(`failed-journey-${number}`);
      throw error;
    }
  });
}

describe('Seller Desk: a seller journey on the embedded sandbox', () => {
  before(async () => {
    exportDir = mkdtempSync(join(tmpdir(), 'sellerdesk-e2e-export-'));
    app = await openApp('journey');
  });

  after(async () => {
    if (app !== null) await app.close();
    if (exportDir !== null) rmSync(exportDir, { recursive: true, force: true });
  });

  step('the window opens on the embedded sandbox with its demo stores and coupons', async () => {
    assert.equal(await app.session.title(), 'Seller Desk');
    await expectText('platform-badge', 'Sandbox', 20_000);
    const switcher = await app.waitForTestId('store-switcher');
    const options = await app.session.execute(
      'return [...arguments[0].options].map((option) => [option.value, option.textContent.trim()]);',
      [{ [ELEMENT]: switcher }],
    );
    assert.deepEqual(options, [
      ['S1', 'Maple & Pine Goods (S1, USD)'],
      ['S2', 'Atelier Lumière (S2, EUR)'],
      ['S3', 'Sakura Stationery (S3, JPY)'],
      // The AliExpress demo store, on the sandbox's AliExpress dialect.
      ['S4', 'AliExpress demo store (S4, USD)'],
    ]);
    // The window remembers the last store in its local storage: start from S1 whatever it was.
    await app.select('store-switcher', STORE);
    assert.equal(await app.session.property(switcher, 'value'), STORE);
    // The first sync runs at start: the status bar turns Online with nothing left to send.
    await expectText('sync-state', 'Online', 30_000);
    await expectText('sync-pending', 'Everything sent', 10_000);
    await expectText('sync-last', /^Last sync /);

    // The demo coupons of S1 come down with that first sync. The Coupons screen shows them without
    // a click: read before the first sync ended, it reads again when the app tells that sync's end.
    await click('nav-coupons');
    const row = (id) => `[data-testid="coupon-row"][data-coupon-id="${id}"]`;
    await eventually(
      'the demo coupon s1-spring5 in the list',
      () => textOfCss(row('s1-spring5')),
      /Spring: \$5 off orders over \$30/,
      15_000,
    );
    for (const [id, state] of [
      ['s1-welcome3', /Published/],
      ['s1-summer8', /Stopped/],
      ['s1-freeship', /Rejected/],
    ]) {
      assert.match(await textOfCss(row(id)), state, `coupon ${id}`);
    }
    assert.equal(await app.exists('coupons-empty'), false);
    await screenshot('coupons.png');
  });

  step('a new coupon: a broken one is refused under its field with the rule, the fixed one is listed', async () => {
    await click('new-coupon');
    await app.waitForTestId('coupon-form');
    const now = new Date();
    now.setSeconds(0, 0);
    // Valid from the current minute (so buyers can use the codes today) to a month ahead.
    const validFrom = localInput(now);
    const validTo = localInput(new Date(now.getTime() + 30 * 24 * 3600 * 1000));
    await app.fill('coupon-title', TITLE);
    await app.fill('coupon-discount', DISCOUNT);
    // Broken: the minimum purchase must be strictly more than the discount (CREATE-1).
    await app.fill('coupon-min-purchase', DISCOUNT);
    await app.setDateTime('coupon-valid-from', validFrom);
    await app.setDateTime('coupon-valid-to', validTo);
    await app.fill('coupon-quantity', String(QUANTITY));
    await click('coupon-submit');

    // The backend names the field the rule is about: the minimum purchase, next to the discount.
    const error = await app.waitForTestId('error-min_purchase');
    assert.equal(await app.session.attribute(error, 'data-rule'), 'CREATE-1');
    // Worded by the page from the rule and its values (the Rust side's English line is for the CLI).
    assert.match(await text('error-min_purchase'), /^The minimum purchase \(5\.00\) must be more than the discount \(5\.00\)\. \[CREATE-1\]$/);
    const minInput = await app.session.byTestId('coupon-min-purchase');
    assert.equal(await app.session.attribute(minInput, 'aria-invalid'), 'true');
    assert.match(await app.session.attribute(minInput, 'aria-describedby'), /\berror-min_purchase\b/);
    assert.equal(await app.exists('error-discount'), false);
    // Nothing was created, and what the seller typed is still there.
    assert.equal(await app.session.property(await app.session.byTestId('coupon-title'), 'value'), TITLE);
    assert.equal(await app.exists('coupon-details'), false);
    await screenshot('coupon-form.png');

    await app.fill('coupon-min-purchase', MIN_PURCHASE);
    await click('coupon-submit');
    const details = await app.waitForTestId('coupon-details', 10_000);
    await eventually('the new coupon in the details panel', () => textOfCss('#coupon-details-title'), TITLE);
    journey.couponId = await app.session.attribute(details, 'data-coupon-id');
    assert.ok(journey.couponId, 'the new coupon has an id');
    journey.validFrom = new Date(validFrom).toISOString();
    journey.validTo = new Date(validTo).toISOString();
    assert.equal(await app.exists('error-min_purchase'), false);

    const row = await textOfCss(`[data-testid="coupon-row"][data-coupon-id="${journey.couponId}"]`);
    assert.match(row, new RegExp(TITLE));
    assert.match(row, /\$5\.00/);
    assert.match(row, /over \$40\.00/);
    assert.match(row, /20,000/);
  });

  step('codes: 10,000 for facebook, with the live hint of the code space and the guess odds', async () => {
    await click('open-codes');
    const picker = await app.waitForTestId('coupon-picker', 10_000);
    await eventually('the Codes screen on the new coupon', () => app.session.property(picker, 'value'), journey.couponId);
    await expectText('codes-coupon', new RegExp(`^${TITLE} `));
    await app.waitForTestId('codes-no-batches', 10_000);
    await expectText('codes-left', 'This coupon takes 20,000 more codes.', 10_000);

    await app.fill('code-channel', CHANNEL);
    await app.fill('code-count', String(COUNT));
    // The hint is asked 200 ms after the last key; see the arithmetic at the top of this file.
    const hint = await expectText('code-hint', /10,[0-9]{3} live codes/, 10_000);
    const [space, example] = hint.split(/\s*Example: /);
    // The facts, whatever words say that the length was chosen for the seller.
    const odds =
      /^Length 8( \([^)]*\))? from 31 characters: 852,891,037,441 codes\. A random guess hits one of your ([\d,]+) live codes 1 time in ([\d,]+)\.$/.exec(
        space,
      );
    assert.ok(odds !== null, space);
    const number = (text) => Number(text.replaceAll(',', ''));
    const live = number(odds[2]);
    assert.ok(live >= 10_000 && live <= 10_400, `${live} live codes: these 10,000 and the demo codes still live`);
    assert.equal(number(odds[3]), Math.floor(852_891_037_441 / live));
    assert.match(example, CODE);
    assert.equal(await app.exists('code-hint-problem'), false);

    await click('generate-codes');
    const made = /^Made 10,000 codes for facebook \(batch #\d+, .*\)\./;
    await expectOutcome('code-generator', 'generation-result', made, 30_000);
    const batch = `[data-testid="batch-row"][data-channel="${CHANNEL}"]`;
    const batchCells = await eventually('the facebook batch row', async () => (await cellsOfCss(batch)).join('|'), /^#\d+\|10,000\|/);
    // Columns: batch, codes, created, format, on the platform, exported.
    assert.match(batchCells.split('|')[5], /^Not yet$/, 'not exported yet');
    // The background sync may already be taking it up.
    assert.match(
      batchCells.split('|')[4],
      /^(Goes up with the next sync|[\d,]+ of 10,000 up so far|Registered on the Seller Desk platform API)$/,
    );
    assert.match(await textOfCss(`[data-testid="channel-group"][data-channel="${CHANNEL}"]`), /facebook\s+10,000 codes in 1 batch/);
    // The coupon takes 10,000 more (20,000 minus the batch).
    await expectText('codes-left', 'This coupon takes 10,000 more codes.', 10_000);
    await screenshot('codes.png');
  });

  step('export: the save dialog, then the CSV holds the 10,000 facebook codes with the coupon terms', async () => {
    const out = join(exportDir, 'facebook-codes.csv');
    await app.select('export-channel-filter', CHANNEL);
    await click('export-codes');
    await app.answerSaveDialog(out);
    await expectOutcome('code-export', 'export-result', `Exported 10,000 codes to ${out}`, 20_000);

    const content = readFileSync(out, 'utf8');
    assert.ok(!content.startsWith('\uFEFF'), 'no byte order mark unless asked for');
    assert.ok(content.endsWith('\r\n'), 'CRLF line ends');
    const lines = content.slice(0, -2).split('\r\n');
    assert.equal(lines[0], EXPORT_HEADER);
    const rows = lines.slice(1).map(csvFields);
    assert.equal(rows.length, COUNT);
    const codes = new Set();
    for (const [index, row] of rows.entries()) {
      const [code, storeId, couponId, title, channel, currency, discount, minPurchase, validFrom, validTo, status] = row;
      const where = `row ${index + 2}: ${lines[index + 1]}`;
      assert.equal(row.length, 11, where);
      assert.match(code, CODE, where);
      codes.add(code);
      assert.deepEqual(
        [storeId, couponId, title, channel, currency, discount, minPurchase],
        [STORE, journey.couponId, TITLE, CHANNEL, 'USD', DISCOUNT, MIN_PURCHASE],
        where,
      );
      assert.ok(sameInstant(validFrom, journey.validFrom), `${where}: valid_from ${validFrom} is ${journey.validFrom}`);
      assert.ok(sameInstant(validTo, journey.validTo), `${where}: valid_to ${validTo} is ${journey.validTo}`);
      // Codes go up with the background sync, and buyers of the sandbox start claiming them.
      assert.ok(CODE_STATUSES.has(status), `${where}: status ${status}`);
    }
    assert.equal(codes.size, COUNT, 'every code is different');
    journey.csvCodes = codes;

    // The export is on record, with its filter and size, and the batch is marked exported.
    const exportRow = await eventually(
      'the export in the list',
      () => cellsOfCss('[data-testid="export-row"]'),
      (row) => row[1] === out,
    );
    assert.deepEqual(exportRow.slice(1), [out, 'facebook', '10,000']);
    const batchCells = await cellsOfCss(`[data-testid="batch-row"][data-channel="${CHANNEL}"]`);
    assert.notEqual(batchCells[5], 'Not yet');
    await screenshot('export.png');
  });

  step('refund requests: a partial refund and a full one, with each coupon’s outcome', async () => {
    await click('nav-refunds');
    await waitForCss(refundRow('R-1001'), 15_000);
    // S1's demo requests, and none of another store's.
    const listed = await app.session.execute(
      `return [...document.querySelectorAll('[data-testid="refund-request-row"]')].map((row) => row.dataset.requestId).sort();`,
    );
    assert.deepEqual(listed, ['R-1001', 'R-1002', 'R-1003']);
    assert.equal(await textOfCss(rowStatus('R-1001')), 'Waiting for your answer');
    assert.equal(await textOfCss(rowStatus('R-1002')), 'Waiting for your answer');
    await expectText('refunds-waiting', '3 requests wait for your answer');

    // R-1001: one of two units of l1 -> 20.03, partial; neither coupon comes back.
    await openRequest('R-1001');
    await expectText('refund-amount', '$20.03');
    await expectText('refund-scope', 'Partial refund');
    assert.deepEqual(await cells('refund-line-l1'), ['l1', '1', '$20.03']);
    assert.deepEqual(await cells('allocation-l1'), ['l1', '$5.00', '$2.95', '$40.05']);
    assert.deepEqual(await cells('allocation-l2'), ['l2', '$0.00', '$0.00', '$9.50']);
    assert.equal(await text('coupon-returned-s1-spring5'), 'No');
    assert.equal(await text('coupon-status-s1-spring5'), 'used');
    assert.equal(await text('coupon-reason-s1-spring5'), SELLER_REASON);
    assert.equal(await text('coupon-verdict-P-AUTUMN5'), 'Stays used');
    assert.equal(await text('coupon-returned-P-AUTUMN5'), 'No');
    assert.equal(await text('coupon-code-returned-P-AUTUMN5'), 'No');
    assert.equal(await text('coupon-status-P-AUTUMN5'), 'used');
    assert.equal(await text('coupon-reason-P-AUTUMN5'), R1001_PLATFORM_REASON);

    // R-1002: the whole order -> 27.00, full; the platform coupon comes back, still valid.
    const autumnValidTo = app
      .sandboxDump()
      .refund_requests.find((request) => request.request_id === 'R-1002')
      .preview_input.coupons.find((coupon) => coupon.coupon_id === 'P-AUTUMN5').valid_to;
    assert.ok(Date.parse(autumnValidTo) > Date.now(), 'P-AUTUMN5 is still valid');
    await openRequest('R-1002');
    await expectText('refund-amount', '$27.00');
    await expectText('refund-scope', 'Full refund');
    assert.deepEqual(await cells('refund-line-l1'), ['l1', '2', '$20.46']);
    assert.deepEqual(await cells('refund-line-l2'), ['l2', '1', '$6.54']);
    assert.deepEqual(await cells('allocation-l1'), ['l1', '$2.27', '$2.27', '$20.46']);
    assert.deepEqual(await cells('allocation-l2'), ['l2', '$0.73', '$0.73', '$6.54']);
    assert.equal(await text('coupon-returned-s1-welcome3'), 'No');
    assert.equal(await text('coupon-status-s1-welcome3'), 'used');
    assert.equal(await text('coupon-reason-s1-welcome3'), SELLER_REASON);
    assert.equal(await text('coupon-verdict-P-AUTUMN5'), 'Returned');
    assert.equal(await text('coupon-returned-P-AUTUMN5'), 'Yes');
    assert.equal(await text('coupon-code-returned-P-AUTUMN5'), 'No');
    assert.equal(await text('coupon-status-P-AUTUMN5'), 'valid');
    assert.equal(await text('coupon-reason-P-AUTUMN5'), returnedReason(autumnValidTo));
    await screenshot('refunds.png');
  });

  step('approve R-1002, sync, and the platform has the answer, the coupon and the codes', async (t) => {
    const before = app.sandboxDump();
    const requestOnPlatform = (dump, id) => dump.refund_requests.find((request) => request.request_id === id);
    assert.equal(requestOnPlatform(before, 'R-1002').decision, null, 'undecided on the platform before');

    await click('approve-refund');
    const dialog = await app.waitForTestId('approve-dialog');
    await eventually('the approve dialog to open', () => app.session.property(dialog, 'open'), true);
    const consequences = await text('approve-consequences');
    assert.match(consequences, /The buyer gets \$27\.00 back\./);
    assert.match(consequences, /Full refund: order O-1002-S1 is refunded in full after this\./);
    assert.match(consequences, /The platform coupon P-AUTUMN5 comes back to the buyer\./);
    await click('approve-dialog-confirm');
    // The answer waits in the outbox for the next sync. The change also nudges the background
    // sync, which may send it before the screen reads the request again, so the screen may
    // already say "sent": both are right here, and the platform is checked after our own sync.
    // The status badge and the note are read at the same instant, and must agree.
    const both = await eventually(
      'the answer noted, with where it stands',
      () =>
        app.session.execute(
          `const read = (id) => document.querySelector('[data-testid="' + id + '"]')?.innerText.trim() ?? '';
           return read('refund-selected-status') + ' | ' + read('refund-answer-note');`,
        ),
      new RegExp(
        '^Approved — (waiting to sync \\| Approved\\. Your answer goes to the platform with the next sync\\.' +
          '|sent \\| Approved\\. The platform has your answer: the refund is approved\\.)$',
      ),
    );
    t.diagnostic(`right after approving, R-1002 read "${both}"`);
    assert.equal(await app.exists('approve-refund'), false, 'an answered request takes no second answer');

    await click('nav-sync');
    await click('sync-now-screen', 10_000);
    await expectText('sync-report-pending_left', 'Everything is sent.', 30_000);
    await expectText('sync-online', 'Online');
    await expectText('sync-pending-count', 'Everything is sent');
    assert.equal(await app.exists('sync-last-error'), false);
    await expectText('sync-pending', 'Everything sent');
    await screenshot('sync.png');

    // The platform's side, read from the sandbox's own database.
    const dump = app.sandboxDump();
    const approved = requestOnPlatform(dump, 'R-1002');
    assert.equal(approved.store_id, STORE);
    assert.equal(approved.decision, 'approve');
    assert.ok(approved.decided_at, 'decided_at is set');
    assert.equal(requestOnPlatform(dump, 'R-1001').decision, null, 'the other requests are untouched');
    assert.equal(requestOnPlatform(dump, 'R-1003').decision, null, 'the other requests are untouched');

    const coupon = dump.coupons.find((candidate) => candidate.coupon_id === journey.couponId);
    assert.ok(coupon, `coupon ${journey.couponId} is on the platform`);
    assert.deepEqual(
      [coupon.store_id, coupon.title, coupon.currency, coupon.discount, coupon.min_purchase, coupon.quantity, coupon.state],
      [STORE, TITLE, 'USD', DISCOUNT, MIN_PURCHASE, QUANTITY, 'published'],
    );
    assert.ok(sameInstant(coupon.valid_from, journey.validFrom), `valid_from ${coupon.valid_from}`);
    assert.ok(sameInstant(coupon.valid_to, journey.validTo), `valid_to ${coupon.valid_to}`);

    const codes = dump.codes.filter((code) => code.coupon_id === journey.couponId);
    assert.equal(codes.length, COUNT);
    assert.ok(codes.every((code) => code.store_id === STORE && code.channel === CHANNEL), 'all of S1, channel facebook');
    const exported = journey.csvCodes;
    assert.ok(exported !== null && codes.every((code) => exported.has(code.code)), 'the platform holds exactly the exported codes');

    // The batch says the platform has every one of its codes.
    await click('nav-codes');
    await eventually(
      'the facebook batch registered',
      async () => (await cellsOfCss(`[data-testid="batch-row"][data-channel="${CHANNEL}"]`))[4],
      'Registered on the Seller Desk platform API',
      15_000,
    );

    // And the window shows the answer as sent.
    await click('nav-refunds');
    await eventually('R-1002 in the list as sent', () => textOfCss(rowStatus('R-1002')), 'Approved — sent', 15_000);
    await openRequest('R-1002');
    await expectText('refund-selected-status', 'Approved — sent');
    await expectText('refunds-waiting', '2 requests wait for your answer');
  });

  step('campaign results: the facebook channel, its 10,000 codes generated and exported', async (t) => {
    await click('nav-campaign');
    const chooser = await app.waitForTestId('campaign-coupon', 10_000);
    await eventually('the results of the new coupon', () => app.session.property(chooser, 'value'), journey.couponId);
    const row = `[data-testid="channel-row"][data-channel="${CHANNEL}"]`;
    const column = (key) => textOfCss(`${row} [data-testid="channel-${key}"]`);
    await waitForCss(row, 15_000);
    assert.equal(await textOfCss(`${row} th`), 'facebook');
    assert.equal(await column('generated'), '10,000');
    assert.equal(await column('exported'), '10,000');
    const listed = await app.session.execute(
      `return [...document.querySelectorAll('[data-testid="channel-row"]')].map((row) => row.dataset.channel);`,
    );
    assert.deepEqual(listed, [CHANNEL], 'only this coupon’s channel');

    // The coupon started this minute, so the sandbox's buyers redeem its codes: the codes they
    // used come down with a sync (pressed here) and show as redemptions of today.
    // (The screen reads its results again every 10 s.)
    const syncNow = await app.waitForTestId('sync-now');
    const used = await eventually(
      'redemptions of facebook codes',
      async () => {
        if (!(await app.session.property(syncNow, 'disabled'))) await app.session.click(syncNow);
        return column('used');
      },
      /^[1-9]/,
      45_000,
      1_000,
    );
    assert.ok(Number(used.replace(/,/g, '')) <= COUNT);
    t.diagnostic(`${used} facebook codes redeemed so far`);
    await eventually('the chart', async () => !(await app.exists('chart-empty')), true);
    await screenshot('campaign.png');
  });

  step('settings: the embedded sandbox and its address', async () => {
    await click('nav-settings');
    await expectText('platform-kind', 'Sandbox', 10_000);
    const url = await expectText('sandbox-url', /^http:\/\/127\.0\.0\.1:\d+\/?$/);
    // It is the running sandbox's gateway: a GET of its root is refused in the platform's words.
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    assert.equal(response.status, 404);
    assert.match((await response.json()).error.message, /^there is no API at \/; every call goes to POST /);
    assert.equal(await text('database-path'), join(app.dataDir, 'sandbox', 'sellerdesk.db'));
    await screenshot('settings.png');
  });
});
