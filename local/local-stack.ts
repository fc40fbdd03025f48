import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import S3rver from 's3rver';
import { createApiServer } from './api-server.ts';
import { startLocalSignIn } from './local-sign-in.ts';
import { tokenLifetimesFrom, type TokenLifetimes } from './oidc-provider.ts';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { previousMonth, nextMonthlyRun, SCHEDULE_HOUR, SCHEDULE_TIME_ZONE } from '../shared/statements/schedule.ts';
import { createNotificationDelivery, type NotificationDelivery, type NotificationRoute } from './notification-delivery.ts';
import { openNotificationJournal } from './notification-journal.ts';
import { createLocalRecalculationQueue } from './local-recalculation-queue.ts';
import { INPUT_FILTERS } from '../shared/uploads/input-key.ts';
import { REPORT_FILTERS } from '../shared/uploads/report-key.ts';
import { CODE_VERSION_ENV, gitRevision } from '../shared/code-version.ts';
import { createNotificationShaper, createVersionedWrites, type S3rverEvent } from './s3-notifications.ts';
import { localHandler } from './invocation-metrics.ts';

export const LOCAL_BUCKET = 'pbr-local';
export const LOCAL_TABLE = 'pbr';
export const LOCAL_REGION = 'eu-north-1';
/** s3rver's fixed credentials; DynamoDB Local accepts any. */
const LOCAL_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
const DAY_MS = 86_400_000;
const CORS = `<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader></CORSRule></CORSConfiguration>`;

