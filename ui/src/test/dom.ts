// What the component tests share: a screen mounted in happy-dom, the Tauri commands answered
// through `mockIPC` and recorded, the page read by `data-testid`, and the views the screens and
// the lib tests are fed. A screen test file calls `setupScreenTests()` once at its top level.
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { mount, tick, unmount, type Component, type MountOptions } from 'svelte';
import { afterEach, beforeAll, beforeEach, vi } from 'vitest';
import { allCatalogs } from '../lib/i18n.svelte';
import type { CodeSpaceView, PlatformView, RefundRequestView, StoreView, SyncStatusView } from '../lib/bindings';
import type { ScreenProps } from '../lib/screens';

// ---------------------------------------------------------------------------------------------
// Mounting

/** A mounted screen; `unmount()` takes it off the page (at most once). */
export interface MountedScreen {
  unmount(): void;
}

/** The screens mounted and not unmounted yet, taken off after each test. */
const mounted = new Set<MountedScreen>();

/**
 * Registers the per-test scaffolding of a screen test file: before each test the page is a bare
 * `<div id="app"></div>` and every `vi.fn()` has forgotten its calls (so a file's callback mocks
 * can be made once); after each, every screen still mounted is unmounted and the Tauri mocks
 * are cleared.
 */
export function setupScreenTests(): void {
  // Every language's words are in before a test switches to one (the app loads them on demand).
  beforeAll(async () => {
    await allCatalogs();
  });
  beforeEach(() => {
    document.body.innerHTML = '<div id="app"></div>';
    vi.clearAllMocks();
  });
  afterEach(() => {
    for (const screen of [...mounted]) screen.unmount();
    clearMocks();
  });
}

/**
 * Mounts `component` with `props` into `#app` (made if missing) and returns its handle; the
 * handle is unmounted after the test unless the test does it first. (`Record<string, any>` is
 * Svelte's own bound on props: an interface has no index signature.)
 */
export function mountScreen<Props extends Record<string, any>>(component: Component<Props>, props: Props): MountedScreen {
  let target = document.getElementById('app');
  if (target === null) {
    target = document.createElement('div');
    target.id = 'app';
    document.body.append(target);
  }
  // `MountOptions` picks between `props?` and `props` by whether `Props` may be empty, which a
  // generic `Props` cannot tell.
  const instance = mount(component, { target, props } as MountOptions<Props>);
  let live = true;
  const screen: MountedScreen = {
    unmount() {
      if (!live) return;
      live = false;
      mounted.delete(screen);
      void unmount(instance);
    },
  };
  mounted.add(screen);
  return screen;
}

/**
 * Lets the screen's pending work run out: `rounds` times a macrotask turn (IPC answers, timers
 * at 0 ms) followed by Svelte's `tick()`.
 */
export async function settle(rounds = 6): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await tick();
  }
}

// ---------------------------------------------------------------------------------------------
// Reading and driving the page by `data-testid`

function selector(id: string): string {
  return `[data-testid="${id}"]`;
}

/** The first element with `data-testid=id` below `root`, or null. */
export function query(id: string, root: ParentNode = document): HTMLElement | null {
  return root.querySelector<HTMLElement>(selector(id));
}

/** The first element with `data-testid=id` below `root`; throws when there is none. */
export function byTestId<T extends HTMLElement = HTMLElement>(id: string, root: ParentNode = document): T {
  const element = root.querySelector<T>(selector(id));
  if (element === null) throw new Error(`no element with data-testid=${id}`);
  return element;
}

/** Every element with `data-testid=id` below `root`, in document order. */
export function all(id: string, root: ParentNode = document): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(selector(id))];
}

