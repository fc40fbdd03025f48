import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoHoursStore } from '../shared/adapters/dynamodb-hours-store.ts';
import type { DynamoPartnershipStore } from '../shared/adapters/dynamodb-partnership-store.ts';
import type { StackEndpoints } from '../local/local-stack.ts';
import { UsageError, type Values } from './command.ts';

/** Options every command that talks to a stack accepts. */
export const TARGET_OPTIONS = {
  data: { type: 'string' },
  bucket: { type: 'string' },
  table: { type: 'string' },
} as const;

export const TARGET_USAGE = `
Target: a running \`pbr stack\` (found through DIR/stack.json, --data DIR, default .pbr),
or a deployed AWS stack: --bucket NAME --table NAME (the stack's BucketName and
TableName outputs; credentials and region from the usual AWS environment).`;

export const DEFAULT_DATA_DIR = '.pbr';

/** Where `pbr stack` announces its endpoints. */
export function stackFile(dataDir: string): string {
  return join(dataDir, 'stack.json');
}

export interface Target {
  bucket: string;
  table: string;
  /** A local stack's API (none for a deployed stack): where it says whether its pipeline is idle. */
  localApi?: string;
  s3: S3Client;
  store: DynamoHoursStore;
  partnerships: DynamoPartnershipStore;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The stack a command works on: AWS when --bucket/--table are given, else the
 * local stack that `pbr stack` announced (a failure, exit 1, when none runs).
 * Clients are created after the endpoints are known, so the same adapters serve
 * both; the SDK and the adapters are imported only then, so a missing stack is
 * reported at once.
 */
export async function resolveTarget(values: Values): Promise<Target> {
  let bucket = values.bucket as string | undefined;
  let table = values.table as string | undefined;
  let localApi: string | undefined;
  if (bucket === undefined && table === undefined) {
    const file = stackFile((values.data as string | undefined) ?? DEFAULT_DATA_DIR);
    let endpoints: StackEndpoints | undefined;
    try {
      endpoints = JSON.parse(await readFile(file, 'utf8')) as StackEndpoints;
    } catch {
      endpoints = undefined;
    }
    if (!endpoints || !isRunning(endpoints.pid)) {
      throw new Error(`no local stack is running (${file} not found or stale): start one with \`npx pbr stack\` or \`npm start\`, or name a deployed stack with --bucket and --table`);
    }
    const { localEnvironment } = await import('../local/local-stack.ts');
    Object.assign(process.env, localEnvironment(endpoints));
    ({ bucket, table, api: localApi } = endpoints);
  }
  if (!bucket || !table) throw new UsageError('a deployed stack needs both --bucket and --table');
  const [{ createDocumentClient, createS3Client }, { DynamoHoursStore }, { DynamoPartnershipStore }] = await Promise.all([
    import('../shared/adapters/aws-clients.ts'),
    import('../shared/adapters/dynamodb-hours-store.ts'),
    import('../shared/adapters/dynamodb-partnership-store.ts'),
  ]);
  const documents = createDocumentClient();
  return { bucket, table, localApi, s3: createS3Client(), store: new DynamoHoursStore(documents, table), partnerships: new DynamoPartnershipStore(documents, table) };
}