/** Listens on 127.0.0.1, on `port` if free, else on any free port. */
export function listen(server: Server, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' && port !== 0) server.listen(0, '127.0.0.1');
      else reject(error);
    };
    server.on('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** How clients reach a running local stack; written to `<data>/stack.json`. */
export interface StackEndpoints {
  /** The HTTP API and the portal. */
  api: string;
  /** The local OpenID provider (Cognito's stand-in): token issuer and hosted-UI domain. */
  issuer: string;
  /** The portal's client id at the provider (the API's audience). */
  clientId: string;
  /** The provider's private signing keys (tests sign their own odd tokens with them). */
  signingKeysFile: string;
  s3: string;
  dynamodb: string;
  bucket: string;
  table: string;
  region: string;
  pid: number;
}

/** The environment that points the AWS SDK (and our handlers) at the local stack. */
export function localEnvironment(endpoints: Pick<StackEndpoints, 's3' | 'dynamodb' | 'bucket' | 'table' | 'region'>): Record<string, string> {
  return {
    ...LOCAL_CREDENTIALS,
    AWS_REGION: endpoints.region,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    BUCKET_NAME: endpoints.bucket,
    TABLE_NAME: endpoints.table,
  };
}

export interface LocalStackOptions {
  /** Keep data here (survives restarts); without it everything is in memory / temporary. */
  dataDir?: string;
  /** DynamoDB Local in memory even with a data folder (a benchmark: its on-disk store writes several times slower). */
  inMemoryTable?: boolean;
  s3Port?: number;
  /** Preferred port of the API and portal; a free one when it is taken. */
  apiPort?: number;
  /** Where the OpenID provider's signing keys are kept (default: a temporary folder). */
  signingKeysFile?: string;
  /** Preferred port of the OpenID provider (default: the API's port + 1, else a free one). */
  oidcPort?: number;
  /** Token lifetimes (default: infra/api.ts's, or PBR_ID_TOKEN_TTL / PBR_REFRESH_TOKEN_TTL seconds). */
  tokenLifetimes?: TokenLifetimes;
  dynamodbPort?: number;
  /** Where `stack.json` goes so `pbr upload` finds the stack; none when undefined. */
  stackFile?: string;
  onProgress?: (message: string) => void;
  /** Handler log lines, delivery failures and redeliveries (default: stderr, as stdout carries `pbr stack`'s ready line). */
  log?: (line: string) => void;
}

export interface LocalStack {
  endpoints: StackEndpoints;
  /** Resolves when every notification sent so far has been handled. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * DynamoDB Local + s3rver on loopback, with the bucket and table created; every
 * upload delivered to the same handler that runs in Lambda (timesheets to the
 * ingest, contracts and rosters to their validation), a few at once as Lambda runs
 * them (one key's versions one at a time, in order), each retried like an
 * asynchronous Lambda invocation, then handed to the failure
 * destination; every accepted upload recalculating its partnership's statements
 * behind them, in process; and the monthly recalculation scheduled in process. With a data
 * folder, notifications are journaled there until handled and the ones a crash
 * left are delivered again on start (S3 delivers at least once); each PUT answers
 * the version id that its notification and status carry.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const progress = options.onProgress ?? (() => {});
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const temporary = options.dataDir ? undefined : await mkdtemp(join(tmpdir(), 'pbr-s3-'));
  const s3Dir = options.dataDir ? join(options.dataDir, 's3') : temporary!;
  await mkdir(s3Dir, { recursive: true });

  const dynamo = await startDynamoDbLocal({
    port: options.dynamodbPort,
    dataDir: options.dataDir && !options.inMemoryTable ? join(options.dataDir, 'dynamodb') : undefined,
    onProgress: progress,
  });
  const journal = options.dataDir ? await openNotificationJournal(join(options.dataDir, 'notifications')) : undefined;
  let resolveRoutes!: (routes: Promise<NotificationRoute[]>) => void;
  const delivery = await createNotificationDelivery({ region: LOCAL_REGION, journal, log, routes: new Promise((resolve) => (resolveRoutes = resolve)) });
  let s3: Awaited<ReturnType<typeof startS3>>;
  try {
    s3 = await startS3({ directory: s3Dir, port: options.s3Port ?? 0, delivery, lastSequencer: journal?.lastSequencer });
  } catch (error) {
    await dynamo.stop();
    throw error;
  }

  const base = {
    s3: `http://127.0.0.1:${s3.address.port}`,
    dynamodb: dynamo.endpoint,
    bucket: LOCAL_BUCKET,
    table: LOCAL_TABLE,
    region: LOCAL_REGION,
    pid: process.pid,
  };
  await pointEnvironmentAt(base);
  progress(`bucket ${LOCAL_BUCKET} and table ${LOCAL_TABLE} ready`);
  await useLocalRecalculations(delivery, log);
  const routes = loadRoutes();
  resolveRoutes(routes);
  await routes;

  const signingKeysFile = options.signingKeysFile ?? join(temporary ?? s3Dir, 'oidc-keys.json');
  const { provider, signIn } = await startLocalSignIn({
    port: options.oidcPort ?? (options.apiPort ? options.apiPort + 1 : 0),
    keysFile: signingKeysFile,
    table: LOCAL_TABLE,
    region: LOCAL_REGION,
    lifetimes: options.tokenLifetimes ?? tokenLifetimesFrom(),
    listen,
  });
  const api = createApiServer(signIn, localHandler('api', (await import('../functions/api/handler.ts')).handler), () => delivery.idle());
  const apiAddress = await listen(api, options.apiPort ?? 0);
  const endpoints: StackEndpoints = { ...base, api: `http://127.0.0.1:${apiAddress.port}`, issuer: provider.issuer, clientId: provider.clientId, signingKeysFile };
  provider.trustPortal(endpoints.api);

  const { recalculateAll } = await import('./recalculate-all.ts');
  const cancelSchedule = scheduleMonthlyRecalculation(delivery, (month) => recalculateAll(month).catch((error) => log(`monthly recalculation failed: ${error}`)), progress);

  if (options.stackFile) await writeFile(options.stackFile, JSON.stringify(endpoints, null, 2) + '\n');
  let stopping: Promise<void> | undefined;
  return {
    endpoints,
    settled: () => delivery.settled(),
    stop: () =>
      (stopping ??= (async () => {
        cancelSchedule();
        delivery.stop();
        await new Promise((resolve) => api.close(resolve));
        await provider.close();
        await s3.server.close();
        await dynamo.stop();
        if (options.stackFile) await rm(options.stackFile, { force: true });
        if (temporary) await rm(temporary, { recursive: true, force: true });
      })()),
  };
}

/**
 * Points the AWS SDK at the stack through the environment, and creates the table.
 * Before the handlers are imported: they create their clients from the environment.
 */
async function pointEnvironmentAt(endpoints: Parameters<typeof localEnvironment>[0]): Promise<void> {
  Object.assign(process.env, localEnvironment(endpoints), { PBR_LOCAL: '1', [CODE_VERSION_ENV]: gitRevision(import.meta.dirname) });
  await createTable(endpoints);
}

/**
 * Accepted uploads announce recalculations to an in-process queue that runs the
 * recalculation handler behind the notifications (SQS and its Lambda in AWS).
 */
async function useLocalRecalculations(delivery: NotificationDelivery, log: (line: string) => void): Promise<void> {
  const { useLocalRecalculationQueue } = await import('../functions/recalculation-trigger.ts');
  const recalculate = async () => localHandler('recalculate-statement', (await import('../functions/recalculate-statement/handler.ts')).handler);
  useLocalRecalculationQueue(createLocalRecalculationQueue(delivery, recalculate, log));
}

/** As the CDK stack subscribes them; each module is imported once the environment points at this stack. */
const SUBSCRIPTIONS = [
  { route: 'ingest-report', filters: REPORT_FILTERS, load: () => import('../functions/ingest-report/handler.ts') },
  { route: 'accept-input', filters: INPUT_FILTERS, load: () => import('../functions/accept-input/handler.ts') },
];

/**
 * Imports the subscribed handlers (they create their clients on import). The failure
 * handler is both functions' onFailure destination: it records a status for an
 * upload whose retries ran out.
 */
async function loadRoutes(): Promise<NotificationRoute[]> {
  const onFailure = localHandler('record-ingest-failure', (await import('../functions/record-ingest-failure/handler.ts')).handler);
  return Promise.all(SUBSCRIPTIONS.map(async ({ route, load }) => ({ name: route, handler: localHandler(route, (await load()).handler), onFailure })));
}

interface S3Options {
  directory: string;
  port: number;
  delivery: NotificationDelivery;
  /** The newest sequencer journaled by an earlier run: new ones continue after it. */
  lastSequencer?: string;
}

/**
 * s3rver with the bucket, answering each PUT with a version id and turning each
 * event into the notifications S3 would send to SUBSCRIPTIONS, accepted for
 * delivery before the PUT is answered. Listening from the start: an upload is
 * journaled (and answered) even before the handlers are loaded.
 */
async function startS3({ directory, port, delivery, lastSequencer }: S3Options) {
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    silent: true,
    directory,
    // The portal uploads with presigned PUTs from its own origin.
    configureBuckets: [{ name: LOCAL_BUCKET, configs: [CORS] }],
  });
  const writes = createVersionedWrites();
  server.middleware.unshift(writes.middleware);
  const shape = createNotificationShaper(LOCAL_REGION, lastSequencer);
  server.on('event', (event: S3rverEvent) => {
    const write = writes.current();
    if (write && event.Records.some(({ eventName }) => eventName.startsWith('ObjectCreated:'))) write.created = true;
    for (const { route, filters } of SUBSCRIPTIONS) {
      const notification = shape(event, filters, write?.versionId);
      if (notification) write?.persisting.push(delivery.accept(route, notification));
    }
  });
  const address = await server.run();
  return { server, address };
}

