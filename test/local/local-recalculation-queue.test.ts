import { describe, expect, it } from 'vitest';
import { createLocalRecalculationQueue } from '../../local/local-recalculation-queue.ts';

/** A delivery that runs queued work only when the test says so (the stack's serial queue). */
function manualDelivery() {
  const tasks: (() => Promise<unknown>)[] = [];
  return { enqueue: (task: () => Promise<unknown>) => void tasks.push(task), runAll: async () => { while (tasks.length) await tasks.shift()!(); }, tasks };
}

describe('the local recalculation queue', () => {
  it('gathers the requests that arrive while its batch waits, merged per partnership, into one handler call', async () => {
    const delivery = manualDelivery();
    const batches: unknown[] = [];
    const handler = async (event: unknown) => {
      batches.push((event as { Records: { body: string }[] }).Records.map((r) => JSON.parse(r.body)));
      return { batchItemFailures: [] };
    };
    const queue = createLocalRecalculationQueue(delivery, async () => handler, () => {});
    for (const from of ['2020-05', '2020-02', '2020-09']) await queue.enqueue([{ partnership: 'koege', from }]);
    await queue.enqueue([{ partnership: 'stevns', from: 'first' }, { partnership: 'koege', asOf: '2022-09' }]);
    expect(delivery.tasks).toHaveLength(1);
    await delivery.runAll();
    expect(batches).toEqual([[{ partnership: 'koege', from: '2020-02' }, { partnership: 'koege', asOf: '2022-09' }, { partnership: 'stevns', from: 'first' }]]);
    await queue.enqueue([{ partnership: 'koege', from: '2021-01' }]);
    expect(delivery.tasks).toHaveLength(1); // a new batch once the last one started
  });

  it('delivers a failing message three times, then logs it (the dead-letter queue)', async () => {
    const delivery = manualDelivery();
    let calls = 0;
    const lines: string[] = [];
    const queue = createLocalRecalculationQueue(delivery, async () => async () => (calls++, { batchItemFailures: [{ itemIdentifier: '0' }] }), (line) => lines.push(line));
    await queue.enqueue([{ partnership: 'koege', from: '2020-01' }]);
    await delivery.runAll();
    expect(calls).toBe(3);
    expect(lines.join('\n')).toContain('recalculation given up after retries');
  });
});
