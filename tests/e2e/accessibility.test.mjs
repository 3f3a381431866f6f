// End to end, issue #14 (item 4): axe-core (ui/node_modules/axe-core, an exact devDependency of
// ui/) on every screen of the real window (the tour of screens.mjs), once in the light colour
// scheme and once in the dark one: no violation of impact serious or critical. The dark run starts
// the app with GTK_THEME=Adwaita:dark, which WebKitGTK reads as the system's dark preference
// (`prefers-color-scheme: dark`); each run first proves which scheme the window is in. The dark
// run saves dark-<screen>.png in tests/e2e/artifacts/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openApp } from './app.mjs';
import { axeViolations, describeViolations } from './axe.mjs';
import { openOnDemoStore, SCREEN_TOUR } from './screens.mjs';

/** The page's background in each scheme, as ui/src/app.css's palettes set it. */
const BACKGROUND = { light: '#f5f6f8', dark: '#12161c' };

for (const scheme of ['light', 'dark']) {
  describe(`axe on every screen, ${scheme}`, () => {
    let app = null;

    before(async () => {
      // Named for both runs: a theme the machine's session sets must not choose the scheme.
      const theme = scheme === 'dark' ? 'Adwaita:dark' : 'Adwaita';
      app = await openApp(`axe-${scheme}`, { env: { GTK_THEME: theme } });
      await openOnDemoStore(app);
    });

    after(async () => {
      if (app !== null) await app.close();
    });

    test(`the window is in the ${scheme} scheme`, async () => {
      const seen = await app.session.execute(
        `return {
           dark: matchMedia('(prefers-color-scheme: dark)').matches,
           background: getComputedStyle(document.documentElement).getPropertyValue('--bg').trim(),
         };`,
      );
      assert.deepEqual(seen, { dark: scheme === 'dark', background: BACKGROUND[scheme] });
    });

    test(`axe reports a text too faint to read (${scheme}): the check can fail`, async () => {
      // Grey on white (1.6:1), where WCAG AA asks for 4.5:1: axe's color-contrast, serious.
      await app.session.execute(
        `const probe = document.createElement('p');
         probe.dataset.testid = 'axe-probe';
         probe.style.cssText = 'color: #c8c8c8; background: #ffffff; margin: 0; flex: none;';
         probe.textContent = 'Hardly readable words';
         document.querySelector('main').prepend(probe);`,
      );
      try {
        const violations = await axeViolations(app);
        const contrast = violations.find((violation) => violation.id === 'color-contrast');
        assert.ok(contrast, describeViolations(violations));
        assert.equal(contrast.impact, 'serious');
        assert.deepEqual(
          contrast.nodes.map((node) => node.target),
          ['p[data-testid="axe-probe"]'],
        );
      } finally {
        await app.session.execute('document.querySelector(\'[data-testid="axe-probe"]\').remove();');
      }
    });

    test(`no serious or critical violation on any screen (${scheme})`, async () => {
      const found = [];
      for (const screen of SCREEN_TOUR) {
        try {
          await screen.show(app);
        } catch (error) {
          await app.captureFailure(`failed-axe-${scheme}-${screen.name}`);
          throw error;
        }
        if (scheme === 'dark') await app.screenshot(`dark-${screen.name}.png`);
        const violations = await axeViolations(app);
        if (violations.length > 0) found.push(`${screen.name}:\n${describeViolations(violations)}`);
      }
      assert.deepEqual(found, [], `axe violations (${scheme}):\n${found.join('\n')}`);
    });
  });
}
