import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatStatus } from '../../cli/report-status.ts';
import { forEachCreatedObject, s3Event } from '../../functions/s3-notification.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local.ts';
import { createTable } from '../../local/local-stack.ts';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoHoursStore } from '../../shared/adapters/dynamodb-hours-store.ts';
import { DynamoPartnershipStore } from '../../shared/adapters/dynamodb-partnership-store.ts';
import { DynamoRejectedUploads } from '../../shared/adapters/dynamodb-rejected-uploads.ts';
import { ingestReport, type IngestDependencies } from '../../shared/ingest/ingest-report.ts';
import type { ReportNotice } from '../../shared/uploads/notice.ts';
import type { ReportBucket } from '../../shared/uploads/ports.ts';
import { createLogger } from '../../shared/logger.ts';
import { acceptInput } from '../../shared/partnerships/accept-input.ts';
import { createPseudonymiser } from '../../shared/cpr-numbers.ts';
import { cprsIn, textOfValue } from '../support/leak-scan.ts';

/*
 * Crashes injected into the real DynamoDB Local through SDK middleware: after
 * each, a retry of the same notice must leave exactly the state of a clean run.
 */
const TABLE = 'recovery';
const KEY = 'reports/crash/2024-03/actor.csv';
let dynamo: DynamoDbLocal;

/** The bucket's content per version (in S3 a versionId pins the bytes); result objects written. */
const versions = new Map<string, string>();
const results = new Map<string, unknown>();
const bucket: ReportBucket = {
  open: async (_key, versionId) => (async function* () {
    yield new TextEncoder().encode(versions.get(versionId!)!);
  })(),
  putJson: async (key, value) => {
    results.set(key, value);
  },
};
/** Every log line of the use cases under test. */
const logLines: string[] = [];

/** A timesheet with `participants` rows, each worth `hours` on 2024-03-04. */
function timesheet(participants: number, hours: number): string {
  const rows = Array.from({ length: participants }, (_, i) => `R-${String(i).padStart(3, '0')},2024-03-04,${hours},training`);
  return ['participant,date,hours,activity', ...rows].join('\n');
}

/** A store whose document client throws `fault(n)`'s error at the n-th command matching `command`, if it gives one. */
function faultyStore(command: RegExp, fault: (n: number, commandName: string) => Error | undefined): DynamoHoursStore {
  const client = createDocumentClient();
  let seen = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const error = command.test(context.commandName ?? '') ? fault(++seen, context.commandName!) : undefined;
      if (error) throw error;
      return next(args);
    },
    { step: 'initialize', name: 'fault' },
  );
  return new DynamoHoursStore(client, TABLE, { concurrency: 1 });
}

/** A store that crashes once, at the n-th command matching `command`. */
const crashingStore = (command: RegExp, n: number) => faultyStore(command, (seen, name) => (seen === n ? new Error(`injected crash at ${name}`) : undefined));

