// The Settings screen in happy-dom, with the Tauri commands mocked.
import { flushSync } from 'svelte';
import { beforeEach, expect, test } from 'vitest';
import type { CommandError, PlatformView } from '../lib/bindings';
import { chooseLanguage } from '../lib/i18n.svelte';
import SettingsScreen from './SettingsScreen.svelte';
import { byTestId, mountScreen, pick, recordIpc, settle, setupScreenTests, text, typeInto, type RecordedIpc } from '../test/dom';

setupScreenTests();

let ipc: RecordedIpc;
let platformChanges = 0;

const SANDBOX: PlatformView = { kind: 'sandbox', sandbox_url: 'http://127.0.0.1:4100', aliexpress_sandbox_url: 'http://127.0.0.1:4200', database: '/tmp/sandbox/sd.db' };
const REMOTE: PlatformView = { kind: 'remote', sandbox_url: null, aliexpress_sandbox_url: null, database: '/home/me/.local/share/sellerdesk/sellerdesk.db' };

beforeEach(() => {
  platformChanges = 0;
});

function input(id: string): HTMLInputElement {
  return byTestId<HTMLInputElement>(id);
}

function fillForm() {
  typeInto('connect-store-id', 'S9');
  typeInto('connect-store-name', 'Acme Outlet');
  typeInto('connect-currency', 'usd');
  typeInto('connect-url', 'https://api.example-market.com');
  typeInto('connect-app-key', 'app-123');
  typeInto('connect-app-secret', 'very-secret');
  typeInto('connect-access-token', 'token-xyz');
  flushSync();
}

async function start(platform: PlatformView, connect: (connection: Record<string, unknown>) => unknown) {
  ipc = recordIpc({
    connect_platform: (args) => connect(args.connection as Record<string, unknown>),
    use_sandbox: () => null,
    diagnostics: () => ({ text: 'Seller Desk 0.4.0\nstore S1 (USD): sellerdesk', log_folder: '/home/seller/.local/share/sellerdesk/logs' }),
    open_log_folder: () => null,
    open_aliexpress_authorization: (args) => {
      const request = args.request as { app_key: string; redirect_uri: string };
      return {
        url: `https://api-sg.aliexpress.com/oauth/authorize?response_type=code&client_id=${request.app_key}`,
        state: 's1',
      };
    },
  });
  mountScreen(SettingsScreen, {
    platform,
    version: '0.4.0',
    onplatformchanged: () => {
      platformChanges += 1;
    },
  });
  await settle();
}

function sent(cmd: string) {
  return ipc.args(cmd);
}

test('the sandbox is named, with its address, the database and the version', async () => {
  await start(SANDBOX, () => null);
  expect(text('platform-kind')).toBe('Sandbox');
  expect(text('sandbox-url')).toBe('http://127.0.0.1:4100');
  expect(text('screen-settings')).toContain(
    'The bundled sandbox platform runs inside Seller Desk at http://127.0.0.1:4100 with demo stores; nothing you do here reaches a real marketplace.',
  );
  expect(text('database-path')).toBe('/tmp/sandbox/sd.db');
  expect(text('app-version')).toBe('Seller Desk 0.4.0');
  expect(document.querySelector('[data-testid="use-sandbox"]')).toBeNull();
  expect(input('connect-app-secret').type).toBe('password');
  expect(input('connect-access-token').type).toBe('password');
  expect(text('screen-settings')).toContain('kept in your system\'s keyring, never in Seller Desk\'s database');
});

test('a refused field shows its message beside the right input, and nothing else', async () => {
  const refusal: CommandError = {
    code: 'invalid_input',
    message: 'app_secret: must not be empty [INPUT-1]',
    field: 'app_secret',
    rule: 'INPUT-1',
    reason: 'required',
    params: {},
  };
  await start(SANDBOX, () => {
    throw refusal;
  });
  fillForm();
  byTestId('connect-submit').click();
  await settle();

  expect(text('connect-error-app_secret')).toBe('This cannot be empty.');
  const secret = input('connect-app-secret');
  expect(secret.getAttribute('aria-invalid')).toBe('true');
  expect(secret.getAttribute('aria-describedby')).toContain('connect-app_secret-error');
  expect(document.activeElement).toBe(secret);
  expect(input('connect-app-key').getAttribute('aria-invalid')).toBe('false');
  expect(document.querySelector('[data-testid="error-alert"]')).toBeNull();
  expect(document.querySelector('[data-testid="connect-result"]')).toBeNull();
  expect(platformChanges).toBe(0);

  // Typing in the input clears its message.
  typeInto('connect-app-secret', 'another');
  flushSync();
  expect(document.querySelector('[data-testid="connect-error-app_secret"]')).toBeNull();
});

