// A tour of every screen of the app, each shown with what a seller fills it with, for the tests
// that look at every screen in turn (languages.test.mjs: screenshots and the layout check in
// Chinese and Russian; accessibility.test.mjs: axe in light and dark). The screens are the
// navigation's (ui/src/lib/screens.ts) and the panels and states within them that carry the most
// words: the new-coupon form with a message under each field, a coupon's details, Codes with the
// generator's hint and result and the export, a refund request's preview, the calculator's
// preview. Every step finds what it waits for by test id, so the tour runs in any language.
import { testIdCss } from './app.mjs';

/** The demo store the tour works in, and its demo coupon with code batches (instagram, newsletter). */
export const STORE = 'S1';
const COUPON = 's1-spring5';
const couponRow = (id) => `[data-testid="coupon-row"][data-coupon-id="${id}"]`;

/**
 * Waits for the app to be ready on the demo store: its coupons came down with the first sync.
 * Every file starts on a fresh sandbox, so this is the first thing a tour does.
 */
export async function openOnDemoStore(app) {
  await app.waitForTestId('platform-badge', 20_000);
  await app.select('store-switcher', STORE);
  await app.click('nav-coupons');
  await app.waitForCss(couponRow(COUPON), 30_000);
}

/** A stop of the tour: the navigation's `screen` opened (when given), then `ready` waited for. */
const stop = (name, screen, ready) => ({
  name,
  async show(app) {
    if (screen !== null) await app.click(`nav-${screen}`);
    await ready(app);
  },
});

/**
 * The screens in the order a tour visits them: `name` names its screenshot, `show` brings it up
 * (from the screen before it) and waits until it shows what it is about.
 */
export const SCREEN_TOUR = [
  stop('coupons', 'coupons', (app) => app.waitForCss(couponRow(COUPON), 15_000)),
  stop('coupon-details', null, async (app) => {
    await app.clickCss(`${couponRow(COUPON)} .row-button`);
    await app.waitForCss(`${testIdCss('coupon-details')}[data-coupon-id="${COUPON}"]`);
  }),
  stop('coupon-form', null, async (app) => {
    await app.click('new-coupon');
    await app.waitForTestId('coupon-form');
    // Sent empty: a message under each field, the longest words the form shows.
    await app.click('coupon-submit');
    await app.waitForTestId('error-title');
  }),
  // Codes opens on the coupon chosen last (the demo coupon's details above).
  stop('codes', 'codes', async (app) => {
    await app.waitForCss(`${testIdCss('batch-row')}[data-channel="instagram"]`, 15_000);
    // A few: the demo coupon takes under a hundred more codes.
    await app.fill('code-count', '20');
    await app.fill('code-channel', 'tour');
    await app.waitForCss(`${testIdCss('code-hint')} code.example`, 10_000);
    await app.click('generate-codes');
    await app.waitForTestId('generation-result', 30_000);
    await app.waitForCss(`${testIdCss('batch-row')}[data-channel="tour"]`, 10_000);
  }),
  stop('campaign', 'campaign', (app) => app.waitForTestId('channel-table', 15_000)),
  stop('refunds', 'refunds', async (app) => {
    // A seller clicks the request's id; WebKit's driver finds a whole table row not interactable.
    await app.clickCss('[data-testid="refund-request-row"][data-request-id="R-1001"] th', 15_000);
    await app.waitForTestId('preview-result', 15_000);
  }),
  stop('calculator', 'calculator', async (app) => {
    await app.click('example-combined-cart', 15_000);
    await app.click('preview-button', 10_000);
    await app.waitForTestId('preview-result', 10_000);
  }),
  stop('sync', 'sync', async (app) => {
    await app.click('sync-now-screen', 10_000);
    await app.waitForTestId('sync-report-pending_left', 30_000);
  }),
  stop('settings', 'settings', (app) => app.waitForTestId('language-choice', 10_000)),
];
