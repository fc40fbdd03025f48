import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { required, UsageError, type Command } from '../command.ts';
import { formatStatus } from '../report-status.ts';
import { resolveTarget, TARGET_OPTIONS, TARGET_USAGE } from '../target.ts';
import { reportKey } from '../../shared/ingest/report-key.ts';
import { formatOfName } from '../../shared/timesheets/read-timesheet.ts';
import { EXIT_FILE_REJECTED, EXIT_ROWS_REJECTED } from './hours.ts';

const WAIT_MS = 120_000;

export const upload: Command = {
  name: 'upload',
  summary: 'upload a monthly timesheet as reports/P/YYYY-MM/S.csv|.xlsx and wait for its validation',
  usage: `
Usage: pbr upload FILE --partnership P --month YYYY-MM [--source S] [--no-wait] [target]

Stores FILE as reports/P/YYYY-MM/S.csv|.xlsx (S: the file name without its
extension unless --source). Uploading the same partnership, month and source
again is a correction: it replaces the earlier version completely.
Then waits for the ingest to process it and prints its status (exit 0 all rows
counted, 3 some rows rejected, 2 file rejected whole), unless --no-wait.
${TARGET_USAGE}`,
  options: { partnership: { type: 'string' }, month: { type: 'string' }, source: { type: 'string' }, 'no-wait': { type: 'boolean' }, ...TARGET_OPTIONS },
  async run(values, positionals) {
    if (positionals.length !== 1) throw new UsageError('name exactly one FILE to upload');
    const file = positionals[0]!;
    const format = formatOfName(file);
    if (!format) throw new UsageError(`${file}: only .csv and .xlsx timesheets can be uploaded`);
    const partnership = required(values, 'partnership');
    const month = required(values, 'month');
    const source = (values.source as string | undefined) ?? basename(file, extname(file));
    let key;
    try {
      key = reportKey({ partnership, month, source }, format);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const target = await resolveTarget(values);
    const started = new Date().toISOString();
    const { size } = await stat(file);
    const response = await target.s3.send(
      new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: createReadStream(file), ContentLength: size }),
    );
    const version = response.VersionId ? ` (version ${response.VersionId})` : '';
    process.stdout.write(`uploaded ${file} to s3://${target.bucket}/${key}${version}\n`);
    if (values['no-wait']) return 0;

    process.stderr.write('waiting for the ingest…\n');
    const deadline = Date.now() + WAIT_MS;
    while (Date.now() < deadline) {
      const statuses = await target.store.reportStatuses(partnership);
      const processed = statuses.find((status) =>
        status.key === key && (response.VersionId ? status.versionId === response.VersionId : status.processedAt >= started));
      if (processed) {
        process.stdout.write(formatStatus(processed) + '\n');
        if (processed.reasonsTotal > processed.reasons.length) {
          process.stdout.write(`    … ${processed.reasonsTotal - processed.reasons.length} more: see pbr reports --partnership ${partnership}\n`);
        }
        if (processed.outcome === 'rejected') return EXIT_FILE_REJECTED;
        return processed.rejectedRows > 0 ? EXIT_ROWS_REJECTED : 0;
      }
      await sleep(250);
    }
    process.stderr.write(`no status after ${WAIT_MS / 1000} s: check the ingest function's logs and pbr reports --partnership ${partnership}\n`);
    return 1;
  },
};
