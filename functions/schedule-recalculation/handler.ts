import middy from '@middy/core';
import { z } from 'zod';
import { createDocumentClient, createSqsClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoPartnershipStore } from '../../shared/adapters/dynamodb-partnership-store.ts';
import { SqsQueue } from '../../shared/adapters/sqs-queue.ts';
import { queueRecalculations } from '../../shared/statements/recalculation-queue.ts';
import { previousMonth } from '../../shared/statements/schedule.ts';
import { MONTH_LABEL } from '../../shared/weeks/iso-week.ts';
import { observability } from '../middleware/observability.ts';
import { parseEvent } from '../middleware/parse-event.ts';

const scheduleEvent = z.object({ asOf: z.string().regex(MONTH_LABEL).optional() }).passthrough();

const env = z.object({ TABLE_NAME: z.string().min(1), QUEUE_URL: z.string().url() }).parse(process.env);
const { log, middleware } = await observability('schedule-recalculation');
const deps = {
  partnerships: new DynamoPartnershipStore(createDocumentClient(), env.TABLE_NAME),
  queue: new SqsQueue(createSqsClient(), env.QUEUE_URL),
};

/**
 * EventBridge Scheduler, on the 1st of each month (Copenhagen time): one SQS
 * message per partnership, as of the month that just ended (or `asOf` when the
 * event names one). The queue fans the work out over recalculation Lambdas.
 */
export const handler = middy()
  .use(middleware)
  .use(parseEvent(scheduleEvent))
  .handler<unknown>(async (event) => {
    const asOf = event.asOf ?? previousMonth(new Date());
    const requests = await queueRecalculations(asOf, deps);
    log.info('monthly recalculation queued', { asOf, partnerships: requests.length });
    return { asOf, queued: requests.length };
  });
