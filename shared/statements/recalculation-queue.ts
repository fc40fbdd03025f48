import { z } from 'zod';
import { MONTH_LABEL } from '../weeks/iso-week.ts';

/** One queued recalculation: this partnership's statement as of this month (the body of one SQS message). */
export const recalculationRequest = z.object({
  partnership: z.string().min(1),
  asOf: z.string().regex(MONTH_LABEL, { error: 'must be YYYY-MM' }),
});
export type RecalculationRequest = z.infer<typeof recalculationRequest>;

/**
 * Where the monthly fan-out puts its requests: the SQS queue in AWS (whose
 * messages reach the recalculation function), the recalculation handler itself
 * in the local stack. Throws when a request could not be queued.
 */
export interface RecalculationQueue {
  enqueue(requests: readonly RecalculationRequest[]): Promise<void>;
}

/** SQS carries at most 10 messages per SendMessageBatch and per delivered batch; the local stack delivers alike. */
export const QUEUE_BATCH_SIZE = 10;

/** `items` in consecutive batches of QUEUE_BATCH_SIZE, in order. */
export function queueBatches<T>(items: readonly T[]): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += QUEUE_BATCH_SIZE) batches.push(items.slice(i, i + QUEUE_BATCH_SIZE));
  return batches;
}

/**
 * The monthly fan-out (EventBridge Scheduler in AWS, the in-process schedule and
 * `pbr recalc` locally): one request per known partnership, as of `asOf`.
 * Returns the requests, in the order they were queued.
 */
export async function queueRecalculations(
  asOf: string,
  deps: { partnerships: { partnerships(): Promise<{ partnership: string }[]> }; queue: RecalculationQueue },
): Promise<RecalculationRequest[]> {
  const requests = (await deps.partnerships.partnerships()).map(({ partnership }) => ({ partnership, asOf }));
  await deps.queue.enqueue(requests);
  return requests;
}
