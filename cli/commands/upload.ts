import { basename, extname } from 'node:path';
import { required, UsageError, type Command } from '../command.ts';
import { formatStatus } from '../report-status.ts';
import { resolveTarget, TARGET_OPTIONS, TARGET_USAGE } from '../target.ts';
import { isStatusOf, uploadFile, waitForStatus } from '../uploads.ts';
import { reportKey } from '../../shared/ingest/report-key.ts';
import { formatOfName } from '../../shared/timesheets/read-timesheet.ts';
import { EXIT_FILE_REJECTED, EXIT_ROWS_REJECTED } from './hours.ts';

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
    const uploaded = await uploadFile(target.s3, target.bucket, key, file);
    process.stdout.write(`uploaded ${file} to s3://${target.bucket}/${key}${uploaded.versionId ? ` (version ${uploaded.versionId})` : ''}\n`);
    if (values['no-wait']) return 0;

    const processed = await waitForStatus(async () => (await target.store.reportStatuses(partnership)).find((status) => isStatusOf(uploaded, status)));
    if (!processed) return 1;
    process.stdout.write(formatStatus(processed) + '\n');
    if (processed.reasonsTotal > processed.reasons.length) {
      process.stdout.write(`    … ${processed.reasonsTotal - processed.reasons.length} more: see pbr reports --partnership ${partnership}\n`);
    }
    if (processed.outcome === 'rejected') return EXIT_FILE_REJECTED;
    return processed.rejectedRows > 0 ? EXIT_ROWS_REJECTED : 0;
  },
};
