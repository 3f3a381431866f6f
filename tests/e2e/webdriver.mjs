// A dependency-free W3C WebDriver client: just the few endpoints the e2e test needs, over
// Node's global fetch. Spec: https://www.w3.org/TR/webdriver2/
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/** WebDriver's codes of the keys the keyboard tests press (spec: "Keyboard actions"). */
export const KEY = {
  Tab: '\uE004',
  Enter: '\uE007',
  Shift: '\uE008',
  Control: '\uE009',
  Space: '\uE00D',
  ArrowRight: '\uE014',
  ArrowDown: '\uE015',
};

export class WebDriverError extends Error {
  constructor(method, path, status, value) {
    super(`${method} ${path} -> HTTP ${status}: ${value?.error ?? 'error'}: ${value?.message ?? JSON.stringify(value)}`);
    this.error = value?.error;
  }
}

async function request(base, method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new WebDriverError(method, path, response.status, json.value);
  return json.value;
}

/** Polls `probe` until it returns something truthy (or stops throwing); the last error explains a timeout. */
export async function waitFor(what, probe, { timeoutMs = 10_000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError = null;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`);
    }
    await sleep(intervalMs);
  }
}

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async create(base, capabilities) {
    const value = await request(base, 'POST', '/session', { capabilities: { alwaysMatch: capabilities } });
    return new Session(base, value.sessionId);
  }

  cmd(method, path, body) {
    return request(this.base, method, `/session/${this.id}${path}`, body);
  }

  title() {
    return this.cmd('GET', '/title');
  }

  /** The first element matching a CSS selector, or throws `no such element`. */
  async byCss(css) {
    const value = await this.cmd('POST', '/element', { using: 'css selector', value: css });
    const element = value?.[ELEMENT];
    if (typeof element !== 'string') throw new Error(`not a web element reference: ${JSON.stringify(value)}`);
    return element;
  }

  /** The element with this data-testid, or throws `no such element`. */
  byTestId(testId) {
    return this.byCss(`[data-testid="${testId}"]`);
  }

  /** Waits for the element with this data-testid to exist and returns it. */
  waitForTestId(testId, timeoutMs) {
    return waitFor(`[data-testid="${testId}"]`, () => this.byTestId(testId), { timeoutMs });
  }

  async exists(testId) {
    const value = await this.cmd('POST', '/elements', { using: 'css selector', value: `[data-testid="${testId}"]` });
    return value.length > 0;
  }

  click(element) {
    return this.cmd('POST', `/element/${element}/click`, {});
  }

  text(element) {
    return this.cmd('GET', `/element/${element}/text`);
  }

  attribute(element, name) {
    return this.cmd('GET', `/element/${element}/attribute/${encodeURIComponent(name)}`);
  }

  property(element, name) {
    return this.cmd('GET', `/element/${element}/property/${encodeURIComponent(name)}`);
  }

  clear(element) {
    return this.cmd('POST', `/element/${element}/clear`, {});
  }

  type(element, text) {
    return this.cmd('POST', `/element/${element}/value`, { text });
  }

  /** The trimmed text of each cell of a table row. */
  async cells(element) {
    return this.execute('return [...arguments[0].cells].map((cell) => cell.textContent.trim());', [
      { [ELEMENT]: element },
    ]);
  }

  execute(script, args = []) {
    return this.cmd('POST', '/execute/sync', { script, args });
  }

  /** Runs `script`; it finishes by calling its last argument with the result. */
  executeAsync(script, args = []) {
    return this.cmd('POST', '/execute/async', { script, args });
  }

  /**
   * Presses `key` (a character or a KEY code) once, holding the `modifiers` (KEY codes) down
   * around it, as the seller's keyboard would: key down and key up events to the focused element.
   */
  async press(key, modifiers = []) {
    const down = [...modifiers, key].map((value) => ({ type: 'keyDown', value }));
    const up = [key, ...[...modifiers].reverse()].map((value) => ({ type: 'keyUp', value }));
    await this.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions: [...down, ...up] }] });
  }

  /** Types `text` key by key into whatever has the focus. */
  async typeKeys(text) {
    const actions = [...text].flatMap((value) => [
      { type: 'keyDown', value },
      { type: 'keyUp', value },
    ]);
    await this.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
  }

  /** Sets how long a script (executeAsync) may run before WebDriver gives up on it. */
  setScriptTimeout(ms) {
    return this.cmd('POST', '/timeouts', { script: ms });
  }

  /** PNG bytes of the viewport. */
  async screenshot() {
    return Buffer.from(await this.cmd('GET', '/screenshot'), 'base64');
  }

  delete() {
    return this.cmd('DELETE', '');
  }
}

/**
 * Starts `tauri-driver` (which starts WebKitWebDriver) and waits until it answers /status.
 * Stop it with stopDriver(): SIGTERM lets it end WebKitWebDriver; SIGKILL would orphan it.
 */
export async function startDriver({ binary = 'tauri-driver', port = 4444, nativePort = 4445, log, env = process.env }) {
  const base = `http://127.0.0.1:${port}`;
  // A driver already there (another run, or a leftover) would answer /status in place of ours,
  // and its sessions would be mixed with ours: refuse to start instead.
  const taken = await fetch(`${base}/status`, { signal: AbortSignal.timeout(2_000) }).then(
    () => true,
    () => false,
  );
  if (taken) {
    throw new Error(`port ${port} already has a WebDriver server (another run, or a leftover tauri-driver); stop it or set E2E_PORT`);
  }
  const child = spawn(binary, ['--port', String(port), '--native-port', String(nativePort)], {
    stdio: ['ignore', log ?? 'ignore', log ?? 'ignore'],
    // The app inherits this environment (tauri-driver → WebKitWebDriver → the app).
    env,
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const spawnError = new Promise((_, reject) => child.once('error', reject));
  let ready = false;
  const earlyExit = exited.then(({ code, signal }) => {
    if (!ready) throw new Error(`tauri-driver exited early (code ${code}, signal ${signal})`);
  });
  try {
    await Promise.race([
      spawnError,
      earlyExit,
      waitFor('tauri-driver to answer /status', async () => (await fetch(`${base}/status`)).ok, { timeoutMs: 15_000 }),
    ]);
  } catch (error) {
    ready = true; // the exit that follows is ours
    child.kill('SIGTERM');
    throw error;
  }
  ready = true;
  return { child, base, exited };
}

export async function stopDriver(driver, { timeoutMs = 10_000 } = {}) {
  if (driver === null || driver.child.exitCode !== null || driver.child.signalCode !== null) return;
  driver.child.kill('SIGTERM');
  const cancel = new AbortController();
  const timeout = sleep(timeoutMs, 'timeout', { signal: cancel.signal }).catch(() => null);
  const first = await Promise.race([driver.exited, timeout]);
  cancel.abort();
  if (first === 'timeout') {
    throw new Error(`tauri-driver (pid ${driver.child.pid}) did not stop within ${timeoutMs} ms of SIGTERM`);
  }
}
