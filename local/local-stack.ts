import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import S3rver from 's3rver';
import { createApiServer } from './api-server.ts';
import { devSigningKey } from './dev-jwt.ts';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { previousMonth, nextMonthlyRun, SCHEDULE_HOUR, SCHEDULE_TIME_ZONE } from '../shared/statements/schedule.ts';
import { createNotificationShaper, INPUT_FILTERS, REPORT_FILTERS, type S3rverEvent } from './s3-notifications.ts';

export const LOCAL_BUCKET = 'pbr-local';
export const LOCAL_TABLE = 'pbr';
export const LOCAL_REGION = 'eu-north-1';
/** s3rver's fixed credentials; DynamoDB Local accepts any. */
const LOCAL_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
/** Lambda's asynchronous invocations retry a failed event twice. */
const RETRIES = 2;
const DAY_MS = 86_400_000;
const CORS = `<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader></CORSRule></CORSConfiguration>`;

/** Listens on 127.0.0.1, on `port` if free, else on any free port. */
function listen(server: Server, port: number): Promise<AddressInfo> {
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
  /** Signs dev tokens (`pbr token`, the portal's role picker). */
  devKeyFile: string;
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
  s3Port?: number;
  /** Preferred port of the API and portal; a free one when it is taken. */
  apiPort?: number;
  /** Where the dev token key is kept (default: a temporary folder). */
  devKeyFile?: string;
  dynamodbPort?: number;
  /** Where `stack.json` goes so `pbr upload` finds the stack; none when undefined. */
  stackFile?: string;
  onProgress?: (message: string) => void;
  /** Handler log lines and delivery failures. */
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
 * ingest, contracts and rosters to their validation), one notification at a
 * time, retried like an asynchronous Lambda invocation; and the monthly
 * recalculation scheduled in process.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const progress = options.onProgress ?? (() => {});
  const log = options.log ?? ((line: string) => process.stdout.write(line + '\n'));
  const temporary = options.dataDir ? undefined : await mkdtemp(join(tmpdir(), 'pbr-s3-'));
  const s3Dir = options.dataDir ? join(options.dataDir, 's3') : temporary!;
  await mkdir(s3Dir, { recursive: true });

  const dynamo = await startDynamoDbLocal({
    port: options.dynamodbPort,
    dataDir: options.dataDir ? join(options.dataDir, 'dynamodb') : undefined,
    onProgress: progress,
  });
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: options.s3Port ?? 0,
    silent: true,
    directory: s3Dir,
    // The portal uploads with presigned PUTs from its own origin.
    configureBuckets: [{ name: LOCAL_BUCKET, configs: [CORS] }],
  });
  let address;
  try {
    address = await s3rver.run();
  } catch (error) {
    await dynamo.stop();
    throw error;
  }

  const base = {
    s3: `http://127.0.0.1:${address.port}`,
    dynamodb: dynamo.endpoint,
    bucket: LOCAL_BUCKET,
    table: LOCAL_TABLE,
    region: LOCAL_REGION,
    pid: process.pid,
  };
  // Before the handlers are imported: they create their clients from the environment.
  Object.assign(process.env, localEnvironment(base), { PBR_LOCAL: '1' });
  await createTable(base);
  progress(`bucket ${LOCAL_BUCKET} and table ${LOCAL_TABLE} ready`);

  const routes = [
    { filters: REPORT_FILTERS, handler: (await import('../functions/ingest-report/handler.ts')).handler },
    { filters: INPUT_FILTERS, handler: (await import('../functions/accept-input/handler.ts')).handler },
  ];
  const shape = createNotificationShaper(LOCAL_REGION);
  let queue = Promise.resolve();
  const deliver = async (handler: (event: unknown, context: never) => Promise<unknown>, notification: { Records: { s3: { object: { key: string } } }[] }) => {
    for (let attempt = 0; attempt <= RETRIES; attempt++) {
      try {
        await handler(notification, {} as never);
        return;
      } catch (error) {
        const last = attempt === RETRIES;
        log(JSON.stringify({ level: 'ERROR', service: 'local-stack', message: last ? 'notification failed after retries (in AWS: sent to the failure queue)' : 'notification failed; retrying', key: notification.Records[0]?.s3.object.key, error: String(error) }));
      }
    }
  };
  s3rver.on('event', (event: S3rverEvent) => {
    for (const { filters, handler } of routes) {
      const notification = shape(event, filters);
      if (notification) queue = queue.then(() => deliver(handler, notification));
    }
  });

  const devKeyFile = options.devKeyFile ?? join(temporary ?? s3Dir, 'dev-jwt.key');
  const api = createApiServer(await devSigningKey(devKeyFile), (await import('../functions/api/handler.ts')).handler);
  const apiAddress = await listen(api, options.apiPort ?? 0);

  const endpoints: StackEndpoints = { ...base, api: `http://127.0.0.1:${apiAddress.port}`, devKeyFile };

  const recalculation = await import('./recalculate-all.ts');
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
      queue = queue.then(() => recalculation.recalculateAll(previousMonth(new Date()))).then(() => undefined, (error) => log(`monthly recalculation failed: ${error}`));
      schedule();
    };
    wait();
  };
  schedule();

  if (options.stackFile) await writeFile(options.stackFile, JSON.stringify(endpoints, null, 2) + '\n');
  let stopping: Promise<void> | undefined;
  return {
    endpoints,
    settled: async () => {
      let seen;
      do {
        seen = queue;
        await seen;
      } while (seen !== queue);
    },
    stop: () =>
      (stopping ??= (async () => {
        clearTimeout(timer);
        await new Promise((resolve) => api.close(resolve));
        await s3rver.close();
        await dynamo.stop();
        if (options.stackFile) await rm(options.stackFile, { force: true });
        if (temporary) await rm(temporary, { recursive: true, force: true });
      })()),
  };
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
