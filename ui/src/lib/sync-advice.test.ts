import { expect, test } from 'vitest';
import type { RejectedChangeView, SyncReportView } from './bindings';
import { adviceFor, pendingText, refusalLabel, reportLines } from './sync-advice';

function rejected(kind: string, subject_id = 'C-7'): RejectedChangeView {
  return {
    change_id: 7,
    kind,
    subject_id,
    code: 'rule_violation',
    reason: 'the discount is above the minimum purchase',
    correction: 'send_again',
  };
}

function report(overrides: Partial<SyncReportView> = {}): SyncReportView {
  return {
    store_id: 'S1',
    sent: 0,
    rejected: 0,
    codes_uploaded: 0,
    codes_regenerated: 0,
    codes_to_withdraw: 0,
    coupons_pulled: 0,
    code_statuses_pulled: 0,
    refund_requests_pulled: 0,
    pending_left: 0,
    ...overrides,
  };
}

test('a refused coupon opens the coupon to correct it', () => {
  expect(adviceFor(rejected('create_coupon'))).toEqual({
    title: 'New coupon C-7 was refused',
    advice: 'Open the coupon, correct it and it goes up again.',
    action: { label: 'Open the coupon', screen: 'coupons', couponId: 'C-7' },
  });
  expect(adviceFor(rejected('update_coupon_title')).action).toEqual({
    label: 'Open the coupon',
    screen: 'coupons',
    couponId: 'C-7',
  });
  expect(adviceFor(rejected('stop_coupon')).title).toBe('Stopping coupon C-7 was refused');
});

test('a refused batch, a refused refund answer and an unknown kind', () => {
  const batch = adviceFor(rejected('upload_code_batch', '12'));
  expect(batch.title).toBe('Batch 12 of codes was refused');
  expect(batch.advice).toContain('do not hand them out');
  expect(batch.action).toEqual({ label: 'Open Codes', screen: 'codes' });

  const refund = adviceFor(rejected('decide_refund', 'R-1001'));
  expect(refund.title).toBe('Your answer to refund request R-1001 was refused');
  expect(refund.action).toEqual({ label: 'Open Refunds', screen: 'refunds' });

  const unknown = adviceFor(rejected('something_new', 'X'));
  expect(unknown.title).toBe('A change to X was refused');
  expect(unknown.action).toBeNull();
});

test('refusal codes in words', () => {
  expect(refusalLabel('rule_violation')).toBe('Against the platform’s rules');
  expect(refusalLabel('not_found')).toBe('Unknown to the platform');
  expect(refusalLabel(null)).toBeNull();
  expect(refusalLabel('whatever')).toBe('Refused by the platform');
});

test('a report lists what moved, with counts in the locale, and what is left', () => {
  const lines = reportLines(
    report({
      sent: 3,
      rejected: 1,
      codes_uploaded: 20000,
      codes_regenerated: 2,
      codes_to_withdraw: 1,
      coupons_pulled: 1,
      code_statuses_pulled: 1500,
      refund_requests_pulled: 4,
      pending_left: 2,
    }),
    'en-US',
  );
  expect(lines.map((line) => [line.key, line.text])).toEqual([
    ['sent', '3 changes sent to the platform'],
    ['rejected', '1 change was refused by the platform: see below what to do'],
    ['codes_uploaded', '20,000 codes uploaded'],
    ['codes_regenerated', '2 codes were already taken on the platform and made again (not handed out yet, so nothing to tell buyers)'],
    ['codes_to_withdraw', '1 code you handed out belongs to another seller on the platform: withdraw it (see below)'],
    ['coupons_pulled', '1 coupon update received'],
    ['code_statuses_pulled', '1,500 codes were claimed, used or expired by buyers'],
    ['refund_requests_pulled', '4 refund requests received'],
    ['pending_left', '2 changes still wait for the next sync'],
  ]);
});

test('an empty report says nothing moved and everything is sent', () => {
  expect(reportLines(report(), 'en-US').map((line) => line.text)).toEqual([
    'Nothing new: Seller Desk and the platform already agreed.',
    'Everything is sent.',
  ]);
});

test('pending text', () => {
  expect(pendingText(0)).toBe('Everything is sent');
  expect(pendingText(1, 'en-US')).toBe('1 change waiting to go up');
  expect(pendingText(1200, 'en-US')).toBe('1,200 changes waiting to go up');
});
