import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { batchWriteAll } from '../../shared/adapters/batch-write.ts';

const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-north-1' }));
const dynamo = mockClient(client);
const puts = (n: number) => Array.from({ length: n }, (_, i) => ({ PutRequest: { Item: { pk: 'p', sk: String(i) } } }));

describe('batchWriteAll (fault injection)', () => {
  beforeEach(() => dynamo.reset());

  it('writes in batches of 25', async () => {
    dynamo.on(BatchWriteCommand).resolves({});
    await batchWriteAll(client, 't', puts(60));
    const sizes = dynamo.commandCalls(BatchWriteCommand).map((call) => call.args[0].input.RequestItems!.t!.length);
    expect(sizes.sort((a, b) => a - b)).toEqual([10, 25, 25]);
  });

  it('retries unprocessed items with growing backoff until they are written', async () => {
    const requests = puts(3);
    dynamo
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { t: requests.slice(1) } })
      .resolvesOnce({ UnprocessedItems: { t: requests.slice(2) } })
      .resolves({});
    const delays: number[] = [];
    const ceilings: number[] = [];
    let attempt = 0;
    await batchWriteAll(client, 't', requests, {
      baseDelayMs: 100,
      sleep: async (ms) => {
        delays.push(ms);
        ceilings.push(100 * 2 ** attempt++);
      },
    });
    const sent = dynamo.commandCalls(BatchWriteCommand).map((call) => call.args[0].input.RequestItems!.t!.length);
    expect(sent).toEqual([3, 2, 1]);
    expect(delays).toHaveLength(2);
    delays.forEach((delay, i) => expect(delay).toBeLessThanOrEqual(ceilings[i]!));
  });

  it('fails loudly when items stay unprocessed, so the invocation is retried instead of losing them', async () => {
    const requests = puts(2);
    dynamo.on(BatchWriteCommand).resolves({ UnprocessedItems: { t: requests } });
    await expect(batchWriteAll(client, 't', requests, { maxAttempts: 3, sleep: async () => {} })).rejects.toThrow(
      'DynamoDB left 2 writes unprocessed after 3 attempts',
    );
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(3);
  });

  it('passes errors the SDK could not retry away (throttling) on to the caller', async () => {
    dynamo.on(BatchWriteCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(batchWriteAll(client, 't', puts(1))).rejects.toThrow('Rate exceeded');
  });
});
