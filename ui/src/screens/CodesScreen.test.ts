// The Codes screen in happy-dom, with the Tauri commands mocked.
import type { Channel } from '@tauri-apps/api/core';
import { flushSync } from 'svelte';
import { expect, test, vi } from 'vitest';
import CodesScreen from './CodesScreen.svelte';
import type {
  CodeBatchView,
  CommandError,
  CouponView,
  ExportProgress,
  ExportView,
  GenerationProgress,
  StoreView,
} from '../lib/bindings';
import { batchView, couponView, exportView, NO_CODES } from '../lib/coupon-test-data';
import {
  all,
  byTestId,
  codeSpaceHint,
  mountScreen,
  pick,
  query,
  recordIpc,
  screenProps,
  settle,
  setupScreenTests,
  STORE,
  typeInto,
} from '../test/dom';
import type { IpcHandler, RecordedIpc } from '../test/dom';

setupScreenTests();

const HINT = codeSpaceHint();

const navigate = vi.fn();
const onchanged = vi.fn();
let ipc: RecordedIpc;

/** Past the live hint's debounce. */
async function afterHint() {
  await new Promise((resolve) => setTimeout(resolve, 260));
  await settle();
}

function commands(name: string) {
  return ipc.calls(name);
}

interface World {
  coupons?: CouponView[];
  batches?: CodeBatchView[];
  exports?: ExportView[];
  handlers?: Record<string, IpcHandler>;
  couponId?: string | null;
  store?: StoreView;
}

async function start(world: World = {}) {
  const coupons = world.coupons ?? [couponView({ codes: { ...NO_CODES, generated: 12000 } })];
  ipc = recordIpc({
    list_coupons: () => ({ store_id: 'S1', total: coupons.length, coupons, state_counts: {} }),
    list_code_batches: () => world.batches ?? [],
    list_exports: () => world.exports ?? [],
    code_space_hint: () => HINT,
    ...world.handlers,
  });
  const couponId = world.couponId === undefined ? 'C1' : world.couponId;
  mountScreen(CodesScreen, screenProps({ store: world.store ?? STORE, couponId, navigate, onchanged }));
  await settle();
}

const BATCHES = [
  batchView({ batch_id: 1, channel: 'facebook', code_count: 10000 }),
  batchView({ batch_id: 2, channel: 'newsletter', code_count: 2000, first_exported_at: '2026-11-22T09:00:00Z' }),
  batchView({ batch_id: 3, channel: 'facebook', code_count: 500, created_at: '2026-11-23T00:00:00Z' }),
];

test('without a coupon: the picker lists the store’s coupons; choosing one loads its codes', async () => {
  await start({ couponId: null, coupons: [couponView(), couponView({ coupon_id: 'C2', title: 'Newsletter' })], batches: BATCHES });
  const picker = byTestId('coupon-picker') as HTMLSelectElement;
  expect([...picker.options].map((option) => option.value)).toEqual(['', 'C1', 'C2']);
  expect(byTestId('codes-choose').textContent).toContain('Choose a coupon');
  expect(query('code-check')).not.toBeNull();
  expect(commands('list_code_batches')).toHaveLength(0);

  pick('coupon-picker', 'C2');
  await settle();
  expect(navigate).toHaveBeenCalledWith('codes', 'C2');
  expect(commands('list_code_batches')).toEqual([{ cmd: 'list_code_batches', args: { storeId: 'S1', couponId: 'C2' } }]);
  expect(byTestId('codes-coupon').textContent).toContain('Newsletter');
  expect(all('batch-row')).toHaveLength(3);
});

test('a platform whose API registers no codes says so; one that does says nothing', async () => {
  const aliexpress = { kind: 'aliexpress', name: 'AliExpress', capabilities: ['pull_coupons'] };
  await start({ store: { ...STORE, platform: aliexpress } });
  expect(byTestId('codes-not-registered').textContent).toContain('AliExpress’s API registers no codes');
  document.body.innerHTML = '';
  const medusa = { kind: 'medusa', name: 'Medusa', capabilities: ['create_coupon', 'upload_codes'] };
  await start({ store: { ...STORE, platform: medusa } });
  expect(query('codes-not-registered')).toBeNull();
});

test('no coupon in the store: go to Coupons', async () => {
  await start({ coupons: [], couponId: null });
  expect(byTestId('codes-no-coupon').textContent).toContain('No coupon yet');
  byTestId('codes-no-coupon').querySelector('button')!.click();
  expect(navigate).toHaveBeenCalledWith('coupons', null);
});

test('no batches yet: says to generate one', async () => {
  await start();
  expect(byTestId('codes-no-batches').textContent).toContain('Generate the first batch');
  expect(query('codes-no-exports')).not.toBeNull();
});

