// Typed wrappers around the three Tauri commands of src-tauri/src/commands.rs.
// Every failure comes back as a CommandError; the UI branches on `code` only.
import { invoke } from '@tauri-apps/api/core';
import type { CommandError, CommandErrorCode, ExamplePaymentDto, RefundPreviewOutput } from './bindings';

// A Record so that a code added to the bindings fails type checking here until it is listed.
const ERROR_CODES: Record<CommandErrorCode, true> = {
  invalid_input: true,
  not_found: true,
  conflict: true,
  database_locked: true,
  database_corrupt: true,
  database_too_new: true,
  io: true,
  cancelled: true,
  not_connected: true,
  platform: true,
  internal: true,
};

function isErrorCode(code: string): code is CommandErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}

/** Turns whatever `invoke` rejected with into a CommandError. */
export function toCommandError(rejection: unknown): CommandError {
  if (typeof rejection === 'object' && rejection !== null) {
    const { code, message } = rejection as Record<string, unknown>;
    if (typeof code === 'string' && isErrorCode(code) && typeof message === 'string') {
      return { code, message };
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
