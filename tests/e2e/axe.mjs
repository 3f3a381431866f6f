// axe-core (Deque's accessibility engine, an exact-version devDependency of ui/) run in the real
// window: the tests read its build from ui/node_modules, put it in the page through WebDriver, and
// ask it about the page as it is drawn (colours, sizes and focusable parts are WebKit's own).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const axePath = join(here, '../../ui/node_modules/axe-core/axe.min.js');

let axeSource = null;

/** The impacts a test fails on. */
export const BLOCKING_IMPACTS = ['serious', 'critical'];

/**
 * Runs axe on the whole window and returns its violations of impact serious or critical, each with
 * its rule, impact, summary and the elements (CSS targets) that break it. Every rule axe runs by
 * default takes part (WCAG 2.x A and AA, and its best practices).
 */
export async function axeViolations(app) {
  axeSource ??= readFileSync(axePath, 'utf8');
  // The page is one document for the whole run (the app never reloads it): axe goes in once.
  const present = await app.session.execute('return typeof window.axe === "object";');
  if (!present) {
    // The build assigns window.axe when run as a plain script (no module loader in the page).
    await app.session.execute(`${axeSource}\nreturn true;`);
    // A run over a whole screen takes longer than WebDriver's default script timeout, which
    // holds for the session from here on.
    await app.session.setScriptTimeout(120_000);
  }
  const result = await app.session.executeAsync(
    `const done = arguments[arguments.length - 1];
     window.axe
       .run(document, { resultTypes: ['violations'] })
       .then((results) => done({
         version: window.axe.version,
         violations: results.violations.map((v) => ({
           id: v.id,
           impact: v.impact,
           help: v.help,
           nodes: v.nodes.map((n) => ({ target: n.target.join(' '), impact: n.impact, summary: n.failureSummary })),
         })),
       }))
       .catch((error) => done({ error: String(error) }));`,
  );
  if (result.error) throw new Error(`axe failed to run: ${result.error}`);
  return result.violations.filter((violation) => BLOCKING_IMPACTS.includes(violation.impact));
}

/** The violations in words: rule, impact, summary, and each element with what axe says of it. */
export function describeViolations(violations) {
  return violations
    .map(
      (v) =>
        `  ${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes.map((n) => `    ${n.target}\n      ${(n.summary ?? '').replace(/\n\s*/g, ' ')}`).join('\n'),
    )
    .join('\n');
}