test('batches are grouped per channel, with their format and export state', async () => {
  await start({ batches: BATCHES });
  const rows = all('batch-row');
  expect(rows.map((row) => [row.dataset.channel, row.dataset.batchId])).toEqual([
    ['facebook', '1'],
    ['facebook', '3'],
    ['newsletter', '2'],
  ]);
  const groups = all('channel-group');
  expect(groups[0]!.textContent?.replace(/\s+/g, ' ')).toContain('10,500 codes in 2 batches');
  expect(rows[0]!.textContent).toContain('9 characters · prefix WIN · dashes every 4');
  expect(rows[0]!.textContent).toContain('Not yet');
  expect(rows[2]!.textContent).toContain('2026');
  // The channel suggestions of the generator.
  const options = [...document.querySelectorAll<HTMLOptionElement>('#code-channels option')].map((o) => o.value);
  expect(options).toEqual(['facebook', 'newsletter']);
});

test('the live hint follows the form, debounced; a CODES-5 problem is a warning; a refusal goes under its field', async () => {
  let answer: () => unknown = () => HINT;
  await start({ handlers: { code_space_hint: () => answer() } });
  await afterHint();
  const first = commands('code_space_hint');
  expect(first).toHaveLength(1);
  expect(first[0]!.args.request).toMatchObject({ store_id: 'S1', coupon_id: 'C1', count: 0, length: null });

  typeInto('code-count', '1');
  typeInto('code-count', '10');
  typeInto('code-count', '10000');
  typeInto('code-prefix', 'win');
  typeInto('code-group', '4');
  flushSync();
  await afterHint();
  // One question for the whole burst of typing.
  expect(commands('code_space_hint')).toHaveLength(2);
  expect(commands('code_space_hint')[1]!.args.request).toMatchObject({ count: 10000, prefix: 'win', group: 4 });
  const hint = byTestId('code-hint').textContent?.replace(/\s+/g, ' ') ?? '';
  expect(hint).toContain('Length 9 (chosen for you: safe, at least 8) from 31 characters: 26,439,622,160,671 codes.');
  expect(hint).toContain('A random guess hits one of your 10,000 live codes 1 time in 2,643,962,216.');
  expect(hint).toContain('Example: WIN-7KQ2-M8XP');
  expect(byTestId('codes-left').textContent).toContain('This coupon takes 40,000 more codes.');
  expect(query('code-hint-problem')).toBeNull();

  const problem = {
    message: 'length: 6 characters from 31 give 887503681 codes, too few for 1000000 live codes; use a length of at least 9 [CODES-5]',
    field: 'length',
    rule: 'CODES-5',
    reason: 'guessable',
    params: { live: '1000000', advice: 'length', shortest: '9' },
  };
  answer = () => ({ ...HINT, length: 6, problem });
  typeInto('code-length', '6');
  flushSync();
  await afterHint();
  expect(byTestId('code-hint-problem').textContent?.replace(/\s+/g, ' ').trim()).toBe(
    'With this many live codes, codes this short could be guessed (more than 1 chance in 1,000,000). Use a length of at least 9. [CODES-5]',
  );

  const refusal: CommandError = {
    code: 'invalid_input',
    message: 'alphabet: an alphabet needs at least 2 different characters, not 1 [CODES-1]',
    field: 'alphabet',
    rule: 'CODES-1',
    reason: 'alphabet_too_small',
    params: { smallest: '2' },
  };
  answer = () => {
    throw refusal;
  };
  typeInto('code-alphabet', 'A');
  flushSync();
  await afterHint();
  const alphabet = byTestId('code-alphabet');
  expect(byTestId('error-alphabet').textContent?.trim()).toBe('An alphabet needs at least 2 different characters. [CODES-1]');
  expect(alphabet.getAttribute('aria-invalid')).toBe('true');
  expect(alphabet.getAttribute('aria-describedby')).toContain('code-error-alphabet');
});

