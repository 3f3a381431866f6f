import { expect, test } from 'vitest';
import { readAgainAfter, type ReadAgain } from './sync-ends';

function check(storeId: string, listsChanged: boolean, chosen: string | null, expected: ReadAgain) {
  expect(readAgainAfter({ store_id: storeId, lists_changed: listsChanged }, chosen)).toBe(expected);
}

test('a sync of the chosen store reads its status again, and its lists when they changed', () => {
  check('S1', false, 'S1', 'status');
  check('S1', true, 'S1', 'status-and-lists');
});

test('a sync of another store, or with no store chosen, reads nothing again', () => {
  check('S2', true, 'S1', 'nothing');
  check('S2', false, 'S1', 'nothing');
  check('S1', true, null, 'nothing');
});
