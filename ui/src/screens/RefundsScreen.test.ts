// The Refunds screen in happy-dom, with the Tauri commands mocked.
import { beforeEach, expect, test } from 'vitest';
import type { CommandError, RefundRequestView } from '../lib/bindings';
import RefundsScreen from './RefundsScreen.svelte';
import { onePreview, PARTLY_REASON, SELLER_REASON } from '../test/fixtures';
import { byTestId, mountScreen, recordIpc, refundRequest as request, screenProps, settle, setupScreenTests, text } from '../test/dom';
import type { RecordedIpc } from '../test/dom';

setupScreenTests();

let ipc: RecordedIpc;
let changed = 0;

beforeEach(() => {
  changed = 0;
});

function row(requestId: string): HTMLElement {
  const element = document.querySelector<HTMLElement>(`[data-testid="refund-request-row"][data-request-id="${requestId}"]`);
  if (element === null) throw new Error(`no row for ${requestId}`);
  return element;
}

function isOpen(testid: string): boolean {
  return byTestId(testid).hasAttribute('open');
}

/** Mounts the screen over a fake desk whose list follows what was answered. */
async function start(
  listed: RefundRequestView[],
  answerWith: (requestId: string, answer: string) => RefundRequestView | CommandError = (requestId, answer) =>
    request({ request_id: requestId, seller_decision: answer, decision_upload: 'pending' }),
) {
  let requests = listed;
  ipc = recordIpc({
    list_refund_requests: () => requests,
    preview_refund_request: () => onePreview(),
    answer_refund_request: (args) => {
      const outcome = answerWith(args.requestId as string, (args.answer as { decision: string }).decision);
      if ('code' in outcome) {
        requests = requests.map((entry) =>
          entry.request_id === args.requestId ? { ...entry, platform_decision: 'refuse' } : entry,
        );
        throw outcome;
      }
      requests = requests.map((entry) => (entry.request_id === outcome.request_id ? outcome : entry));
      return outcome;
    },
  });
  mountScreen(
    RefundsScreen,
    screenProps({
      onchanged: () => {
        changed += 1;
      },
    }),
  );
  await settle();
}

function answered(): unknown[] {
  return ipc.args('answer_refund_request');
}

test('no requests says where they come from', async () => {
  await start([]);
  expect(text('refunds-empty')).toContain('No refund requests');
  expect(text('refunds-empty')).toContain('press Sync now in the status bar');
  expect(ipc.calls()[0]).toEqual({ cmd: 'list_refund_requests', args: { storeId: 'S1' } });
});

test('every request shows where it stands, waiting ones first', async () => {
  await start([
    request({ request_id: 'R-1', requested_at: '2026-11-24T10:00:00Z', seller_decision: 'approve', decision_upload: 'pending' }),
    request({ request_id: 'R-2', seller_decision: 'approve', decision_upload: 'sent', platform_decision: 'approve' }),
    request({ request_id: 'R-3', seller_decision: 'refuse', decision_upload: 'pending' }),
    request({ request_id: 'R-4', platform_decision: 'approve' }),
    request({ request_id: 'R-5', seller_decision: 'approve', decision_upload: 'rejected: refund decided twice' }),
    request({ request_id: 'R-6', requested_at: '2026-11-20T10:00:00Z' }),
  ]);
  const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="refund-request-row"]')];
  expect(rows.map((element) => element.dataset.requestId)).toEqual(['R-6', 'R-1', 'R-2', 'R-3', 'R-4', 'R-5']);
  expect(rows.map((element) => element.querySelector('[data-testid="refund-request-status"]')?.textContent)).toEqual([
    'Waiting for your answer',
    'Approved — waiting to sync',
    'Approved — sent',
    'Refused — waiting to sync',
    'Decided on the platform',
    'Rejected by the platform: refund decided twice',
  ]);
  expect(text('refunds-waiting')).toBe('1 request waits for your answer');
});

