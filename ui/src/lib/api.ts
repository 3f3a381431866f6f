// Typed wrappers around the three Tauri commands of src-tauri/src/commands.rs.
// Every failure comes back as a CommandError; the UI branches on `code` only.
import { invoke } from '@tauri-apps/api/core';
import type { CommandError, ExamplePaymentDto, RefundPreviewOutput } from './bindings';

const ERROR_CODES: ReadonlySet<string> = new Set(['invalid_input', 'not_found', 'internal']);

/** Turns whatever `invoke` rejected with into a CommandError. */
export function toCommandError(rejection: unknown): CommandError {
  if (typeof rejection === 'object' && rejection !== null) {
    const { code, message } = rejection as Record<string, unknown>;
    if (typeof code === 'string' && ERROR_CODES.has(code) && typeof message === 'string') {
      return { code: code as CommandError['code'], message };
    }
  }
  // Not one of ours (e.g. the IPC itself failed): a bug, not something the seller can fix.
  return { code: 'internal', message: describe(rejection) };
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value);
    } catch {
      // fall through
    }
  }
  return String(value);
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (rejection) {
    throw toCommandError(rejection);
  }
}

export function listExamplePayments(): Promise<ExamplePaymentDto[]> {
  return call('list_example_payments');
}

/** A §8 refund-preview input as JSON (with a default `refund`). */
export function loadExamplePayment(id: string): Promise<unknown> {
  return call('load_example_payment', { id });
}

/** Sends a whole §8 input; resolves to the §8 output. */
export function previewRefund(input: Record<string, unknown>): Promise<RefundPreviewOutput> {
  return call('preview_refund', { input });
}
