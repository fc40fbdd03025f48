import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export type Item = Record<string, unknown>;

/** The sort keys a query reads: those beginning with a prefix ('' for all), or a range from–to (both included). */
export type SortKeys = string | { from: string; to: string };

function keyCondition(pk: string, sk: SortKeys): { KeyConditionExpression: string; ExpressionAttributeValues: Item } {
  if (typeof sk !== 'string') return { KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to', ExpressionAttributeValues: { ':pk': pk, ':from': sk.from, ':to': sk.to } };
  if (sk === '') return { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } };
  return { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': pk, ':prefix': sk } };
}

/** Every item of a partition whose sort key is among `sortKeys`, across pages. */
export async function queryAll(
  client: DynamoDBDocumentClient,
  table: string,
  pk: string,
  sortKeys: SortKeys,
  projection?: string,
): Promise<Item[]> {
  const items: Item[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: table,
        ...keyCondition(pk, sortKeys),
        ProjectionExpression: projection,
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/**
 * Writes a new current version (`pointer`, holding `sequencer`) and its history
 * item in one transaction, unless the pointer already holds a newer or equal
 * sequencer: then nothing is written and the result is false. This is what
 * makes late, older versions lose whatever order events arrive in.
 */
export async function commitIfNewer(client: DynamoDBDocumentClient, table: string, pointer: Item & { sequencer: string }, history: Item): Promise<boolean> {
  try {
    await client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table,
              Item: pointer,
              ConditionExpression: 'attribute_not_exists(sequencer) OR sequencer < :sequencer',
              ExpressionAttributeValues: { ':sequencer': pointer.sequencer },
            },
          },
          { Put: { TableName: table, Item: history } },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

/**
 * Puts a version's status item unless the item holds a status already, other than
 * this same outcome: the failure handler never overwrites what a successful (or
 * rejecting) run stored, and repeating it is harmless. False when it was kept.
 */
export async function putUnlessProcessed(client: DynamoDBDocumentClient, table: string, item: Item & { outcome: string }): Promise<boolean> {
  try {
    await client.send(
      new PutCommand({
        TableName: table,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk) OR outcome = :outcome',
        ExpressionAttributeValues: { ':outcome': item.outcome },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
