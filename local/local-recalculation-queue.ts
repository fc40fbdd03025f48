import { coalesceRequests, queueBatches, type RecalculationQueue, type RecalculationRequest } from '../shared/statements/recalculation-queue.ts';
import type { LocalHandler, NotificationDelivery } from './notification-delivery.ts';

/** Deliveries of a failing message before it is given up (the recalculation queue's maxReceiveCount in AWS). */
const MAX_RECEIVES = 3;

/**
 * The recalculation queue of the local stack, in process: requests wait behind
 * the work queued so far (the delivery starts work in the order queued), and requests
 * arriving meanwhile join the waiting batch, merged per partnership, as SQS's
 * batching window gathers a burst of uploads. The batch then goes, SQS-shaped,
 * to the recalculation handler that runs in Lambda; failed messages are
 * delivered again, up to MAX_RECEIVES times, then logged (the dead-letter queue).
 */
export function createLocalRecalculationQueue(delivery: Pick<NotificationDelivery, 'enqueue'>, handler: () => Promise<LocalHandler>, log: (line: string) => void): RecalculationQueue {
  let waiting: RecalculationRequest[] | undefined;
  return {
    async enqueue(requests) {
      if (waiting) {
        waiting.push(...requests);
        return;
      }
      const batch = [...requests];
      waiting = batch;
      delivery.enqueue(async () => {
        waiting = undefined;
        await deliverBatch(mergedRequests(batch), await handler(), log);
      });
    },
  };
}

/** The fewest requests that ask for the same: per partnership, its earliest `from` and each `asOf`. */
function mergedRequests(requests: readonly RecalculationRequest[]): RecalculationRequest[] {
  return coalesceRequests(requests).flatMap(({ partnership, from, asOf }) => [
    ...(from === undefined ? [] : [{ partnership, from }]),
    ...asOf.map((month) => ({ partnership, asOf: month })),
  ]);
}

async function deliverBatch(requests: RecalculationRequest[], handler: LocalHandler, log: (line: string) => void): Promise<void> {
  for (const batch of queueBatches(requests)) {
    let pending = batch;
    for (let receive = 1; receive <= MAX_RECEIVES && pending.length > 0; receive++) {
      const Records = pending.map((request, i) => ({ messageId: String(i), body: JSON.stringify(request) }));
      const response = (await handler({ Records }, {} as never)) as { batchItemFailures: { itemIdentifier: string }[] };
      pending = response.batchItemFailures.map(({ itemIdentifier }) => pending[Number(itemIdentifier)]!);
    }
    if (pending.length > 0) log(JSON.stringify({ level: 'ERROR', service: 'local-stack', message: 'recalculation given up after retries', requests: pending }));
  }
}
