// The one place that calls Tauri's `invoke`. Every failure comes back as a CommandError; the UI
// branches on its `code` (and shows `field`/`rule` beside the input), never on the message.
import { invoke } from '@tauri-apps/api/core';
import type { CommandError, ErrorCode } from './bindings';

// A Record so that a code added to the bindings fails type checking here until it is listed.
const ERROR_CODES: Record<ErrorCode, true> = {
  invalid_input: true,
  not_found: true,
  conflict: true,
  database_locked: true,
  database_corrupt: true,
  database_too_new: true,
  disk_full: true,
  io: true,
  cancelled: true,
  not_connected: true,
  platform: true,
  not_supported: true,
  internal: true,
};

function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}

function optionalText(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The named texts of an object; anything else, or a value that is not text, is left out. */
function textsOf(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** Turns whatever `invoke` rejected with into a CommandError. */
export function toCommandError(rejection: unknown): CommandError {
  if (typeof rejection === 'object' && rejection !== null) {
    const { code, message, field, rule, reason, params } = rejection as Record<string, unknown>;
    if (typeof code === 'string' && isErrorCode(code) && typeof message === 'string') {
      return {
        code,
        message,
        field: optionalText(field),
        rule: optionalText(rule),
        reason: optionalText(reason),
        params: textsOf(params),
      };
    }
  }
  // Not one of ours (e.g. the IPC itself failed): a bug, not something the seller can fix.
  return internalError(describe(rejection));
}

/** A fault of Seller Desk itself, said in `message`. */
export function internalError(message: string): CommandError {
  return { code: 'internal', message, field: null, rule: null, reason: null, params: {} };
}

/** True when `value` is a CommandError (what every command rejects with). */
export function isCommandError(value: unknown): value is CommandError {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof code === 'string' && isErrorCode(code) && typeof message === 'string';
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

/** Calls a command; rejects with a CommandError. Used by the generated `commands` in bindings.ts. */
export async function call<T>(command: string, args: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (rejection) {
    throw toCommandError(rejection);
  }
}