test('the facade names the address `url`; errors without a field go in an alert', async () => {
  let answer: CommandError = { code: 'invalid_input', message: 'url: must be https', field: 'url', rule: 'INPUT-1', reason: 'address', params: {} };
  await start(SANDBOX, () => {
    throw answer;
  });
  fillForm();
  byTestId('connect-submit').click();
  await settle();
  expect(text('connect-error-base_url')).toBe(
    'Use an https address (plain http only for this computer, such as http://127.0.0.1:9000).',
  );

  answer = { code: 'io', message: 'the keyring is locked', field: null, rule: null, reason: null, params: {} };
  byTestId('connect-submit').click();
  await settle();
  expect(document.querySelector('[data-testid="connect-error-base_url"]')).toBeNull();
  expect(text('error-message')).toBe('the keyring is locked');
});

test('empty inputs are named without calling the platform', async () => {
  await start(SANDBOX, () => null);
  typeInto('connect-store-id', 'S9');
  flushSync();
  byTestId('connect-submit').click();
  await settle();
  expect(sent('connect_platform')).toEqual([]);
  expect(text('connect-error-store_name')).toBe('Enter a name for the store.');
  expect(text('connect-error-access_token')).toBe('Enter the access token.');
  expect(document.activeElement).toBe(input('connect-store-name'));
});

test('connecting sends the form, says where it connected and never keeps the secret', async () => {
  await start(SANDBOX, (connection) => ({
    store_id: connection.store_id,
    platform: 'sellerdesk',
    base_url: connection.base_url,
    app_key: connection.app_key,
    unenforced_rules: [],
  }));
  fillForm();
  byTestId('connect-submit').click();
  await settle();

  expect(sent('connect_platform')).toEqual([
    {
      connection: {
        platform: 'sellerdesk',
        store_id: 'S9',
        store_name: 'Acme Outlet',
        currency: 'USD',
        base_url: 'https://api.example-market.com',
        app_key: 'app-123',
        app_secret: 'very-secret',
        access_token: 'token-xyz',
        api_key: '',
        authorization_code: '',
      },
    },
  ]);
  expect(text('connect-result')).toContain('Connected store S9 at https://api.example-market.com');
  expect(input('connect-app-secret').value).toBe('');
  expect(input('connect-access-token').value).toBe('');
  expect(input('connect-app-key').value).toBe('app-123');
  expect(document.body.innerHTML).not.toContain('very-secret');
  expect(document.body.innerHTML).not.toContain('token-xyz');
  expect(platformChanges).toBe(1);
});

test('a Medusa shop is connected with its secret API key, and the rules Medusa cannot enforce are said', async () => {
  await start(SANDBOX, (connection) => ({
    store_id: connection.store_id,
    platform: 'medusa',
    base_url: connection.base_url,
    app_key: null,
    unenforced_rules: ['APPLY-1: two codes stack', 'CREATE-4: no per-buyer limit'],
  }));
  pick('connect-platform', 'medusa');
  await settle();
  expect(document.querySelector('[data-testid="connect-app-key"]')).toBeNull();
  typeInto('connect-store-id', 'M1');
  typeInto('connect-store-name', 'My shop');
  typeInto('connect-currency', 'usd');
  typeInto('connect-url', 'http://127.0.0.1:9000');
  typeInto('connect-api-key', 'sk_123');
  flushSync();
  byTestId('connect-submit').click();
  await settle();

  expect(sent('connect_platform')).toEqual([
    {
      connection: {
        platform: 'medusa',
        store_id: 'M1',
        store_name: 'My shop',
        currency: 'USD',
        base_url: 'http://127.0.0.1:9000',
        app_key: '',
        app_secret: '',
        access_token: '',
        api_key: 'sk_123',
        authorization_code: '',
      },
    },
  ]);
  expect(text('connect-unenforced')).toContain('CREATE-4: no per-buyer limit');
  expect(input('connect-api-key').value).toBe('');
  expect(document.body.innerHTML).not.toContain('sk_123');
});

test('AliExpress: the authorization page opens for the app, then the code it gives connects the store', async () => {
  await start(SANDBOX, (connection) => ({
    store_id: connection.store_id,
    platform: 'aliexpress',
    base_url: 'https://api-sg.aliexpress.com',
    app_key: connection.app_key,
    unenforced_rules: [],
  }));
  pick('connect-platform', 'aliexpress');
  await settle();
  // The page is for an app: without its key, it says so beside the key.
  typeInto('connect-redirect-uri', 'https://seller.example.com/callback');
  flushSync();
  byTestId('open-authorization').click();
  await settle();
  expect(sent('open_aliexpress_authorization')).toEqual([]);
  expect(text('connect-error-app_key')).toContain('Enter the app key first');

  typeInto('connect-app-key', '500100');
  flushSync();
  byTestId('open-authorization').click();
  await settle();
  expect(sent('open_aliexpress_authorization')).toEqual([
    { request: { app_key: '500100', redirect_uri: 'https://seller.example.com/callback', base_url: '' } },
  ]);
  expect(text('authorization-opened')).toContain('oauth/authorize?response_type=code&client_id=500100');

  typeInto('connect-store-id', 'A1');
  typeInto('connect-store-name', 'My AliExpress store');
  typeInto('connect-currency', 'usd');
  typeInto('connect-url', 'https://api-sg.aliexpress.com');
  typeInto('connect-app-secret', 's3cret');
  typeInto('connect-authorization-code', '3_500100_abc');
  flushSync();
  byTestId('connect-submit').click();
  await settle();
  expect(sent('connect_platform')).toEqual([
    {
      connection: {
        platform: 'aliexpress',
        store_id: 'A1',
        store_name: 'My AliExpress store',
        currency: 'USD',
        base_url: 'https://api-sg.aliexpress.com',
        app_key: '500100',
        app_secret: 's3cret',
        access_token: '',
        api_key: '',
        authorization_code: '3_500100_abc',
      },
    },
  ]);
  expect(text('connect-result')).toContain('Connected store A1');
});

