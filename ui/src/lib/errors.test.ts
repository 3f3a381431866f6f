import { expect, test } from 'vitest';
import { errorHint, errorTitle, type UiError } from './errors';

test('the title depends on the code, never on the message', () => {
  const message = 'not_found: internal [REFUND-3]';
  expect(errorTitle({ code: 'invalid_input', message })).toBe('This breaks a rule');
  expect(errorTitle({ code: 'not_found', message })).toBe('Not found');
  expect(errorTitle({ code: 'unreadable_file', message })).toBe('This file is not a payment Seller Desk can read');
  expect(errorTitle({ code: 'internal', message })).toBe('Something went wrong inside Seller Desk');
});

test('every code has a title and a hint', () => {
  const codes: UiError['code'][] = [
    'invalid_input',
    'not_found',
    'conflict',
    'database_locked',
    'database_corrupt',
    'database_too_new',
    'disk_full',
    'io',
    'cancelled',
    'not_connected',
    'platform',
    'not_supported',
    'internal',
    'unreadable_file',
  ];
  for (const code of codes) {
    expect(errorTitle({ code, message: '' })).not.toBe('');
    expect(errorHint({ code, message: '' })).not.toBe('');
  }
});
