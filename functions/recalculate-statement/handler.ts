import middy from '@middy/core';
import type { SQSBatchResponse } from 'aws-lambda';
import { z } from 'zod';
import { createDocumentClient, createS3Client } from '../../shared/adapters/aws-clients.ts';
import { DynamoHoursStore } from '../../shared/adapters/dynamodb-hours-store.ts';
import { DynamoPartnershipStore } from '../../shared/adapters/dynamodb-partnership-store.ts';
import { S3DataBucket } from '../../shared/adapters/s3-data-bucket.ts';
import { recalculatePartnership } from '../../shared/statements/recalculate-partnership.ts';
import { STATEMENT_RUNS } from '../../shared/statements/recalculate-statement.ts';
import { coalesceRequests, recalculationRequest, type RecalculationRequest } from '../../shared/statements/recalculation-queue.ts';
import { observability } from '../middleware/observability.ts';
import { parseEvent } from '../middleware/parse-event.ts';

const sqsEvent = z.object({ Records: z.array(z.object({ messageId: z.string(), body: z.string() })) });

const env = z
  .object({ TABLE_NAME: z.string().min(1), BUCKET_NAME: z.string().min(1), STATEMENT_RUNS: z.coerce.number().int().nonnegative().default(STATEMENT_RUNS), PBR_CODE_VERSION: z.string().min(1).default('unknown') })
  .parse(process.env);
const { log, metrics, events, middleware } = await observability('recalculate-statement');
const documents = createDocumentClient();
const deps = {
  hours: new DynamoHoursStore(documents, env.TABLE_NAME),
  partnerships: new DynamoPartnershipStore(documents, env.TABLE_NAME),
  output: new S3DataBucket(createS3Client(), env.BUCKET_NAME),
  log,
  metrics,
  events,
  runs: env.STATEMENT_RUNS,
  codeVersion: env.PBR_CODE_VERSION,
};

/**
 * SQS batch of recalculation requests → statements. The batch's requests are
 * merged per partnership (earliest `from`, every `asOf`), so a burst of uploads is
 * one recalculation per partnership. When one fails, its messages are reported
 * individually so only they are retried (and, after the queue's max receives,
 * moved to its dead-letter queue); malformed ones fail without a retry loop.
 */
export const handler = middy()
  .use(middleware)
  .use(parseEvent(sqsEvent))
  .handler<unknown>(async (event): Promise<SQSBatchResponse> => {
    const requests: (RecalculationRequest & { messageId: string })[] = [];
    for (const record of event.Records) {
      try {
        requests.push({ ...recalculationRequest.parse(JSON.parse(record.body)), messageId: record.messageId });
      } catch (error) {
        deps.log.error('malformed recalculation request dropped', { messageId: record.messageId, error: String(error) });
      }
    }
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    for (const plan of coalesceRequests(requests)) {
      try {
        const done = await recalculatePartnership(plan, deps);
        deps.log.info('partnership recalculated', { ...done });
      } catch (error) {
        deps.log.error('recalculation failed; its messages will be retried', { ...plan, error: String(error) });
        for (const { messageId } of requests.filter((request) => request.partnership === plan.partnership)) failures.push({ itemIdentifier: messageId });
      }
    }
    return { batchItemFailures: failures };
  });