/**
 * Queues `recalculate` for the previous month behind the notifications at each
 * monthly run (the 1st, SCHEDULE_HOUR in SCHEDULE_TIME_ZONE), as EventBridge
 * Scheduler would; returns what cancels it.
 */
function scheduleMonthlyRecalculation(delivery: NotificationDelivery, recalculate: (month: string) => Promise<unknown>, progress: (message: string) => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    const at = nextMonthlyRun(new Date());
    progress(`monthly recalculation scheduled for ${at.toISOString()} (the 1st, ${SCHEDULE_HOUR}:00 ${SCHEDULE_TIME_ZONE})`);
    // setTimeout holds at most ~24.8 days: wake up daily and check.
    const wait = () => {
      const left = at.getTime() - Date.now();
      timer = setTimeout(left > DAY_MS ? wait : run, Math.min(left, DAY_MS));
      timer.unref();
    };
    const run = () => {
      delivery.enqueue(() => recalculate(previousMonth(new Date())));
      schedule();
    };
    wait();
  };
  schedule();
  return () => clearTimeout(timer);
}

/** Creates the pipeline's table (pk/sk strings, on demand) unless it exists. */
export async function createTable(endpoints: Pick<StackEndpoints, 'dynamodb' | 'table' | 'region'>): Promise<void> {
  // DynamoDB Local accepts any credentials: do not depend on the environment having some.
  const client = new DynamoDBClient({ endpoint: endpoints.dynamodb, region: endpoints.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    await client.send(
      new CreateTableCommand({
        TableName: endpoints.table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  } finally {
    client.destroy();
  }
}