const healthy = () => new DynamoHoursStore(createDocumentClient(), TABLE);
const rejectedUploads = () => new DynamoRejectedUploads(createDocumentClient(), TABLE);
const deps = (store: DynamoHoursStore, source = bucket): IngestDependencies => ({
  bucket: source,
  store,
  rejectedUploads: rejectedUploads(),
  pseudonymise: createPseudonymiser('k'),
  log: createLogger('test', (line) => logLines.push(line)),
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

/*
 * The failure path as in AWS: Lambda runs an event three times (two retries), then
 * hands the on-failure destination event to the failure handler, which runs here
 * for real against DynamoDB Local; S3 (its result object) and SQS (the failure
 * queue) are mocked to see what it sends.
 */
const s3Mock = mockClient(S3Client);
const sqsMock = mockClient(SQSClient);
const FAILURE_QUEUE_URL = 'https://sqs.eu-north-1.amazonaws.com/000000000000/ingest-failures';
type Handler = (event: unknown, context: never) => Promise<Record<string, string>>;
let recordFailure: Handler;

const notification = (key: string, versionId: string, sequencer: string) => ({
  Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'data' }, object: { key: encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+'), versionId, sequencer } } }],
});

/** The event Lambda sends the on-failure destination when `event` failed three times, the last time with `error`. */
const destinationFor = (event: ReturnType<typeof notification>, error: Error) => ({
  version: '1.0',
  timestamp: new Date().toISOString(),
  requestContext: { requestId: 'req-1', functionArn: 'arn:aws:lambda:eu-north-1:000000000000:function:ingest:$LATEST', condition: 'RetriesExhausted', approximateInvokeCount: 3 },
  requestPayload: event,
  responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  responsePayload: { errorType: error.name, errorMessage: error.message, trace: [] },
});

/** Three attempts of `attempt` on the event (Lambda's two retries), then, if all failed, the failure handler. */
async function invokeAsync(event: ReturnType<typeof notification>, attempt: (notice: ReportNotice) => Promise<unknown>) {
  let last: Error | undefined;
  for (let i = 0; i < 3; i++) {
    try {
      return { outcomes: await forEachCreatedObject(s3Event.parse(event), createLogger('test', (line) => logLines.push(line)), (_bucket, notice) => attempt(notice)) };
    } catch (error) {
      last = error as Error;
    }
  }
  const destination = destinationFor(event, last!);
  return { destination, recorded: await recordFailure(destination, {} as never) };
}

const statusesOf = async (partnership: string, month: string) =>
  (await healthy().reportStatuses(partnership)).filter((status) => status.month === month).map(({ sequencer, outcome, current, reasons }) => ({ sequencer: sequencer.replace(/^0+/, ''), outcome, current, reasons }));
const hoursOf = async (partnership: string) => (await healthy().weeklyHours(partnership)).reduce((sum, week) => sum + week.centiHours[0]!, 0) / 100;
const resultsWritten = () => s3Mock.commandCalls(PutObjectCommand).map((call) => ({ key: call.args[0].input.Key, body: JSON.parse(String(call.args[0].input.Body)) }));

describe('no upload without a status: the failure destination', () => {
  const KEY_F = 'reports/failing/2024-03/actor.csv';
  const throttled = () => new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput for the table was exceeded.', $metadata: { httpStatusCode: 400 } });

  beforeAll(async () => {
    Object.assign(process.env, { TABLE_NAME: TABLE, FAILURE_QUEUE_URL });
    recordFailure = (await import('../../functions/record-ingest-failure/handler.ts')).handler as unknown as Handler;
    versions.set('f1', timesheet(5, 1));
    versions.set('f2', timesheet(7, 1));
    versions.set('f3', timesheet(9, 1));
    expect(await ingestReport({ key: KEY_F, versionId: 'f1', sequencer: 'B1' }, deps(healthy()))).toBe('accepted');
  });

  beforeEach(() => {
    s3Mock.reset();
    sqsMock.reset();
    s3Mock.on(PutObjectCommand).resolves({});
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
  });

  it('DynamoDB fails every time: a failed status says why and what to do, the earlier version still counts, the queue keeps the event', async () => {
    const failing = faultyStore(/BatchWrite/, throttled);
    const { destination, recorded } = await invokeAsync(notification(KEY_F, 'f2', 'B2'), (notice) => ingestReport(notice, deps(failing)));
    expect(recorded).toEqual({ [KEY_F]: 'failed' });
    const [failed, previous] = await statusesOf('failing', '2024-03');
    expect(failed).toEqual({
      sequencer: 'B2', outcome: 'failed', current: false,
      reasons: ['could not be processed after 3 attempts: AWS ProvisionedThroughputExceededException (HTTP 400): The level of configured provisioned throughput for the table was exceeded.; upload it again'],
    });
    expect(previous).toMatchObject({ sequencer: 'B1', outcome: 'accepted', current: true });
    expect(await hoursOf('failing')).toBe(5);
    // The result object (which said "accepted" after validation) now says what happened.
    expect(resultsWritten()).toEqual([{ key: `results/failing/2024-03/actor/${'B2'.padStart(32, '0')}.json`, body: expect.objectContaining({ outcome: 'failed', reason: failed!.reasons[0] }) }]);
    expect(sqsMock.commandCalls(SendMessageCommand).map((call) => call.args[0].input)).toEqual([{ QueueUrl: FAILURE_QUEUE_URL, MessageBody: JSON.stringify(destination) }]);

    // A manual re-upload (a newer version) is not hidden by the failed one.
    expect(await ingestReport({ key: KEY_F, versionId: 'f3', sequencer: 'B3' }, deps(healthy()))).toBe('accepted');
    expect((await statusesOf('failing', '2024-03')).map(({ sequencer, outcome, current }) => [sequencer, outcome, current])).toEqual([
      ['B3', 'accepted', true], ['B2', 'failed', false], ['B1', 'accepted', false],
    ]);
    expect(await hoursOf('failing')).toBe(9);
  });

  it('S3 cannot be read: the failed status names the S3 error; a later redelivery that succeeds replaces it', async () => {
    const KEY = 'reports/failing/2024-04/actor.csv';
    versions.set('g1', 'participant,date,hours,activity\nG-1,2024-04-02,2,training\n');
    const unreadable: ReportBucket = { ...bucket, open: async () => Promise.reject(new NoSuchKey({ message: 'The specified version does not exist.', $metadata: { httpStatusCode: 404 } })) };
    const { recorded } = await invokeAsync(notification(KEY, 'g1', 'C1'), (notice) => ingestReport(notice, deps(healthy(), unreadable)));
    expect(recorded).toEqual({ [KEY]: 'failed' });
    expect((await statusesOf('failing', '2024-04'))[0]!.reasons[0]).toBe('could not be processed after 3 attempts: AWS NoSuchKey (HTTP 404): The specified version does not exist.; upload it again');

    expect(await ingestReport({ key: KEY, versionId: 'g1', sequencer: 'C1' }, deps(healthy()))).toBe('accepted');
    expect(await statusesOf('failing', '2024-04')).toEqual([expect.objectContaining({ sequencer: 'C1', outcome: 'accepted', current: true })]);
  });

  it('an error that quotes a participant value leaves only its class in the status, the result and the logs', async () => {
    const KEY = 'reports/failing/2024-06/actor.csv';
    versions.set('h1', 'participant,date,hours,activity\nH-1,2024-06-03,2,training\n');
    const leaky = faultyStore(/BatchWrite/, () => new Error('item for participant 010190-1234 is too large'));
    logLines.length = 0;
    const { recorded } = await invokeAsync(notification(KEY, 'h1', 'D1'), (notice) => ingestReport(notice, deps(leaky)));
    expect(recorded).toEqual({ [KEY]: 'failed' });
    expect((await statusesOf('failing', '2024-06'))[0]!.reasons[0]).toBe('could not be processed after 3 attempts: an unexpected Error (details in the function logs); upload it again');
    expect(logLines.join('\n')).toContain('processing failed');
    const everything = [logLines.join('\n'), JSON.stringify(resultsWritten()), JSON.stringify(await statusesOf('failing', '2024-06'))].join('\n');
    expect(cprsIn(everything, ['010190-1234'])).toEqual([]);
  });

  it('is idempotent and never overwrites a version that has a status of its own', async () => {
    versions.set('f4', 'participant,date,activity\nX-1,2024-03-04,training\n'); // rejected whole: no hours column
    expect(await ingestReport({ key: KEY_F, versionId: 'f4', sequencer: 'B4' }, deps(healthy()))).toBe('rejected');
    const before = await statusesOf('failing', '2024-03');
    const hoursBefore = await hoursOf('failing');
    const failed = (versionId: string, sequencer: string) => recordFailure(destinationFor(notification(KEY_F, versionId, sequencer), throttled()), {} as never);

    // The accepted, current version and the rejected one keep their status…
    expect(await failed('f3', 'B3')).toEqual({ [KEY_F]: 'already-processed' });
    expect(await failed('f4', 'B4')).toEqual({ [KEY_F]: 'already-processed' });
    // …and so does the failed one (now older than the current one: it stays failed, not superseded).
    expect(await failed('f2', 'B2')).toEqual({ [KEY_F]: 'already-processed' });
    const after = await statusesOf('failing', '2024-03');
    expect(after).toEqual(before);
    expect(after.map(({ sequencer, outcome }) => [sequencer, outcome])).toEqual([['B4', 'rejected'], ['B3', 'accepted'], ['B2', 'failed'], ['B1', 'accepted']]);
    expect(resultsWritten()).toEqual([]);
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(3); // the queue keeps every event

    // A repeat for a failed version with nothing newer completes the same status again (e.g. after SQS failed).
    const KEY = 'reports/failing/2024-06/actor.csv';
    const once = await statusesOf('failing', '2024-06');
    expect(await recordFailure(destinationFor(notification(KEY, 'h1', 'D1'), throttled()), {} as never)).toEqual({ [KEY]: 'failed' });
    expect((await statusesOf('failing', '2024-06')).map(({ sequencer, outcome, current }) => [sequencer, outcome, current])).toEqual(once.map(({ sequencer, outcome, current }) => [sequencer, outcome, current]));
    expect(resultsWritten().map((result) => result.key)).toEqual([`results/failing/2024-06/actor/${'D1'.padStart(32, '0')}.json`]);

    // A version older than the current one that never got a status: it lost to the newer one anyway.
    expect(await failed('f0', 'B0')).toEqual({ [KEY_F]: 'superseded' });
    expect((await statusesOf('failing', '2024-03')).map(({ sequencer, outcome }) => [sequencer, outcome]).at(-1)).toEqual(['B0', 'superseded']);
    expect(await hoursOf('failing')).toBe(hoursBefore);
  });

  it('SQS failing makes the handler fail (Lambda retries it, then sends the event to the queue itself)', async () => {
    sqsMock.on(SendMessageCommand).rejects(new Error('queue unavailable'));
    await expect(recordFailure(destinationFor(notification(KEY_F, 'f2', 'B2'), throttled()), {} as never)).rejects.toThrow('queue unavailable');
  });

  it('an event that is not a destination event is refused whole', async () => {
    await expect(recordFailure({ Records: [] }, {} as never)).rejects.toThrow(/unexpected event: requestContext/);
  });
});

describe('keys that are not valid are recorded as rejected uploads, never echoed (spec 2.4)', () => {
  const CPR = '010190-1234';
  const badKeys = {
    cprSource: `reports/failing/2024-05/${CPR}.csv`,
    spacedCprSource: 'reports/failing/2024-05/010190 1234.csv',
    badMonth: 'reports/failing/2024-13/actor.csv',
    otherExtension: 'reports/failing/2024-05/actor.txt',
    cprPartnership: 'reports/0101901234/2024-05/actor.csv',
  };

  beforeEach(() => {
    s3Mock.reset();
    sqsMock.reset();
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
  });

  it('in the ingest, the contract and roster validation and the failure handler; nothing names the key', async () => {
    logLines.length = 0;
    const printed: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => printed.push(String(chunk)) > 0) as typeof process.stdout.write;
    let outcomes: unknown[];
    try {
      outcomes = await Promise.all([
        ...Object.values(badKeys).map((key, i) => invokeAsync(notification(key, `bad-${i}`, `E${i}`), (notice) => ingestReport(notice, deps(healthy())))),
        invokeAsync(notification(`rosters/${CPR}.csv`, 'r1', 'E9'), (notice) =>
          acceptInput(notice, { bucket, store: new DynamoPartnershipStore(createDocumentClient(), TABLE), rejectedUploads: rejectedUploads(), pseudonymise: createPseudonymiser('k'), log: createLogger('test', (line) => logLines.push(line)) })),
        // DynamoDB down on the first try: the failure handler records the rejection instead.
        invokeAsync(notification(`reports/failing/2024-05/${CPR.replace('-', '')}.xlsx`, 'x1', 'EA'), () => Promise.reject(new Error('down'))),
      ]);
    } finally {
      process.stdout.write = write;
    }
    expect(outcomes.map((outcome) => Object.values((outcome as { outcomes?: object; recorded?: object }).outcomes ?? (outcome as { recorded: object }).recorded))).toEqual(Array(7).fill(['rejected']));

    const ofPartnership = await rejectedUploads().rejectedUploads('failing');
    expect(ofPartnership.map((upload) => upload.reason).sort()).toEqual([
      expect.stringContaining('only .csv and .xlsx timesheets are read'),
      expect.stringContaining('source must be 1–63 characters'),
      expect.stringContaining('source must not contain 6 or more digits'),
      expect.stringContaining('source must not contain 6 or more digits'),
      expect.stringContaining('the month folder must be YYYY-MM'),
    ].sort());
    for (const upload of ofPartnership) expect(upload.reason).toMatch(/^the file's name or folder cannot be used: .*; upload it again under a valid name$/);
    const unreadable = await rejectedUploads().rejectedUploads();
    expect(unreadable.map(({ partnership, outcome }) => [partnership, outcome])).toEqual([[undefined, 'rejected'], [undefined, 'rejected']]);

    const table = await createDocumentClient().send(new ScanCommand({ TableName: TABLE }));
    const scanned = {
      dynamodb: textOfValue(table.Items),
      s3: JSON.stringify(s3Mock.calls().map((call) => call.args[0].input)),
      logs: logLines.join('\n') + printed.join(''),
      outcomes: JSON.stringify(outcomes.map((outcome) => (outcome as { outcomes?: object }).outcomes ?? (outcome as { recorded: object }).recorded)),
    };
    expect(scanned.logs).toContain('upload rejected: its key is not valid');
    for (const [where, text] of Object.entries(scanned)) {
      expect(cprsIn(text, [CPR]), where).toEqual([]);
      for (const key of Object.values(badKeys)) expect(text.includes(key), `${key} in ${where}`).toBe(false);
    }
  });
});

describe('the encoding a CSV was read in (spec 2.1)', () => {
  it.each([
    ['utf-8', Buffer.from('participant,date,hours,activity\nÆ-1,2024-03-04,2,training\n', 'utf8')],
    ['windows-1252', Buffer.from('participant,date,hours,activity\nÆ-1,2024-03-04,2,training\n', 'latin1')],
  ])('is kept in the status, the result and pbr reports: %s', async (encoding, bytes) => {
    const key = `reports/encodings/2024-03/${encoding}.csv`;
    const source: ReportBucket = { ...bucket, open: async () => (async function* () { yield new Uint8Array(bytes); })() };
    expect(await ingestReport({ key, versionId: 'w1', sequencer: 'F1' }, deps(healthy(), source))).toBe('accepted');
    const status = (await healthy().reportStatuses('encodings')).find((s) => s.key === key)!;
    expect(status).toMatchObject({ encoding, acceptedRows: 1 });
    expect(results.get(status.resultKey!)).toMatchObject({ encoding });
    expect(formatStatus(status)).toContain(`read as ${encoding}`);
  });
});
