import { expect, test } from 'vitest';
import { summarizeSync } from './sync-status';
import { syncStatus as status } from '../test/dom';

const NOW = new Date('2026-11-24T12:00:00Z');

test('online with nothing waiting', () => {
  expect(summarizeSync(status(), NOW)).toEqual({
    tone: 'ok',
    state: 'Online',
    pending: 'Everything sent',
    lastSync: 'Last sync 2 minutes ago',
    problem: null,
  });
});

test('offline shows the platform reason and what waits', () => {
  const summary = summarizeSync(
    status({ online: false, pending_changes: 3, last_error: 'platform: connection refused' }),
    NOW,
  );
  expect(summary.tone).toBe('bad');
  expect(summary.state).toBe('Offline');
  expect(summary.pending).toBe('3 changes waiting');
  expect(summary.problem).toBe('platform: connection refused');
});

test('refused changes ask for attention', () => {
  const summary = summarizeSync(
    status({
      rejected_changes: 1,
      rejected: [
        { change_id: 1, kind: 'create_coupon', subject_id: 'C1', code: 'rule_violation', reason: 'too big', correction: 'edit_coupon' },
      ],
    }),
    NOW,
  );
  expect(summary.tone).toBe('warn');
  expect(summary.problem).toBe('1 item needs your attention on the Sync screen.');
});

test('what the platform sent that could not be used asks for attention too', () => {
  const summary = summarizeSync(
    status({
      set_aside: [{ feed: 'coupons', item: 'ae-1', reason: 'unknown status "paused"', seen_at: '2026-11-24T11:00:00Z' }],
    }),
    NOW,
  );
  expect(summary.tone).toBe('warn');
  expect(summary.problem).toBe('1 item needs your attention on the Sync screen.');
});

test('a store without credentials says where to connect it', () => {
  const summary = summarizeSync(status({ connected: false, last_attempt_at: null, last_successful_sync: null }), NOW);
  expect(summary.state).toBe('Not connected');
  expect(summary.lastSync).toBe('Never synced');
  expect(summary.problem).toBe('Connect this store in Settings.');
});
