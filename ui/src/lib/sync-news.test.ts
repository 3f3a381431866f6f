import { expect, test } from 'vitest';
import type { SyncNews } from './bindings';
import { readAgainAfter, uploadOf, uploadsAfter, type ReadAgain, type Uploads } from './sync-news';

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

const step = (store: string, batch: number, uploaded: number, total: number): SyncNews => ({
  news: 'uploading',
  store_id: store,
  batch_id: batch,
  uploaded,
  total,
});
const ended = (store: string): SyncNews => ({ news: 'ended', store_id: store, lists_changed: true });

/** The news told one after the other, then what the chosen store shows. */
function checkUploads(news: SyncNews[], chosen: string | null, expected: { uploaded: number; total: number } | null) {
  const uploads = news.reduce<Uploads>(uploadsAfter, new Map());
  expect(uploadOf(uploads, chosen)).toEqual(expected);
}

test.each([
  ['nothing told', [], 'S1', null],
  ['an upload starting', [step('S1', 4, 0, 1000)], 'S1', { uploaded: 0, total: 1000 }],
  ['a later step replaces the earlier', [step('S1', 4, 0, 1000), step('S1', 4, 200, 1000)], 'S1', { uploaded: 200, total: 1000 }],
  ['two batches of the store add up', [step('S1', 4, 200, 1000), step('S1', 5, 0, 300)], 'S1', { uploaded: 200, total: 1300 }],
  ['a batch all up is done', [step('S1', 4, 200, 1000), step('S1', 4, 1000, 1000)], 'S1', null],
  ['another store uploads', [step('S2', 4, 200, 1000)], 'S1', null],
  ['the sync ended part way', [step('S1', 4, 200, 1000), ended('S1')], 'S1', null],
  ['another store ended', [step('S1', 4, 200, 1000), ended('S2')], 'S1', { uploaded: 200, total: 1000 }],
  ['no store chosen', [step('S1', 4, 200, 1000)], null, null],
] as const)('uploads: %s', (_, news, chosen, expected) => {
  checkUploads([...news], chosen, expected);
});
