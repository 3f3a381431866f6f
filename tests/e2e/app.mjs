// What every end-to-end test file shares: the app in a fresh data directory behind tauri-driver,
// and the small steps a seller takes (click, type, read, wait, answer the save dialog).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ELEMENT, KEY, Session, startDriver, stopDriver, waitFor } from './webdriver.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const artifacts = join(here, 'artifacts');
export const appBinary = process.env.SELLERDESK_APP ?? resolve(here, '../../target/debug/sellerdesk-desktop');
export const sandboxBinary = process.env.SELLERDESK_SANDBOX ?? join(dirname(appBinary), 'sellerdesk-sandbox');
assert.ok(isAbsolute(appBinary), `SELLERDESK_APP must be an absolute path, got ${appBinary}`);

/**
 * Starts the app on a data directory of its own (so it opens on a fresh embedded sandbox), and
 * returns helpers bound to its WebDriver session. `name` names the driver log in artifacts/.
 * `settings`, when given, is written as its `settings.json` first (text as is), as a seller's
 * earlier run or hand would have left it. `env` adds to the app's environment (a GTK theme).
 */
export async function openApp(name, { settings = null, env: extraEnv = {} } = {}) {
  mkdirSync(artifacts, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), `sellerdesk-e2e-${name}-`));
  if (settings !== null) writeFileSync(join(dataDir, 'settings.json'), settings);
  const log = openSync(join(artifacts, `tauri-driver-${name}.log`), 'w');
  // One known locale on every machine, so amounts and counts read the same everywhere (en-US:
  // `$20.03`, `10,000`). WebKitGTK takes navigator.language from the C library's locale and turns
  // the common LANG=C.UTF-8 into "C", which is no language tag at all; LC_ALL=C gives en-US.
  // XDG_DATA_HOME in the data directory too: the window keeps its local storage (the store and the
  // language the seller chose last) under it, and each file starts on a window that never ran.
  const env = {
    ...process.env,
    LC_ALL: 'C',
    SELLERDESK_DATA_DIR: dataDir,
    XDG_DATA_HOME: join(dataDir, 'xdg-data'),
    ...extraEnv,
  };
  // E2E_PORT moves tauri-driver (and WebKitWebDriver, on the next port) off 4444, so that two runs
  // on one machine do not take each other's driver.
  const port = Number(process.env.E2E_PORT ?? 4444);
  const driver = await startDriver({
    binary: process.env.TAURI_DRIVER ?? 'tauri-driver',
    port,
    nativePort: port + 1,
    log,
    env,
  });
  let session;
  try {
    session = await Session.create(driver.base, { 'tauri:options': { application: appBinary } });
  } catch (error) {
    await stopDriver(driver);
    closeSync(log);
    throw error;
  }
  return new App(session, driver, log, dataDir);
}

export class App {
  constructor(session, driver, log, dataDir) {
    this.session = session;
    this.driver = driver;
    this.log = log;
    this.dataDir = dataDir;
  }

  /** Ends the session and the drivers, and removes the data directory (E2E_KEEP_DATA=1 keeps it). */
  async close() {
    try {
      await this.session.delete().catch((error) => console.error(`delete session: ${error.message}`));
    } finally {
      await stopDriver(this.driver);
      closeSync(this.log);
      if (process.env.E2E_KEEP_DATA === '1') console.error(`e2e: data kept in ${this.dataDir}`);
      else {
        try {
          rmSync(this.dataDir, { recursive: true, force: true, maxRetries: 3 });
        } catch (error) {
          console.error(`e2e: cannot remove ${this.dataDir}: ${error.message}`);
        }
      }
    }
  }

  async text(testId) {
    return (await this.session.text(await this.session.byTestId(testId))).trim();
  }

  async cells(testId) {
    return this.session.cells(await this.session.byTestId(testId));
  }

  /** Scrolls the element into the middle of its scrolling panel, as a seller would before using it. */
  async reveal(testId, timeoutMs) {
    return this.revealCss(`[data-testid="${testId}"]`, timeoutMs);
  }

  /** Like reveal, for the first element matching a CSS selector. */
  async revealCss(css, timeoutMs) {
    const element = await this.waitForCss(css, timeoutMs);
    await this.session.execute(`arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' });`, [
      { [ELEMENT]: element },
    ]);
    return element;
  }

  async click(testId, timeoutMs) {
    await this.session.click(await this.reveal(testId, timeoutMs));
  }

  async clickCss(css, timeoutMs) {
    await this.session.click(await this.revealCss(css, timeoutMs));
  }

  /** Waits for an element matching `css` to exist and returns the first. */
  waitForCss(css, timeoutMs = 10_000) {
    return waitFor(css, () => this.session.byCss(css), { timeoutMs });
  }