test('approving shows the refund, asks for confirmation first and only then answers approve', async () => {
  await start([request()]);
  row('R-1001').click();
  await settle();

  expect(ipc.calls().at(-1)).toEqual({ cmd: 'preview_refund_request', args: { storeId: 'S1', requestId: 'R-1001' } });
  const panel = byTestId('refund-preview');
  expect(text('refund-amount')).toBe('$8.06');
  expect(text('refund-scope')).toBe('Partial refund');
  // PreviewResult inside the panel: lines, allocation and coupon reasons, in the locale.
  expect(panel.querySelector('[data-testid="refund-line-a"]')?.textContent).toContain('$8.06');
  expect(panel.querySelector('[data-testid="allocation-a"]')?.textContent).toMatch(/\$2\.00\s*\$1\.88\s*\$16\.12/);
  expect(text('coupon-reason-s1-5')).toBe(SELLER_REASON);
  expect(text('coupon-reason-ae-7')).toBe(PARTLY_REASON);

  expect(isOpen('approve-dialog')).toBe(false);
  byTestId('approve-refund').click();
  await settle();
  expect(isOpen('approve-dialog')).toBe(true);
  const consequences = text('approve-consequences');
  expect(consequences).toContain('The buyer gets $8.06 back.');
  expect(consequences).toContain('Your seller coupon s1-5 does not come back');
  expect(consequences).toContain(`The platform coupon ae-7 does not come back. ${PARTLY_REASON}`);
  expect(answered()).toEqual([]);

  byTestId('approve-dialog-confirm').click();
  await settle();
  expect(answered()).toEqual([{ storeId: 'S1', requestId: 'R-1001', answer: { decision: 'approve' } }]);
  expect(isOpen('approve-dialog')).toBe(false);
  expect(text('refund-request-status')).toBe('Approved — waiting to sync');
  expect(text('refund-answer-note')).toBe('Approved. Your answer goes to the platform with the next sync.');
  expect(document.querySelector('[data-testid="approve-refund"]')).toBeNull();
  expect(changed).toBe(1);
});

test('cancelling the refusal answers nothing; Enter on a row opens it', async () => {
  await start([request()]);
  const first = row('R-1001');
  expect(first.tabIndex).toBe(0);
  first.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  await settle();
  expect(first.getAttribute('aria-current')).toBe('true');

  byTestId('refuse-refund').click();
  await settle();
  expect(isOpen('refuse-dialog')).toBe(true);
  expect(text('refuse-consequences')).toContain('The buyer gets nothing back: the $8.06 asked for is not refunded.');
  byTestId('refuse-dialog-cancel').click();
  await settle();
  expect(isOpen('refuse-dialog')).toBe(false);
  expect(answered()).toEqual([]);

  byTestId('refuse-refund').click();
  await settle();
  byTestId('refuse-dialog-confirm').click();
  await settle();
  expect(answered()).toEqual([{ storeId: 'S1', requestId: 'R-1001', answer: { decision: 'refuse', reason: null } }]);
  expect(text('refund-request-status')).toBe('Refused — waiting to sync');
});

test('a refusal carries the reason typed; one the platform asks for is said beside it, the dialog still open', async () => {
  let asked = 0;
  await start([request()], (requestId, answer) => {
    asked += 1;
    if (asked === 1) {
      return {
        code: 'invalid_input',
        message: 'reason: AliExpress asks for the seller’s reason to refuse a dispute; write one [INPUT-1]',
        field: 'reason',
        rule: 'INPUT-1',
        reason: 'reason_asked',
        params: { platform: 'AliExpress' },
      };
    }
    return request({ request_id: requestId, seller_decision: answer, decision_upload: 'pending' });
  });
  row('R-1001').click();
  await settle();
  byTestId('refuse-refund').click();
  await settle();
  byTestId('refuse-dialog-confirm').click();
  await settle();
  expect(isOpen('refuse-dialog')).toBe(true);
  expect(text('refuse-reason-error')).toBe('AliExpress asks for your reason to refuse a dispute: write one.');
  const reason = byTestId('refuse-reason') as HTMLTextAreaElement;
  reason.value = '  The scarf matches its photos. ';
  reason.dispatchEvent(new Event('input', { bubbles: true }));
  byTestId('refuse-dialog-confirm').click();
  await settle();
  expect(answered()[1]).toEqual({
    storeId: 'S1',
    requestId: 'R-1001',
    answer: { decision: 'refuse', reason: 'The scarf matches its photos.' },
  });
  expect(isOpen('refuse-dialog')).toBe(false);
});

test('a request decided meanwhile refreshes the list and explains', async () => {
  await start([request()], () => ({
    code: 'conflict',
    message: 'refund request R-1001 is already decided',
    field: null,
    rule: null,
    reason: null,
    params: {},
  }));
  row('R-1001').click();
  await settle();
  byTestId('approve-refund').click();
  await settle();
  byTestId('approve-dialog-confirm').click();
  await settle();

  expect(text('refund-answer-note')).toContain('already answered, here or on the platform');
  expect(text('refund-request-status')).toBe('Decided on the platform');
  expect(document.querySelector('[data-testid="approve-refund"]')).toBeNull();
  expect(document.querySelector('[data-testid="error-alert"]')).toBeNull();
  expect(changed).toBe(0);
});