test('on a real platform, going back to the sandbox asks first', async () => {
  await start(REMOTE, () => null);
  expect(text('platform-kind')).toBe('A real platform');
  expect(document.querySelector('[data-testid="sandbox-url"]')).toBeNull();

  byTestId('use-sandbox').click();
  await settle();
  expect(byTestId('use-sandbox-dialog').hasAttribute('open')).toBe(true);
  expect(sent('use_sandbox')).toEqual([]);
  byTestId('use-sandbox-dialog-cancel').click();
  await settle();
  expect(byTestId('use-sandbox-dialog').hasAttribute('open')).toBe(false);

  byTestId('use-sandbox').click();
  await settle();
  byTestId('use-sandbox-dialog-confirm').click();
  await settle();
  expect(sent('use_sandbox')).toEqual([{}]);
  expect(platformChanges).toBe(1);
});

test('diagnostics: copied to the clipboard, or shown to copy by hand; the log folder opens', async () => {
  await start(SANDBOX, () => null);
  const written: string[] = [];
  Object.defineProperty(navigator, 'clipboard', {
    configurable: true,
    value: { writeText: async (text: string) => void written.push(text) },
  });
  byTestId('copy-diagnostics').click();
  await settle();
  expect(written).toEqual(['Seller Desk 0.4.0\nstore S1 (USD): sellerdesk']);
  expect(byTestId('diagnostics-status').textContent).toContain('Copied to the clipboard.');
  expect(byTestId('diagnostics-status').textContent).toContain('/home/seller/.local/share/sellerdesk/logs');
  expect((byTestId('diagnostics-text') as HTMLTextAreaElement).value).toContain('store S1 (USD): sellerdesk');

  Object.defineProperty(navigator, 'clipboard', {
    configurable: true,
    value: { writeText: async () => Promise.reject(new Error('not allowed')) },
  });
  byTestId('copy-diagnostics').click();
  await settle();
  expect(byTestId('diagnostics-status').textContent).toContain('select the text below and copy it');

  byTestId('open-log-folder').click();
  await settle();
  expect(ipc.args('open_log_folder')).toEqual([{}]);
});

test('the language switch applies at once: Русский, then the system language again', async () => {
  try {
    await start(SANDBOX, () => null);
    const choice = byTestId<HTMLSelectElement>('language-choice');
    expect(choice.value).toBe('');
    expect([...choice.options].map((option) => option.value)).toEqual(['', 'en', 'zh-CN', 'es', 'pt-BR', 'ru', 'fr']);
    expect(choice.options[0]!.textContent).toMatch(/^System language \(.+\)$/);
    expect(choice.querySelector('option[value="ru"]')!.getAttribute('lang')).toBe('ru');
    expect(document.getElementById('language-heading')!.textContent).toBe('Language');

    pick('language-choice', 'ru');
    await settle();
    expect(document.getElementById('language-heading')!.textContent).toBe('Язык');
    expect(text('platform-kind')).toBe('Песочница');
    expect(text('copy-diagnostics')).toBe('Скопировать диагностику');
    expect(byTestId<HTMLSelectElement>('language-choice').value).toBe('ru');

    pick('language-choice', '');
    await settle();
    expect(document.getElementById('language-heading')!.textContent).toBe('Language');
    expect(text('platform-kind')).toBe('Sandbox');
    expect(byTestId<HTMLSelectElement>('language-choice').value).toBe('');
  } finally {
    await chooseLanguage(null);
  }
});

test('words shown before a switch follow it: the missing-input messages are said again in Russian', async () => {
  try {
    await start(SANDBOX, () => null);
    byTestId('connect-submit').click();
    await settle();
    expect(text('connect-error-store_name')).toBe('Enter a name for the store.');
    pick('language-choice', 'ru');
    await settle();
    expect(text('connect-error-store_name')).toBe('Введите название магазина.');
  } finally {
    await chooseLanguage(null);
  }
});
