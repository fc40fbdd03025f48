import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { writeDemoTimesheets } from '../../local/demo/demo-timesheets.ts';
import { createS3Client } from '../../shared/adapters/aws-clients.ts';
import { reportKey } from '../../shared/ingest/report-key.ts';
import { formatOfName } from '../../shared/timesheets/read-timesheet.ts';
import type { Command } from '../command.ts';
import { DEFAULT_DATA_DIR } from '../target.ts';
import { runLocalStack, STACK_OPTIONS, STACK_USAGE } from './stack.ts';

export const demo: Command = {
  name: 'demo',
  summary: 'the local stack with demo data loaded through S3 (what npm start runs)',
  usage: `
Usage: pbr demo [options]

Starts the local stack (see pbr stack), uploads the demo timesheets to S3 so
the ingest handler processes them like in AWS, prints what to try next, and keeps
running until Ctrl-C.
${STACK_USAGE}`,
  options: STACK_OPTIONS,
  async run(values) {
    const stack = await runLocalStack(values);
    const dataDir = (values.data as string | undefined) ?? DEFAULT_DATA_DIR;
    const uploads = await writeDemoTimesheets(join(dataDir, 'demo-timesheets'));
    const s3 = createS3Client();
    for (const [i, upload] of uploads.entries()) {
      const key = reportKey(upload, formatOfName(upload.file)!);
      const { size } = await stat(upload.file);
      await s3.send(new PutObjectCommand({ Bucket: stack.endpoints.bucket, Key: key, Body: createReadStream(upload.file), ContentLength: size }));
      process.stderr.write(`demo ${i + 1}/${uploads.length}: ${key} (${upload.note})\n`);
      await stack.settled();
    }
    process.stdout.write(
      [
        `demo loaded: ${uploads.length} uploads for partnerships koege and holbaek`,
        'try, in another terminal:',
        '  npx pbr export-hours --partnership koege',
        '  npx pbr reports --partnership holbaek',
        `  npx pbr upload ${uploads[0]!.file} --partnership koege --month 2019-02 --source jobvejen`,
        'Ctrl-C stops the stack; data stays in ' + dataDir,
        '',
      ].join('\n'),
    );
    return new Promise<number>(() => {});
  },
};
