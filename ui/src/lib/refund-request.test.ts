import { expect, test } from 'vitest';
import type { RefundPreviewOutput, RefundRequestView } from './bindings';
import {
  approveConsequences,
  couponConsequence,
  refundKindLabel,
  refundMoney,
  refundScope,
  refuseConsequences,
  rejectionReason,
  requestStatus,
  sortRequests,
  waitingSummary,
} from './refund-request';
import { onePreview, PARTLY_REASON } from '../test/fixtures';
import { refundRequest } from '../test/dom';

/** A request for payment PAY-1001, order O-1001-S1. */
function request(overrides: Partial<RefundRequestView> = {}): RefundRequestView {
  return refundRequest({ payment_id: 'PAY-1001', order_id: 'O-1001-S1', ...overrides });
}

test('each stage of a request has its own status', () => {
  expect(requestStatus(request())).toMatchObject({ label: 'Waiting for your answer', tone: 'waiting', open: true });
  expect(requestStatus(request({ seller_decision: 'approve', decision_upload: 'pending' }))).toMatchObject({
    label: 'Approved — waiting to sync',
    tone: 'pending',
    open: false,
    next: 'Your answer goes to the platform with the next sync.',
  });
  // Once sent, the platform knows the decision too: the seller's answer still names it.
  expect(
    requestStatus(request({ seller_decision: 'approve', decision_upload: 'sent', platform_decision: 'approve' })),
  ).toMatchObject({ label: 'Approved — sent', tone: 'done', open: false });
  expect(requestStatus(request({ seller_decision: 'refuse', decision_upload: 'pending' })).label).toBe(
    'Refused — waiting to sync',
  );
  expect(requestStatus(request({ seller_decision: 'refuse', decision_upload: 'sent' })).label).toBe('Refused — sent');
  expect(requestStatus(request({ platform_decision: 'refuse' }))).toMatchObject({
    label: 'Decided on the platform',
    open: false,
    next: 'This request was refused on the platform; there is nothing left to answer.',
  });
});

test('a refused answer shows the platform reason', () => {
  const rejected = request({ seller_decision: 'approve', decision_upload: 'rejected: refund decided twice' });
  expect(rejectionReason(rejected)).toBe('refund decided twice');
  expect(requestStatus(rejected)).toMatchObject({
    label: 'Rejected by the platform: refund decided twice',
    tone: 'bad',
    open: false,
  });
  expect(rejectionReason(request({ seller_decision: 'approve', decision_upload: 'rejected' }))).toBe('no reason given');
  // Once the platform's own decision has come down, that is where the request stands.
  const decidedThere = request({
    seller_decision: 'approve',
    decision_upload: 'rejected: refund request R-1 was already decided (refuse)',
    platform_decision: 'refuse',
  });
  expect(requestStatus(decidedThere)).toEqual({
    label: 'Decided on the platform — your answer was not taken',
    tone: 'done',
    open: false,
    next: 'This request was refused on the platform, which refused your answer (refund request R-1 was already decided (refuse)); there is nothing left to answer.',
  });
  expect(rejectionReason(request())).toBeNull();
});

test('kinds in words', () => {
  expect(refundKindLabel('units')).toBe('Some items');
  expect(refundKindLabel('whole order')).toBe('The whole order');
  expect(refundKindLabel('amount')).toBe('An amount of money');
  expect(refundKindLabel('other')).toBe('other');
});

test('waiting requests come first, then the newest', () => {
  const sorted = sortRequests([
    request({ request_id: 'old-open', requested_at: '2026-11-20T00:00:00Z' }),
    request({ request_id: 'new-done', requested_at: '2026-11-24T00:00:00Z', platform_decision: 'approve' }),
    request({ request_id: 'new-open', requested_at: '2026-11-23T00:00:00Z' }),
  ]);
  expect(sorted.map((entry) => entry.request_id)).toEqual(['new-open', 'old-open', 'new-done']);
  expect(waitingSummary(sorted, 'en-US')).toBe('2 requests wait for your answer');
  expect(waitingSummary([request()], 'en-US')).toBe('1 request waits for your answer');
  expect(waitingSummary([], 'en-US')).toBeNull();
});

test('approving says what the buyer gets and what becomes of each coupon', () => {
  const preview = onePreview();
  expect(refundMoney(preview, 'en-US')).toBe('$8.06');
  expect(refundScope(preview)).toBe('Partial refund: order A1 is not refunded in full after this.');
  expect(approveConsequences(preview, 'en-US')).toEqual([
    'The buyer gets $8.06 back.',
    'Partial refund: order A1 is not refunded in full after this.',
    'Your seller coupon s1-5 does not come back: a seller coupon never comes back, even after a full refund.',
    `The platform coupon ae-7 does not come back. ${PARTLY_REASON}`,
  ]);
});

test('a platform coupon that comes back says so, expired or not', () => {
  const returned: RefundPreviewOutput['coupons'][number] = {
    coupon_id: 'ae-7',
    issuer: 'platform',
    returned: true,
    code_returned: false,
    status_after: 'valid',
    reason: 'Every order that used this platform coupon is now fully refunded, so the coupon goes back.',
  };
  expect(couponConsequence(returned)).toBe(`The platform coupon ae-7 comes back to the buyer. ${returned.reason}`);
  expect(couponConsequence({ ...returned, status_after: 'expired' })).toMatch(/^The platform coupon ae-7 comes back, but already expired\./);
});

test('refusing gives nothing back', () => {
  expect(refuseConsequences(request(), onePreview(), 'en-US')).toEqual([
    'The buyer gets nothing back: the $8.06 asked for is not refunded.',
    'Order O-1001-S1 and its coupons stay as they are.',
  ]);
  expect(refuseConsequences(request(), null)[0]).toBe('The buyer gets nothing back from this request.');
});