test('generating: progress from the channel, the button waits, then the new batch and a refresh', async () => {
  let finish: (batch: CodeBatchView) => void = () => {};
  let progress: Channel<GenerationProgress> | null = null;
  let batches: CodeBatchView[] = [];
  await start({
    handlers: {
      generate_codes: (args) => {
        progress = args.onProgress as Channel<GenerationProgress>;
        return new Promise((resolve) => (finish = resolve));
      },
      list_code_batches: () => batches,
    },
  });
  typeInto('code-count', '20000');
  typeInto('code-channel', 'facebook');
  typeInto('code-check-character', '');
  (byTestId('code-check-character') as HTMLInputElement).click();
  flushSync();
  byTestId('generate-codes').click();
  await settle();

  expect(commands('generate_codes')[0]!.args.request).toMatchObject({
    store_id: 'S1',
    coupon_id: 'C1',
    count: 20000,
    channel: 'facebook',
    check_character: 'with',
  });
  expect((byTestId('generate-codes') as HTMLButtonElement).disabled).toBe(true);
  expect(byTestId('generation-progress').textContent).toContain('Making codes…');

  progress!.onmessage({ stage: 'generated', codes: 20000 });
  progress!.onmessage({ stage: 'written', codes: 10000, total: 20000 });
  flushSync();
  expect(byTestId('generation-progress').textContent).toContain('Saved 10,000 of 20,000 codes');
  expect(byTestId('generation-progress').textContent).toContain('50%');

  const batch = batchView({ batch_id: 7, channel: 'facebook', code_count: 20000 });
  batches = [batch];
  finish(batch);
  await settle();
  expect(query('generation-progress')).toBeNull();
  expect(byTestId('generation-result').textContent).toContain('Made 20,000 codes for facebook (batch #7');
  expect((byTestId('generate-codes') as HTMLButtonElement).disabled).toBe(false);
  expect((byTestId('code-count') as HTMLInputElement).value).toBe('');
  expect((byTestId('code-channel') as HTMLInputElement).value).toBe('facebook');
  expect(onchanged).toHaveBeenCalledTimes(1);
  expect(all('batch-row').map((row) => row.dataset.batchId)).toEqual(['7']);
});

test('cancelling a generation sends cancel_job with its job id and says nothing was kept', async () => {
  let refuse: (error: CommandError) => void = () => {};
  await start({
    handlers: {
      generate_codes: () => new Promise((_, reject) => (refuse = reject)),
      cancel_job: () => true,
    },
  });
  typeInto('code-count', '500000');
  flushSync();
  byTestId('generate-codes').click();
  await settle();
  const jobId = commands('generate_codes')[0]!.args.jobId as string;
  expect(jobId).toMatch(/^generate-/);

  byTestId('cancel-generation').click();
  await settle();
  expect(commands('cancel_job').map((call) => call.args.jobId)).toEqual([jobId]);
  expect(byTestId('generation-progress').textContent).toContain('Cancelling…');

  refuse({ code: 'cancelled', message: 'the generation was cancelled; no code of the batch was kept', field: null, rule: null, reason: null, params: {} });
  await settle();
  expect(query('generation-progress')).toBeNull();
  expect(byTestId('generation-cancelled').textContent).toContain('no code of the batch was kept');
  expect(query('error-alert')).toBeNull();
  expect(onchanged).not.toHaveBeenCalled();
});

test('a refused batch shows the rule under the count and keeps the form', async () => {
  const refusal: CommandError = {
    code: 'invalid_input',
    message: 'count: a batch of 90,000 codes is more than the 40000 the coupon’s quantity still allows [CODES-1]',
    field: 'count',
    rule: 'CODES-1',
    reason: 'count_above_left',
    params: { left: '40000' },
  };
  await start({
    handlers: {
      generate_codes: () => {
        throw refusal;
      },
    },
  });
  typeInto('code-count', '90000');
  flushSync();
  byTestId('generate-codes').click();
  await settle();
  expect(byTestId('error-count').textContent?.trim()).toBe('Only 40,000 more codes fit in this coupon’s quantity. [CODES-1]');
  expect((byTestId('code-count') as HTMLInputElement).value).toBe('90000');
  expect(onchanged).not.toHaveBeenCalled();
});

test('a stopped coupon takes no new codes', async () => {
  await start({ coupons: [couponView({ state: 'stopped' })] });
  expect(byTestId('coupon-ended').textContent).toContain('takes no new codes');
  expect((byTestId('generate-codes') as HTMLButtonElement).disabled).toBe(true);
});

test('export a batch: progress with Cancel; a cancelled export is a calm note, not an error', async () => {
  let progress: Channel<ExportProgress> | null = null;
  let reject: (error: unknown) => void = () => {};
  await start({
    batches: BATCHES,
    handlers: {
      export_codes: (args) => {
        progress = args.onProgress as Channel<ExportProgress>;
        return new Promise((_, no) => (reject = no));
      },
      cancel_job: () => true,
    },
  });
  all('export-batch')[1]!.click();
  await settle();
  const call = commands('export_codes')[0]!;
  expect(call.args.request).toEqual({
    store_id: 'S1',
    coupon_id: 'C1',
    channel: null,
    batch_id: 3,
    status: null,
    excel_byte_order_mark: false,
  });
  expect(call.args.suggestedName).toBe('black-friday-batch-3-codes.csv');
  expect(typeof call.args.jobId).toBe('string');
  expect((byTestId('export-codes') as HTMLButtonElement).disabled).toBe(true);

  progress!.onmessage({ rows_written: 250, rows_total: 500 });
  flushSync();
  expect(byTestId('export-progress').textContent).toContain('Wrote 250 of 500 codes');

  byTestId('cancel-export').click();
  await settle();
  expect(commands('cancel_job')).toEqual([{ cmd: 'cancel_job', args: { jobId: call.args.jobId } }]);
  reject({ code: 'cancelled', message: 'the export was cancelled', field: null, rule: null, reason: null, params: {} });
  await settle();
  expect(byTestId('export-cancelled').textContent).toBe('Export cancelled; nothing was written.');
  expect(query('error-alert')).toBeNull();
  expect(query('export-progress')).toBeNull();
});

