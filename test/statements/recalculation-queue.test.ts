import { describe, expect, it } from 'vitest';
import { queueBatches, queueRecalculations, recalculationRequest, type RecalculationRequest } from '../../shared/statements/recalculation-queue.ts';

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
});
