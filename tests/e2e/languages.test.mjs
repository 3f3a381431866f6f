// End to end, issue #14 (item 3): the app in Chinese (zh-CN) and in Russian (ru, long words),
// switched in Settings as a seller does it, on every screen (screens.mjs): a screenshot of each in
// tests/e2e/artifacts/<language>-<screen>.png, and the layout check (layout.mjs) finds no text
// cut off, spilling out of its box or beyond the window. The first test shows that the check
// catches both kinds of overflow, on two boxes made to overflow.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually, message, openApp } from './app.mjs';
import { describeOverflows, injectOverflowingBoxes, textOverflows } from './layout.mjs';
import { openOnDemoStore, SCREEN_TOUR } from './screens.mjs';

let app = null;

/** Chooses `language` in Settings' language list, and waits until the words are in it. */
async function chooseLanguage(language) {
  await app.click('nav-settings');
  // A click on the language's option, as a seller picks it from the open list.
  await app.clickCss(`[data-testid="language-choice"] option[value="${language}"]`);
  const settings = message(language, 'app.screens.settings');
  await eventually(`the navigation in ${language}`, () => app.text('nav-settings'), (text) => text.startsWith(settings));
  assert.equal(await app.session.execute('return document.documentElement.lang;'), language);
}

describe('Seller Desk in Chinese and Russian: every screen holds its words', () => {
  before(async () => {
    app = await openApp('languages');
    await openOnDemoStore(app);
  });

  after(async () => {
    if (app !== null) await app.close();
  });

  test('the layout check reports a text cut off by its box and a text spilling out of it', async () => {
    const remove = await injectOverflowingBoxes(app);
    const found = await textOverflows(app);
    const probe = (testId) => found.find((problem) => problem.box.includes(`[data-testid="${testId}"]`));
    assert.equal(probe('layout-probe-clipped')?.how, 'is cut off by', describeOverflows(found));
    assert.equal(probe('layout-probe-spilling')?.how, 'spills out of', describeOverflows(found));
    assert.equal(probe('layout-probe-clipped').text, 'A sentence far too long for its narrow box');
    assert.equal(probe('layout-probe-clipped').side, 'right');
    await remove();
    const after = await textOverflows(app);
    assert.equal(after.filter((problem) => problem.box.includes('layout-probe')).length, 0);
  });

  for (const language of ['zh-CN', 'ru']) {
    test(`${language}: every screen, in a screenshot, with no text out of its box`, async () => {
      await chooseLanguage(language);
      const found = [];
      for (const screen of SCREEN_TOUR) {
        try {
          await screen.show(app);
        } catch (error) {
          await app.captureFailure(`failed-${language}-${screen.name}`);
          throw error;
        }
        await app.screenshot(`${language}-${screen.name}.png`);
        const problems = await textOverflows(app);
        if (problems.length > 0) found.push(`${screen.name}:\n${describeOverflows(problems)}`);
      }
      assert.deepEqual(found, [], `texts out of their boxes in ${language}:\n${found.join('\n')}`);
    });
  }
});