test('the general export with filters: the result names the file; the export list is read again', async () => {
  let exported: ExportView[] = [];
  await start({
    batches: BATCHES,
    handlers: {
      export_codes: () => {
        exported = [exportView({ export_id: 5, rows: 10500, status: 'unclaimed', excel_byte_order_mark: true })];
        return exported[0];
      },
      list_exports: () => exported,
    },
  });
  pick('export-channel-filter', 'facebook');
  pick('export-status-filter', 'unclaimed');
  (byTestId('export-excel') as HTMLInputElement).click();
  flushSync();
  byTestId('export-codes').click();
  await settle();
  expect(commands('export_codes')[0]!.args).toMatchObject({
    request: { channel: 'facebook', batch_id: null, status: 'unclaimed', excel_byte_order_mark: true },
    suggestedName: 'black-friday-facebook-unclaimed-codes.csv',
  });
  expect(byTestId('export-result').textContent?.replace(/\s+/g, ' ').trim()).toBe(
    'Exported 10,500 codes to /home/seller/black-friday-facebook-codes.csv',
  );
  const rows = all('export-row');
  expect(rows).toHaveLength(1);
  expect(rows[0]!.textContent).toContain('facebook · unclaimed · for Excel');
  expect(rows[0]!.textContent).toContain('10,500');
  // Nothing was left out: nothing is said of it.
  expect(query('export-left-out')).toBeNull();
});

test('an export that left out codes the platform refused says so, and what to do', async () => {
  await start({
    batches: BATCHES,
    handlers: { export_codes: () => exportView({ rows: 1000, left_out: 1000 }), list_exports: () => [] },
  });
  all('export-channel')[0]!.click();
  await settle();
  const said = byTestId('export-left-out').textContent!.replace(/\s+/g, ' ');
  expect(said).toContain('Left out 1,000 codes the platform refused');
  expect(said).toContain('do not hand them out');
});

test('closing the save dialog says nothing', async () => {
  await start({ batches: BATCHES, handlers: { export_codes: () => null } });
  all('export-channel')[0]!.click();
  await settle();
  expect(commands('export_codes')[0]!.args.request).toMatchObject({ channel: 'facebook', batch_id: null });
  expect(query('export-result')).toBeNull();
  expect(query('export-cancelled')).toBeNull();
  expect(query('error-alert')).toBeNull();
});

test('check a code: where it stands, or why not inline', async () => {
  await start({
    handlers: {
      check_code: (args) => {
        if (args.code === 'nope') {
          throw { code: 'not_found', message: 'code NOPE does not exist in store S1', field: null, rule: null, reason: null, params: {} };
        }
        return {
          normalized: 'WIN7KQ2M8XP',
          display: 'WIN-7KQ2-M8XP',
          store_id: 'S1',
          coupon_id: 'C1',
          coupon_title: 'Black Friday',
          batch_id: 1,
          channel: 'facebook',
          status: 'valid',
        };
      },
    },
  });
  typeInto('check-code-input', 'win 7kq2 m8xp');
  flushSync();
  byTestId('check-code').click();
  await settle();
  expect(commands('check_code')[0]!.args).toEqual({ storeId: 'S1', code: 'win 7kq2 m8xp' });
  const result = byTestId('check-code-result').textContent ?? '';
  expect(result).toContain('WIN-7KQ2-M8XP');
  expect(result).toContain('Black Friday');
  expect(result).toContain('facebook');
  expect(result).toContain('Valid: claimed by a buyer, not used yet');

  typeInto('check-code-input', 'nope');
  flushSync();
  byTestId('check-code').click();
  await settle();
  expect(query('check-code-result')).toBeNull();
  expect(byTestId('check-code-error').textContent?.trim()).toBe('No code “nope” in this store.');
  expect(byTestId('check-code-input').getAttribute('aria-invalid')).toBe('true');
});
