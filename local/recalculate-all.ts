import { createDocumentClient } from '../shared/adapters/aws-clients.ts';
import { DynamoPartnershipStore } from '../shared/adapters/dynamodb-partnership-store.ts';
import { localHandler } from './invocation-metrics.ts';
import { queueBatches, queueRecalculations, type RecalculationRequest } from '../shared/statements/recalculation-queue.ts';

/** Progress of a run of recalculation requests: requests handled so far, of how many. */
export type RecalculationProgress = (done: number, total: number) => void;

/**
 * Hands `requests`, SQS-shaped in batches of 10 and in order, straight to the
 * per-partnership recalculation handler that runs in Lambda (in this process, against
 * the stack the environment points at). Returns the partnerships whose recalculation
 * failed. `pbr recalc` and `pbr load` use it: neither has the queue of a deployed stack.
 */
export async function recalculateRequests(requests: readonly RecalculationRequest[], onProgress: RecalculationProgress = () => {}): Promise<string[]> {
  const handler = localHandler('recalculate-statement', (await import('../functions/recalculate-statement/handler.ts')).handler);
  const failed = new Set<string>();
  let done = 0;
  for (const batch of queueBatches(requests)) {
    const Records = batch.map((request, i) => ({ messageId: String(done + i), body: JSON.stringify(request) }));
    const response = await handler({ Records }, {} as never);
    for (const { itemIdentifier } of response.batchItemFailures) failed.add(requests[Number(itemIdentifier)]!.partnership);
    done += batch.length;
    onProgress(done, requests.length);
  }
  return [...failed];
}

/**
 * The local stand-in for the scheduled fan-out: the schedule function's use case
 * (one request per partnership), with a queue that hands each batch straight to
 * the recalculation handler (recalculateRequests). Returns the partnerships whose
 * recalculation failed.
 */
export async function recalculateAll(asOf: string, onProgress: RecalculationProgress = () => {}): Promise<{ partnerships: string[]; failed: string[] }> {
  const failed: string[] = [];
  const partnerships = new DynamoPartnershipStore(createDocumentClient(), process.env.TABLE_NAME!);
  const requests = await queueRecalculations(asOf, { partnerships, queue: { enqueue: async (queued) => void failed.push(...(await recalculateRequests(queued, onProgress))) } });
  return { partnerships: requests.map((request) => request.partnership), failed };
}
