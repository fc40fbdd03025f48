import { describe, expect, it } from 'vitest';
import { coalesceRequests, queueBatches, queueRecalculations, queueTrigger, recalculationRequest, type RecalculationRequest } from '../../shared/statements/recalculation-queue.ts';

describe('recalculation queue', () => {
  it('carries requests in batches of at most 10, in order (SQS limit)', () => {
    const items = Array.from({ length: 23 }, (_, i) => i);
    expect(queueBatches(items).map((batch) => batch.length)).toEqual([10, 10, 3]);
    expect(queueBatches(items).flat()).toEqual(items);
    expect(queueBatches([])).toEqual([]);
  });

  it('queues one request per partnership, as of the given month', async () => {
    const queued: RecalculationRequest[] = [];
    const partnerships = { partnerships: async () => [{ partnership: 'koege' }, { partnership: 'stevns' }] };
    const requests = await queueRecalculations('2022-09', { partnerships, queue: { enqueue: async (r) => void queued.push(...r) } });
    expect(requests).toEqual([{ partnership: 'koege', asOf: '2022-09' }, { partnership: 'stevns', asOf: '2022-09' }]);
    expect(queued).toEqual(requests);
  });

  it('the message schema refuses a month that is not YYYY-MM', () => {
    expect(recalculationRequest.safeParse({ partnership: 'koege', asOf: '2022-13' }).success).toBe(false);
    expect(recalculationRequest.parse({ partnership: 'koege', asOf: '2022-12' })).toEqual({ partnership: 'koege', asOf: '2022-12' });
  });

  it('the message carries a from-month (YYYY-MM or first) or an asOf month, never neither', () => {
    expect(recalculationRequest.parse({ partnership: 'koege', from: 'first' })).toEqual({ partnership: 'koege', from: 'first' });
    expect(recalculationRequest.parse({ partnership: 'koege', from: '2019-03' })).toEqual({ partnership: 'koege', from: '2019-03' });
    expect(recalculationRequest.safeParse({ partnership: 'koege', from: 'last' }).success).toBe(false);
    expect(recalculationRequest.safeParse({ partnership: 'koege' }).success).toBe(false);
  });

  it('an accepted input announces one request for its partnership', async () => {
    const queued: RecalculationRequest[] = [];
    await queueTrigger({ enqueue: async (r) => void queued.push(...r) }).recalculateFrom('koege', '2019-02');
    expect(queued).toEqual([{ partnership: 'koege', from: '2019-02' }]);
  });

  it('a batch is merged per partnership: the earliest from (first before any month) and every asOf', () => {
    const burst: RecalculationRequest[] = [
      ...Array.from({ length: 40 }, (_, i) => ({ partnership: 'koege', from: `2020-${String((i % 12) + 1).padStart(2, '0')}` })),
      { partnership: 'stevns', asOf: '2022-09' },
      { partnership: 'koege', asOf: '2022-09' },
      { partnership: 'stevns', asOf: '2022-08' },
      { partnership: 'holbaek', from: '2021-05' },
      { partnership: 'holbaek', from: 'first' },
    ];
    expect(coalesceRequests(burst)).toEqual([
      { partnership: 'koege', from: '2020-01', asOf: ['2022-09'] },
      { partnership: 'stevns', asOf: ['2022-08', '2022-09'] },
      { partnership: 'holbaek', from: 'first', asOf: [] },
    ]);
  });
});
