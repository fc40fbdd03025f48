import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type WriteRequest = NonNullable<NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string]>[number];

export interface BatchWriteOptions {
  /** Rounds of retrying UnprocessedItems before giving up. */
  maxAttempts?: number;
  baseDelayMs?: number;
  /** Batches in flight at once. */
  concurrency?: number;
  sleep?: (ms: number) => Promise<void>;
}

const BATCH_SIZE = 25;

/**
 * Writes any number of put/delete requests in batches of 25, retrying the items
 * DynamoDB hands back unprocessed (throttling, partition limits) with exponential
 * backoff and full jitter; throws if some are still unprocessed at the end, so the
 * caller's retry takes over and nothing is silently dropped.
 */
export async function batchWriteAll(
  client: DynamoDBDocumentClient,
  table: string,
  requests: readonly WriteRequest[],
  options: BatchWriteOptions = {},
): Promise<void> {
  const { maxAttempts = 8, baseDelayMs = 50, concurrency = 4 } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += BATCH_SIZE) batches.push(requests.slice(i, i + BATCH_SIZE));

  const writeBatch = async (batch: WriteRequest[]) => {
    let pending = batch;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > maxAttempts) {
        throw new Error(`DynamoDB left ${pending.length} writes unprocessed after ${maxAttempts} attempts`);
      }
      if (attempt > 1) await sleep(Math.random() * baseDelayMs * 2 ** (attempt - 2));
      const response = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = response.UnprocessedItems?.[table] ?? [];
    }
  };

  let next = 0;
  const worker = async () => {
    while (next < batches.length) await writeBatch(batches[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
}
