import { createDocumentClient } from '../shared/adapters/aws-clients.ts';
import { DynamoPartnershipStore } from '../shared/adapters/dynamodb-partnership-store.ts';

/** SQS delivers at most 10 messages per batch. */
const BATCH = 10;

/**
 * The local stand-in for the scheduled fan-out: one SQS-shaped message per
 * partnership, delivered to the same per-partnership recalculation handler that
 * runs in Lambda. Returns the partnerships whose recalculation failed.
 */
export async function recalculateAll(asOf: string, onProgress: (done: number, total: number) => void = () => {}): Promise<{ partnerships: string[]; failed: string[] }> {
  const { handler } = await import('../functions/recalculate-statement/handler.ts');
  const store = new DynamoPartnershipStore(createDocumentClient(), process.env.TABLE_NAME!);
  const partnerships = (await store.partnerships()).map((p) => p.partnership);
  const failed: string[] = [];
  for (let i = 0; i < partnerships.length; i += BATCH) {
    const batch = partnerships.slice(i, i + BATCH);
    const Records = batch.map((partnership, j) => ({ messageId: String(i + j), body: JSON.stringify({ partnership, asOf }) }));
    const response = await handler({ Records }, {} as never);
    for (const { itemIdentifier } of response.batchItemFailures) failed.push(partnerships[Number(itemIdentifier)]!);
    onProgress(Math.min(i + BATCH, partnerships.length), partnerships.length);
  }
  return { partnerships, failed };
}