  /**
   * Confirms the open dialog `dialogTestId` and waits until it has closed: while a modal dialog is
   * open the rest of the window is inert, so the next click would land on nothing.
   */
  async confirm(dialogTestId, timeoutMs = 10_000) {
    const dialog = await this.session.waitForTestId(dialogTestId, timeoutMs);
    await this.click(`${dialogTestId}-confirm`, timeoutMs);
    await eventually(`the ${dialogTestId} to close`, () => this.session.property(dialog, 'open'), false, timeoutMs);
  }

  async fill(testId, value) {
    const input = await this.reveal(testId);
    await this.session.clear(input);
    if (value !== '') await this.session.type(input, value);
  }

  /** Chooses `value` in the <select> with this test id. */
  async select(testId, value) {
    const element = await this.session.waitForTestId(testId);
    await this.session.execute(
      `const s = arguments[0]; s.value = arguments[1]; s.dispatchEvent(new Event('change', { bubbles: true }));`,
      [{ [ELEMENT]: element }, value],
    );
  }

  /**
   * Sets a datetime-local input. WebKitGTK's WebDriver cannot type into the date and time fields of
   * such an input, so the value is set as the input would set it, with the `input` event the form
   * listens to; the form then reads and submits it like a typed one.
   */
  async setDateTime(testId, value) {
    const element = await this.reveal(testId);
    await this.session.execute(
      `const input = arguments[0];
       input.value = arguments[1];
       input.dispatchEvent(new Event('input', { bubbles: true }));
       input.dispatchEvent(new Event('change', { bubbles: true }));`,
      [{ [ELEMENT]: element }, value],
    );
    assert.equal(await this.session.property(element, 'value'), value);
  }

  waitForTestId(testId, timeoutMs) {
    return this.session.waitForTestId(testId, timeoutMs);
  }

  exists(testId) {
    return this.session.exists(testId);
  }

  /** Waits until the element's text passes `check` (a string to equal, or a RegExp to match). */
  async expectText(testId, check, timeoutMs = 10_000) {
    let last = null;
    const passes = (value) => (check instanceof RegExp ? check.test(value) : value === check);
    try {
      await waitFor(
        `${testId} to read ${check}`,
        async () => {
          last = await this.text(testId).catch(() => null);
          return last !== null && passes(last);
        },
        { timeoutMs },
      );
    } catch (error) {
      assert.fail(`${testId}: expected ${check}, last read ${JSON.stringify(last)} (${error.message})`);
    }
    return last;
  }

  /**
   * What has the keyboard focus: a description of it, whether it matches `css`, and the focus
   * ring a seller sees on it (null when there is none).
   */
  focus(css = '*') {
    return this.session.execute(
      `const element = document.activeElement;
       const describe = (at) => {
         const testId = at.getAttribute('data-testid');
         const words = (at.getAttribute('aria-label') || at.innerText || at.value || '').trim().replace(/\\s+/g, ' ').slice(0, 50);
         return at.tagName.toLowerCase() + (at.id ? '#' + at.id : '') + (testId ? '[data-testid="' + testId + '"]' : '') + (words ? ' "' + words + '"' : '');
       };
       if (!element || element === document.body) return { described: 'nothing (the page itself)', matches: false, ring: null };
       const ringed = (at) => {
         const s = getComputedStyle(at);
         return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 && !/^transparent$|rgba\\(.*,\\s*0\\)$/.test(s.outlineColor);
       };
       // The app draws outlines for the focus only (:focus-visible; a date-and-time input's :focus,
       // its parts having the focus inside it), on the focused element or, for a row of the
       // coupon list whose cells clip, on the row around its button (:focus-within).
       let ring = null;
       for (let at = element, up = 0; at && up < 3 && ring === null; at = at.parentElement, up += 1) {
         if (ringed(at)) ring = describe(at);
       }
       return { described: describe(element), matches: element.matches(arguments[0]), ring };`,
      [css],
    );
  }

  /** Asserts that the element matching `css` has the keyboard focus, with a visible focus ring. */
  async expectFocus(css, timeoutMs = 5_000) {
    const focus = await eventually(`the focus on ${css}`, () => this.focus(css), (found) => found.matches, timeoutMs);
    assert.ok(focus.ring !== null, `the focus on ${focus.described} is not visible (no focus outline)`);
    return focus;
  }

