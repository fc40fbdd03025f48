import { createSqsClient } from '../shared/adapters/aws-clients.ts';
import { SqsQueue } from '../shared/adapters/sqs-queue.ts';
import { createLogger } from '../shared/logger.ts';
import { queueTrigger, type RecalculationQueue } from '../shared/statements/recalculation-queue.ts';
import type { RecalculationTrigger } from '../shared/uploads/recalculation-trigger.ts';

let localQueue: RecalculationQueue | undefined;
const log = createLogger('recalculation-trigger');

/** The local stack's in-process queue, set before it loads the handlers (it has no SQS). */
export function useLocalRecalculationQueue(queue: RecalculationQueue): void {
  localQueue = queue;
}

/**
 * Where the ingest and accept-input functions announce accepted versions: the
 * recalculation queue named by `RECALCULATION_QUEUE_URL` in AWS, else the local
 * stack's in-process queue. Resolved at each announcement, so a handler module
 * can be imported before the local stack sets its queue. With neither (a test
 * invoking a handler directly against a running stack) nothing is announced.
 */
export function recalculationTrigger(): RecalculationTrigger {
  const url = process.env.RECALCULATION_QUEUE_URL;
  const sqs = url ? new SqsQueue(createSqsClient(), url) : undefined;
  const queue: RecalculationQueue = {
    enqueue(requests) {
      const target = sqs ?? localQueue;
      if (target) return target.enqueue(requests);
      log.warn('no recalculation queue: statements not recalculated', { partnerships: requests.map((request) => request.partnership) });
      return Promise.resolve();
    },
  };
  return queueTrigger(queue);
}
