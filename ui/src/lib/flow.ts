// The page's three actions, as plain async functions the Svelte components call.
// Each resolves to a value or a UiError; nothing here throws at the page.
import { listExamplePayments, loadExamplePayment, previewRefund } from './api';
import type { CommandError, ExamplePayment, RefundPreviewOutput } from './bindings';
import type { UiError } from './errors';
import { t } from './i18n.svelte';
import { internalError } from './ipc';
import { parsePaymentText, readPayment, type LoadedPayment } from './payment';
import { buildPreviewInput, buildRefundRequest, initialForm, type RefundForm } from './refund-form';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: UiError };

export interface Opened {
  payment: LoadedPayment;
  form: RefundForm;
}

function commandError(error: unknown): Outcome<never> {
  return { ok: false, error: error as CommandError };
}

export async function fetchExamples(): Promise<Outcome<ExamplePayment[]>> {
  try {
    return { ok: true, value: await listExamplePayments() };
  } catch (error) {
    return commandError(error);
  }
}

export async function openExample(example: ExamplePayment): Promise<Outcome<Opened>> {
  let json: unknown;
  try {
    json = await loadExamplePayment(example.id);
  } catch (error) {
    return commandError(error);
  }
  const read = readPayment(json, example.title);
  if (!read.ok) {
    // A bundled example the page cannot read is our bug, not the seller's.
    return { ok: false, error: internalError(read.message) };
  }
  return { ok: true, value: { payment: read.payment, form: initialForm(read.payment) } };
}

/** Anything with a name and text(): a File from <input type="file">, or a stand-in in tests. */
export interface TextFile {
  name: string;
  text(): Promise<string>;
}

export async function openFile(file: TextFile): Promise<Outcome<Opened>> {
  let text: string;
  try {
    text = await file.text();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'unreadable_file', message: t('errors.in-file', { file: file.name, problem: detail }) } };
  }
  const read = parsePaymentText(text, file.name);
  if (!read.ok) {
    return { ok: false, error: { code: 'unreadable_file', message: t('errors.in-file', { file: file.name, problem: read.message }) } };
  }
  return { ok: true, value: { payment: read.payment, form: initialForm(read.payment) } };
}

/** Sends the payment with the form's refund. A form that is not complete yet is not sent. */
export async function runPreview(
  payment: LoadedPayment,
  form: RefundForm,
): Promise<Outcome<RefundPreviewOutput> | { ok: 'incomplete'; problem: string }> {
  const built = buildRefundRequest(payment, form);
  if (!built.ok) return { ok: 'incomplete', problem: built.problem };
  try {
    return { ok: true, value: await previewRefund(buildPreviewInput(payment, built.refund)) };
  } catch (error) {
    return commandError(error);
  }
}
