import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, test } from 'vitest';
import { listExamplePayments, loadExamplePayment, previewRefund, toCommandError } from './api';
import { EXAMPLES, examplePayment, onePreview, TOO_MANY_UNITS } from '../test/fixtures';

afterEach(() => clearMocks());

describe('commands', () => {
  test('list_example_payments takes no arguments', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return EXAMPLES;
    });
    await expect(listExamplePayments()).resolves.toEqual(EXAMPLES);
    expect(calls.map(([cmd]) => cmd)).toEqual(['list_example_payments']);
  });

  test('load_example_payment sends the id', async () => {
    mockIPC((cmd, args) => {
      expect(cmd).toBe('load_example_payment');
      expect(args).toEqual({ id: 'combined-cart' });
      return examplePayment();
    });
    await expect(loadExamplePayment('combined-cart')).resolves.toEqual(examplePayment());
  });

  test('preview_refund sends the whole input under `input`', async () => {
    const input = examplePayment();
    mockIPC((cmd, args) => {
      expect(cmd).toBe('preview_refund');
      expect(args).toEqual({ input });
      return onePreview();
    });
    await expect(previewRefund(input)).resolves.toEqual(onePreview());
  });

  test('a command error comes back as a CommandError', async () => {
    mockIPC(() => {
      throw TOO_MANY_UNITS;
    });
    await expect(previewRefund(examplePayment())).rejects.toEqual(TOO_MANY_UNITS);
  });

  test('a not_found error keeps its code', async () => {
    const notFound = { code: 'not_found', message: 'example: no example payment nope', field: null, rule: null, reason: null, params: {} };
    mockIPC(() => {
      throw notFound;
    });
    await expect(loadExamplePayment('nope')).rejects.toEqual(notFound);
  });
});

describe('toCommandError', () => {
  test('keeps a well-formed command error', () => {
    expect(toCommandError(TOO_MANY_UNITS)).toEqual(TOO_MANY_UNITS);
  });

  test('anything else is internal, with its text', () => {
    expect(toCommandError('command preview_refund not allowed')).toEqual({
      code: 'internal',
      message: 'command preview_refund not allowed',
      field: null,
      rule: null,
      reason: null,
      params: {},
    });
    expect(toCommandError(new Error('ipc down'))).toEqual({ code: 'internal', message: 'ipc down', field: null, rule: null, reason: null, params: {} });
    expect(toCommandError({ code: 'teapot', message: 'no' })).toEqual({
      code: 'internal',
      message: '{"code":"teapot","message":"no"}',
      field: null,
      rule: null,
      reason: null,
      params: {},
    });
  });
});
