import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, test } from 'vitest';
import { fetchExamples, openExample, openFile, runPreview } from './flow';
import { EXAMPLES, examplePayment, onePreview, TOO_MANY_UNITS } from '../test/fixtures';

afterEach(() => clearMocks());

const EXAMPLE = EXAMPLES[0]!;

function file(name: string, text: string) {
  return { name, text: async () => text };
}

describe('examples', () => {
  test('fetchExamples lists them', async () => {
    mockIPC(() => EXAMPLES);
    expect(await fetchExamples()).toEqual({ ok: true, value: EXAMPLES });
  });

  test('openExample reads the payment and starts the form from its refund', async () => {
    mockIPC((cmd, args) => (cmd === 'load_example_payment' && (args as { id: string }).id === EXAMPLE.id ? examplePayment() : null));
    const opened = await openExample(EXAMPLE);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.value.payment.source).toBe(EXAMPLE.title);
    expect(opened.value.form).toEqual({ orderId: 'A1', kind: 'lines', units: { a: 1, b: 0 }, amount: '' });
  });

  test('openExample passes on not_found', async () => {
    const notFound = { code: 'not_found', message: 'example: no example payment gone', field: null, rule: null, reason: null, params: {} };
    mockIPC(() => {
      throw notFound;
    });
    expect(await openExample({ id: 'gone', title: 'Gone' })).toEqual({ ok: false, error: notFound });
  });

  test('an example the page cannot read is an internal error', async () => {
    mockIPC(() => ({ payment_id: 'P-1' }));
    expect(await openExample(EXAMPLE)).toEqual({
      ok: false,
      error: { code: 'internal', message: 'orders: expected a list', field: null, rule: null, reason: null, params: {} },
    });
  });
});

describe('openFile', () => {
  test('reads a payment file', async () => {
    const opened = await openFile(file('p.json', JSON.stringify(examplePayment())));
    expect(opened.ok && opened.value.payment.paymentId).toBe('P-1001');
  });

  test('a file that is not a payment is unreadable_file, naming the file', async () => {
    expect(await openFile(file('notes.txt', 'hello'))).toMatchObject({
      ok: false,
      error: { code: 'unreadable_file', message: expect.stringMatching(/^notes\.txt: The file is not JSON/) },
    });
    expect(await openFile(file('p.json', '{"orders": 3}'))).toEqual({
      ok: false,
      error: { code: 'unreadable_file', message: 'p.json: orders: expected a list' },
    });
  });

  test('a file that cannot be read', async () => {
    const broken = { name: 'gone.json', text: () => Promise.reject(new Error('permission denied')) };
    expect(await openFile(broken)).toEqual({
      ok: false,
      error: { code: 'unreadable_file', message: 'gone.json: permission denied' },
    });
  });
});

describe('runPreview', () => {
  async function opened() {
    const result = await openFile(file('p.json', JSON.stringify(examplePayment())));
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  }

  test("sends the payment with the form's refund and returns the core's answer", async () => {
    const { payment, form } = await opened();
    form.kind = 'full';
    let sent: unknown = null;
    mockIPC((cmd, args) => {
      expect(cmd).toBe('preview_refund');
      sent = (args as { input: unknown }).input;
      return onePreview();
    });
    expect(await runPreview(payment, form)).toEqual({ ok: true, value: onePreview() });
    expect(sent).toEqual({ ...examplePayment(), refund: { order_id: 'A1', full: true } });
  });

  test('passes on the typed error', async () => {
    const { payment, form } = await opened();
    mockIPC(() => {
      throw TOO_MANY_UNITS;
    });
    expect(await runPreview(payment, form)).toEqual({ ok: false, error: TOO_MANY_UNITS });
  });

  test('an incomplete form is not sent', async () => {
    const { payment, form } = await opened();
    form.units = { a: 0, b: 0 };
    mockIPC(() => {
      throw new Error('must not be called');
    });
    expect(await runPreview(payment, form)).toEqual({ ok: 'incomplete', problem: 'Choose at least one unit to refund.' });
  });
});
