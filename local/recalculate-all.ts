import { createDocumentClient } from '../shared/adapters/aws-clients.ts';
import { DynamoPartnershipStore } from '../shared/adapters/dynamodb-partnership-store.ts';
import { queueBatches, queueRecalculations, type RecalculationQueue } from '../shared/statements/recalculation-queue.ts';

/**
 * The local stand-in for the scheduled fan-out: the schedule function's use case
 * (one request per partnership), with a queue that hands each batch, SQS-shaped,
 * straight to the per-partnership recalculation handler that runs in Lambda.
 * Returns the partnerships whose recalculation failed.
 */
export async function recalculateAll(asOf: string, onProgress: (done: number, total: number) => void = () => {}): Promise<{ partnerships: string[]; failed: string[] }> {
  const { handler } = await import('../functions/recalculate-statement/handler.ts');
  const failed: string[] = [];
  const queue: RecalculationQueue = {
    async enqueue(requests) {
      let done = 0;
      for (const batch of queueBatches(requests)) {
        const Records = batch.map((request, i) => ({ messageId: String(done + i), body: JSON.stringify(request) }));
        const response = await handler({ Records }, {} as never);
        for (const { itemIdentifier } of response.batchItemFailures) failed.push(requests[Number(itemIdentifier)]!.partnership);
        done += batch.length;
        onProgress(done, requests.length);
      }
    },
  };
  const partnerships = new DynamoPartnershipStore(createDocumentClient(), process.env.TABLE_NAME!);
  const requests = await queueRecalculations(asOf, { partnerships, queue });
  return { partnerships: requests.map((request) => request.partnership), failed };
}