/** The text of the element with `data-testid=id`, runs of white space made one space, trimmed. */
export function text(id: string): string {
  return byTestId(id).textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

/**
 * Types `value` into the input with `data-testid=id`: sets its value and dispatches a bubbling
 * `input` event, as the browser does. Svelte's DOM updates wait for `flushSync()` or `settle()`.
 */
export function typeInto(id: string, value: string): HTMLInputElement {
  const input = byTestId<HTMLInputElement>(id);
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  return input;
}

/** Chooses an option the way the seller does (happy-dom needs `selected`, not `value`). */
export function pick(id: string, value: string): void {
  const select = byTestId<HTMLSelectElement>(id);
  for (const option of select.options) option.selected = option.value === value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

// ---------------------------------------------------------------------------------------------
// Tauri commands

/** A command's arguments as the frontend sent them (`{}` when it sent none). */
export type IpcArgs = Record<string, unknown>;

/** Answers one command: a value, a promise of one, or a throw (the command's error). */
export type IpcHandler = (args: IpcArgs) => unknown;

/** One recorded command call. */
export interface IpcCall {
  cmd: string;
  args: IpcArgs;
}

/** The calls made since `recordIpc` installed its mock. */
export interface RecordedIpc {
  /** Every call, oldest first, or only those of `cmd`. */
  calls(cmd?: string): IpcCall[];
  /** The arguments of each call of `cmd`, oldest first. */
  args(cmd: string): IpcArgs[];
}

/**
 * Installs `mockIPC` answering each command with its handler, recording every call (before it
 * is answered); a command without a handler fails with `unexpected command <cmd>`.
 */
export function recordIpc(handlers: Record<string, IpcHandler>): RecordedIpc {
  const log: IpcCall[] = [];
  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as IpcArgs;
    log.push({ cmd, args });
    const handler = Object.hasOwn(handlers, cmd) ? handlers[cmd] : undefined;
    if (handler === undefined) throw new Error(`unexpected command ${cmd}`);
    return handler(args);
  });
  const calls = (cmd?: string) => (cmd === undefined ? [...log] : log.filter((call) => call.cmd === cmd));
  return { calls, args: (cmd) => calls(cmd).map((call) => call.args) };
}

// ---------------------------------------------------------------------------------------------
// Views the screens are given or the commands answer

/** The store every screen test works in. */
export const STORE: StoreView = {
  store_id: 'S1',
  name: 'Acme Outlet',
  currency: 'USD',
  created_at: '2026-11-01T00:00:00Z',
  platform: null,
};

/** The bundled sandbox as the platform. */
export const PLATFORM: PlatformView = { kind: 'sandbox', sandbox_url: 'http://127.0.0.1:8700', aliexpress_sandbox_url: 'http://127.0.0.1:4200', database: '/tmp/db' };

/**
 * The props a store screen gets from the shell: `STORE` on `PLATFORM`, no coupon chosen and
 * callbacks that do nothing, with `overrides`.
 */
export function screenProps(overrides: Partial<ScreenProps> = {}): ScreenProps {
  return { store: STORE, platform: PLATFORM, couponId: null, navigate: () => {}, onchanged: () => {}, ...overrides };
}

/** Store S1 connected, online and synced two minutes before 2026-11-24T12:00Z, with `overrides`. */
export function syncStatus(overrides: Partial<SyncStatusView> = {}): SyncStatusView {
  return {
    store_id: 'S1',
    connected: true,
    online: true,
    pending_changes: 0,
    rejected_changes: 0,
    last_attempt_at: '2026-11-24T11:58:00Z',
    last_successful_sync: '2026-11-24T11:58:00Z',
    last_error: null,
    rejected: [],
    withdraw_codes: [],
    set_aside: [],
    ...overrides,
  };
}

/** Refund request R-1001 for payment P-1001, order A1, nobody has answered yet, with `overrides`. */
export function refundRequest(overrides: Partial<RefundRequestView> = {}): RefundRequestView {
  return {
    request_id: 'R-1001',
    store_id: 'S1',
    payment_id: 'P-1001',
    order_id: 'A1',
    refund_kind: 'units',
    requested_at: '2026-11-23T12:00:00Z',
    platform_decision: null,
    seller_decision: null,
    decision_upload: null,
    ...overrides,
  };
}

/** The live hint for 10,000 codes of length 9 from 31 characters, 40,000 left, with `overrides`. */
export function codeSpaceHint(overrides: Partial<CodeSpaceView> = {}): CodeSpaceView {
  return {
    length: 9,
    alphabet_size: 31,
    code_space: '26439622160671',
    live_codes_after: 10000,
    guess_one_in: '2643962216',
    example: 'WIN-7KQ2-M8XP',
    codes_left: 40000,
    problem: null,
    ...overrides,
  };
}
