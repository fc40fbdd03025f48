import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import { z } from 'zod';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoPartnershipStore } from '../../shared/adapters/dynamodb-partnership-store.ts';
import { createLogger } from '../../shared/logger.ts';
import { previousMonth } from '../../shared/statements/schedule.ts';
import { parseEvent } from '../middleware/parse-event.ts';
import type { RecalculationRequest } from '../recalculate-statement/handler.ts';
import { MONTH_LABEL } from '../../shared/weeks/iso-week.ts';

const scheduleEvent = z.object({ asOf: z.string().regex(MONTH_LABEL).optional() }).passthrough();

const env = z.object({ TABLE_NAME: z.string().min(1), QUEUE_URL: z.string().url() }).parse(process.env);
const store = new DynamoPartnershipStore(createDocumentClient(), env.TABLE_NAME);
const sqs = new SQSClient({});
const log = createLogger('schedule-recalculation');

/**
 * EventBridge Scheduler, on the 1st of each month (Copenhagen time): one SQS
 * message per partnership, as of the month that just ended (or `asOf` when the
 * event names one). The queue fans the work out over recalculation Lambdas.
 */
export const handler = middy()
  .use(parseEvent(scheduleEvent))
  .handler(async (event) => {
    const asOf = (event as z.infer<typeof scheduleEvent>).asOf ?? previousMonth(new Date());
    const requests: RecalculationRequest[] = (await store.partnerships()).map(({ partnership }) => ({ partnership, asOf }));
    for (let i = 0; i < requests.length; i += 10) {
      const batch = requests.slice(i, i + 10);
      const response = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: env.QUEUE_URL,
          Entries: batch.map((request, j) => ({ Id: String(j), MessageBody: JSON.stringify(request) })),
        }),
      );
      if (response.Failed?.length) throw new Error(`${response.Failed.length} recalculation messages were not queued: ${response.Failed.map((f) => f.Message).join('; ')}`);
    }
    log.info('monthly recalculation queued', { asOf, partnerships: requests.length });
    return { asOf, queued: requests.length };
  });