  /**
   * Presses Tab (Shift+Tab with `back`) until the element matching `css` has the focus; every
   * element the focus passes on its way must show it. Fails after `max` presses, naming them.
   */
  async tabTo(css, { back = false, max = 30 } = {}) {
    const path = [];
    for (let presses = 1; presses <= max; presses += 1) {
      await this.session.press(KEY.Tab, back ? [KEY.Shift] : []);
      const focus = await this.focus(css);
      path.push(focus.described);
      assert.ok(focus.ring !== null, `Tab reached ${focus.described}, which shows no focus ring`);
      if (focus.matches) return focus;
    }
    assert.fail(`${back ? 'Shift+Tab' : 'Tab'} did not reach ${css} in ${max} presses: ${path.join(' → ')}`);
  }

  /** Presses a key (a character or a KEY code), holding `modifiers` (KEY codes). */
  press(key, modifiers) {
    return this.session.press(key, modifiers);
  }

  /** Types `text` into whatever has the focus, key by key. */
  typeKeys(text) {
    return this.session.typeKeys(text);
  }

  /** Saves a PNG of the window in artifacts/ (after a pause: a fresh change may not be painted). */
  async screenshot(name) {
    await sleep(400);
    writeFileSync(join(artifacts, name), await this.session.screenshot());
  }

  /** Saves what the window shows (`<label>.png`) and its page (`<label>.html`) in artifacts/, to look into a failure. */
  async captureFailure(label) {
    try {
      writeFileSync(join(artifacts, `${label}.png`), await this.session.screenshot());
      const html = await this.session.execute('return document.documentElement.outerHTML;');
      writeFileSync(join(artifacts, `${label}.html`), html);
    } catch (error) {
      console.error(`e2e: cannot capture ${label}: ${error.message}`);
    }
  }

  /** Answers the system save dialog the app opened by typing `path` and pressing Enter. */
  async answerSaveDialog(path) {
    const dialog = await waitFor(
      'the save dialog',
      () => {
        try {
          return execFileSync('xdotool', ['search', '--onlyvisible', '--name', '^Save']).toString().trim().split('\n')[0];
        } catch {
          return null;
        }
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    // There is no window manager under Xvfb: focus the dialog directly, then type as a seller would.
    execFileSync('xdotool', ['windowfocus', '--sync', dialog]);
    await sleep(300);
    execFileSync('xdotool', ['key', 'ctrl+a']);
    execFileSync('xdotool', ['type', '--delay', '15', path]);
    execFileSync('xdotool', ['key', 'Return']);
  }

  /** The embedded sandbox's whole state, as `sellerdesk-sandbox dump` prints it. */
  sandboxDump() {
    // The dump holds every code on the platform: a batch of 10,000 is over a megabyte of JSON.
    const out = execFileSync(sandboxBinary, ['dump', '--data', join(this.dataDir, 'sandbox', 'platform')], {
      maxBuffer: 1 << 30,
    });
    return JSON.parse(out.toString());
  }
}

/**
 * Starts `sellerdesk-sandbox` with `args` as a server of its own on loopback, and waits until
 * `found(printed)` gives what the test needs from what it prints (else null).
 */
export async function startSandbox(args, found) {
  const child = spawn(sandboxBinary, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let printed = '';
  const ready = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the sandbox exited early with ${code}: ${printed}`)));
    child.stdout.on('data', (chunk) => {
      printed += chunk;
      const value = found(printed);
      if (value !== null) resolve(value);
    });
  });
  return { child, ...ready };
}

/** Stops a server `startSandbox` started, by its process, and waits until it has exited. */
export async function stopSandbox({ child }) {
  const exited = child.exitCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/**
 * Waits until `read()` passes `check` (a value to equal, a RegExp or a predicate); a failure says
 * what was last read.
 */
export async function eventually(what, read, check, timeoutMs = 10_000, intervalMs = 100) {
  let last = null;
  const passes = (value) =>
    check instanceof RegExp ? check.test(value) : typeof check === 'function' ? check(value) : value === check;
  try {
    await waitFor(
      what,
      async () => {
        last = await read().catch(() => null);
        return last !== null && passes(last);
      },
      { timeoutMs, intervalMs },
    );
  } catch (error) {
    assert.fail(`${what}: expected ${check}, last read ${JSON.stringify(last)} (${error.message})`);
  }
  return last;
}

/** A message of the UI's catalogs (ui/src/locales), as written: `message('ru', 'app.screens.settings')`. */
export function message(language, key) {
  const [area, ...name] = key.split('.');
  const catalog = JSON.parse(readFileSync(resolve(here, '../../ui/src/locales', language, `${area}.json`), 'utf8'));
  const found = catalog[name.join('.')];
  assert.ok(found !== undefined, `no message ${key} in ${language}`);
  return found;
}

/** The CSS selector of the element with this data-testid. */
export const testIdCss = (testId) => `[data-testid="${testId}"]`;

/** A local time as a datetime-local input's value: `2026-11-24T13:05`. */
export function localInput(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
