import { expect, test } from 'vitest';
import type { CommandError } from './bindings';
import {
  connectRequest,
  describePlatform,
  emptyConnectForm,
  fieldOfError,
  missingFields,
  withoutSecrets,
} from './settings-connect';

function error(code: CommandError['code'], field: string | null): CommandError {
  return { code, message: 'm', field, rule: null, reason: null, params: {} };
}

const FILLED = {
  platform: 'sellerdesk' as const,
  store_id: ' S9 ',
  store_name: ' Acme ',
  currency: 'usd ',
  base_url: ' https://api.example.com ',
  app_key: ' key ',
  app_secret: ' s3cret',
  access_token: 'tok ',
  api_key: '',
  authorization_code: '',
};

test('the request trims plain fields, capitalises the currency and sends secrets as typed', () => {
  expect(connectRequest(FILLED)).toEqual({
    platform: 'sellerdesk',
    store_id: 'S9',
    store_name: 'Acme',
    currency: 'USD',
    base_url: 'https://api.example.com',
    app_key: 'key',
    app_secret: ' s3cret',
    access_token: 'tok ',
    api_key: '',
    authorization_code: '',
  });
});

test('Medusa asks for a secret API key instead of an app key, secret and token, and sends only it', () => {
  const medusa = { ...FILLED, platform: 'medusa' as const, api_key: ' sk_123 ' };
  expect(connectRequest(medusa)).toEqual({
    platform: 'medusa',
    store_id: 'S9',
    store_name: 'Acme',
    currency: 'USD',
    base_url: 'https://api.example.com',
    app_key: '',
    app_secret: '',
    access_token: '',
    api_key: 'sk_123',
    authorization_code: '',
  });
  const missing = missingFields({ ...emptyConnectForm(), platform: 'medusa', store_id: 'M1' });
  expect(Object.keys(missing)).toEqual(['store_name', 'currency', 'base_url', 'api_key']);
  expect(fieldOfError(error('invalid_input', 'api_key'))).toBe('api_key');
});

test('AliExpress asks for the app key and secret and the authorization code, and sends no token', () => {
  const aliexpress = { ...FILLED, platform: 'aliexpress' as const, authorization_code: ' 3_500_abc ' };
  expect(connectRequest(aliexpress)).toEqual({
    platform: 'aliexpress',
    store_id: 'S9',
    store_name: 'Acme',
    currency: 'USD',
    base_url: 'https://api.example.com',
    app_key: 'key',
    app_secret: ' s3cret',
    access_token: '',
    api_key: '',
    authorization_code: '3_500_abc',
  });
  const missing = missingFields({ ...emptyConnectForm(), platform: 'aliexpress', store_id: 'A1' });
  expect(Object.keys(missing)).toEqual(['store_name', 'currency', 'base_url', 'app_key', 'app_secret', 'authorization_code']);
  expect(fieldOfError(error('invalid_input', 'code'))).toBe('authorization_code');
});

test('after success only the secrets are wiped', () => {
  expect(withoutSecrets({ ...FILLED, api_key: 'sk', authorization_code: 'c' })).toEqual({
    ...FILLED,
    app_secret: '',
    access_token: '',
    api_key: '',
    authorization_code: '',
  });
});

test('empty inputs each say what to type', () => {
  const missing = missingFields({ ...emptyConnectForm(), store_id: 'S1', app_secret: '   ' });
  expect(Object.keys(missing)).toEqual(['store_name', 'currency', 'base_url', 'app_key', 'app_secret', 'access_token']);
  expect(missing.app_secret).toBe('Enter the app secret.');
  expect(missingFields(FILLED)).toEqual({});
});

test('a refusal goes beside the input it names', () => {
  expect(fieldOfError(error('invalid_input', 'store'))).toBe('store_id');
  expect(fieldOfError(error('invalid_input', 'name'))).toBe('store_name');
  expect(fieldOfError(error('invalid_input', 'currency'))).toBe('currency');
  expect(fieldOfError(error('invalid_input', 'url'))).toBe('base_url');
  expect(fieldOfError(error('invalid_input', 'base_url'))).toBe('base_url');
  expect(fieldOfError(error('invalid_input', 'app_key'))).toBe('app_key');
  expect(fieldOfError(error('invalid_input', 'app_secret'))).toBe('app_secret');
  expect(fieldOfError(error('invalid_input', 'access_token'))).toBe('access_token');
  expect(fieldOfError(error('conflict', 'currency'))).toBe('currency');
  expect(fieldOfError(error('conflict', null))).toBeNull();
  expect(fieldOfError(error('io', null))).toBeNull();
  expect(fieldOfError(error('invalid_input', 'something.else'))).toBeNull();
});

test('the platform in words', () => {
  expect(describePlatform({ kind: 'sandbox', sandbox_url: 'http://127.0.0.1:4100', aliexpress_sandbox_url: 'http://127.0.0.1:4200', database: '/tmp/x.db' })).toEqual({
    name: 'Sandbox',
    text: 'The bundled sandbox platform runs inside Seller Desk at http://127.0.0.1:4100 with demo stores; nothing you do here reaches a real marketplace.',
  });
  expect(describePlatform({ kind: 'remote', sandbox_url: null, aliexpress_sandbox_url: null, database: '/tmp/x.db' }).name).toBe('A real platform');
});
