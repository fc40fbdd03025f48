import { DynamoDBClient, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/*
 * What the DynamoDB adapters write, as DynamoDB receives it: a real document
 * client (with the adapters' marshalling options) whose requests stop before the
 * network, every written item kept in its wire form, and each item's size by
 * DynamoDB's rules (the 400 KB item limit counts attribute names and values).
 */

type Marshalled = Record<string, AttributeValue>;

/** One item a command would have written. */
export interface WrittenItem {
  command: string;
  item: Marshalled;
}

/** Every item a Put, BatchWrite or TransactWrite input carries. */
function itemsOf(command: string, input: Record<string, unknown>): Marshalled[] {
  if (command === 'PutItemCommand') return [input.Item as Marshalled];
  if (command === 'BatchWriteItemCommand') {
    return Object.values(input.RequestItems as Record<string, { PutRequest?: { Item: Marshalled } }[]>).flatMap((requests) => requests.flatMap((r) => (r.PutRequest ? [r.PutRequest.Item] : [])));
  }
  if (command === 'TransactWriteItemsCommand') return (input.TransactItems as { Put?: { Item: Marshalled } }[]).flatMap((t) => (t.Put ? [t.Put.Item] : []));
  return [];
}

/**
 * A document client like createDocumentClient's that answers every request
 * at once, as if the table were empty and every write succeeded; `written`
 * holds each item written.
 */
export function capturingDocumentClient(): { client: DynamoDBDocumentClient; written: WrittenItem[] } {
  const written: WrittenItem[] = [];
  const base = new DynamoDBClient({ region: 'eu-north-1', credentials: { accessKeyId: 'capture', secretAccessKey: 'capture' } });
  base.middlewareStack.add(
    (_next, context) => async (args) => {
      const command = context.commandName as string;
      for (const item of itemsOf(command, args.input as Record<string, unknown>)) written.push({ command, item });
      return { output: { $metadata: {} }, response: {} } as never;
    },
    { step: 'serialize', name: 'captureWrites' },
  );
  return { client: DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } }), written };
}

/** Bytes of a number by DynamoDB's rule: 1 byte per two significant digits, plus 1. */
function numberBytes(text: string): number {
  const digits = text.replace(/^-/, '').replace(/[eE].*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/** Size of one attribute value (DynamoDB's item size rules). */
function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return numberBytes(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((n, s) => n + Buffer.byteLength(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((n, s) => n + numberBytes(s), 0);
  if (value.BS !== undefined) return value.BS.reduce((n, b) => n + b.byteLength, 0);
  if (value.L !== undefined) return 3 + value.L.reduce((n, v) => n + valueBytes(v) + 1, 0);
  if (value.M !== undefined) return 3 + Object.entries(value.M).reduce((n, [k, v]) => n + Buffer.byteLength(k) + valueBytes(v) + 1, 0);
  throw new Error(`an attribute value of no known type: ${Object.keys(value).join(',')}`);
}

/** An item's size as DynamoDB counts it against its 400 KB limit: attribute names plus values. */
export function itemBytes(item: Marshalled): number {
  return Object.entries(item).reduce((n, [name, value]) => n + Buffer.byteLength(name) + valueBytes(value), 0);
}
