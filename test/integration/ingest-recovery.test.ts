import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local.ts';
import { createTable } from '../../local/local-stack.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoHoursStore } from '../../shared/adapters/dynamodb-hours-store.ts';
import { ingestReport, type IngestDependencies } from '../../shared/ingest/ingest-report.ts';
import type { ReportBucket } from '../../shared/ingest/ports.ts';
import { createLogger } from '../../shared/logger.ts';
import { createPseudonymiser } from '../../shared/timesheets/pseudonym.ts';

/*
 * Crashes injected into the real DynamoDB Local through SDK middleware: after
 * each, a retry of the same notice must leave exactly the state of a clean run.
 */
const TABLE = 'recovery';
const KEY = 'reports/crash/2024-03/actor.csv';
let dynamo: DynamoDbLocal;

/** The bucket's content per version (in S3 a versionId pins the bytes). */
const versions = new Map<string, string>();
const bucket: ReportBucket = {
  open: async (_key, versionId) => (async function* () {
    yield new TextEncoder().encode(versions.get(versionId!)!);
  })(),
  putJson: async () => {},
};

/** A timesheet with `participants` rows, each worth `hours` on 2024-03-04. */
function timesheet(participants: number, hours: number): string {
  const rows = Array.from({ length: participants }, (_, i) => `R-${String(i).padStart(3, '0')},2024-03-04,${hours},training`);
  return ['participant,date,hours,activity', ...rows].join('\n');
}

/** A store whose document client throws once the n-th command matching `command` is sent. */
function crashingStore(command: RegExp, n: number): DynamoHoursStore {
  const client = createDocumentClient();
  let seen = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (command.test(context.commandName ?? '') && ++seen === n) throw new Error(`injected crash at ${context.commandName}`);
      return next(args);
    },
    { step: 'initialize', name: 'crash' },
  );
  return new DynamoHoursStore(client, TABLE, { concurrency: 1 });
}

const healthy = () => new DynamoHoursStore(createDocumentClient(), TABLE);
const deps = (store: DynamoHoursStore): IngestDependencies => ({
  bucket,
  store,
  pseudonymise: createPseudonymiser('k'),
  log: createLogger('test', () => {}),
});

async function ingest(version: string, sequencer: string, store = healthy()) {
  return ingestReport({ key: KEY, versionId: version, sequencer }, deps(store));
}

/** Sequencers of every HOURS item of the report: what is physically stored. */
async function storedSequencers(): Promise<string[]> {
  const { Items } = await createDocumentClient().send(
    new QueryCommand({
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :hours)',
      ExpressionAttributeValues: { ':pk': 'PARTNERSHIP#crash', ':hours': 'HOURS#' },
    }),
  );
  return [...new Set((Items ?? []).map((item) => (item.sequencer as string).replace(/^0+/, '')))].sort();
}

const totalActive = async () =>
  (await healthy().weeklyHours('crash')).reduce((sum, week) => sum + week.centiHours[0]!, 0) / 100;

beforeAll(async () => {
  dynamo = await startDynamoDbLocal();
  Object.assign(process.env, { AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, AWS_REGION: 'eu-north-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' });
  await createTable({ dynamodb: dynamo.endpoint, table: TABLE, region: 'eu-north-1' });
  versions.set('v1', timesheet(60, 1));
  versions.set('v2', timesheet(60, 2));
  versions.set('v3', timesheet(40, 3));
  expect(await ingest('v1', 'A1')).toBe('accepted');
});

afterAll(async () => {
  await dynamo?.stop();
});

describe('a crash mid-file leaves nothing a retry cannot repair', () => {
  it('crash while writing hours: readers still see the old version; the retry completes the new one', async () => {
    await expect(ingest('v2', 'A2', crashingStore(/BatchWrite/, 2))).rejects.toThrow('injected crash');
    expect(await storedSequencers()).toEqual(['A1', 'A2']); // half-written v2 is stored…
    expect(await totalActive()).toBe(60); // …but invisible
    expect(await ingest('v2', 'A2')).toBe('accepted');
    expect(await totalActive()).toBe(120);
    expect(await storedSequencers()).toEqual(['A2']);
  });

  it('crash after the commit, before the clean-up: the retry (a duplicate) removes the old hours', async () => {
    await expect(ingest('v3', 'A3', crashingStore(/Query/, 1))).rejects.toThrow('injected crash');
    expect(await totalActive()).toBe(120 - 120 + 40 * 3);
    expect(await storedSequencers()).toEqual(['A2', 'A3']);
    expect(await ingest('v3', 'A3')).toBe('duplicate');
    expect(await storedSequencers()).toEqual(['A3']);
  });

  it('a clean-up never deletes the hours of a newer version that is still being written', async () => {
    versions.set('v4', timesheet(10, 4));
    await expect(ingest('v4', 'A4', crashingStore(/TransactWrite/, 1))).rejects.toThrow('injected crash');
    expect(await ingest('v3', 'A3')).toBe('duplicate'); // a late redelivery of v3 runs the clean-up
    expect(await storedSequencers()).toEqual(['A3', 'A4']);
    expect(await ingest('v4', 'A4')).toBe('accepted');
    expect(await totalActive()).toBe(40);
    expect(await storedSequencers()).toEqual(['A4']);
  });
});
