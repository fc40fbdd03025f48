import { basename, extname } from 'node:path';
import { EXIT, InputError, required, UsageError, type Command } from '../command.ts';
import { formatStatus } from '../report-status.ts';
import { resolveTarget, TARGET_OPTIONS, TARGET_USAGE } from '../target.ts';
import { checkedIdentifier, isStatusOf, uploadFile, waitForStatus, waitSeconds, WAIT_OPTIONS, WAIT_USAGE } from '../uploads.ts';
import { redactCpr } from '../../shared/cpr-numbers.ts';
import { sourceOfFileName } from '../../shared/identifiers.ts';
import { reportKey } from '../../shared/uploads/report-key.ts';
import { formatOfName } from '../../shared/timesheets/read-timesheet.ts';

/** The report source: --source, checked, or made from the file name (spec 2.4), which is never quoted. */
function sourceOf(file: string, given: string | undefined): string {
  if (given !== undefined) return checkedIdentifier('--source', given);
  const source = sourceOfFileName(basename(file, extname(file)));
  if (source === undefined) {
    throw new InputError('the file name cannot be the report source (it has 6 or more digits in a row, which could be a CPR number, or no letters or digits): name the source with --source, e.g. --source jobvejen');
  }
  return source;
}

/** `pbr upload`: one timesheet into the bucket, and the pipeline's verdict on exactly that version. */
export const upload: Command = {
  usage: `
Usage: pbr upload FILE --partnership P --month YYYY-MM [--source S] [--wait SECONDS | --no-wait] [target]

Stores FILE as reports/P/YYYY-MM/S.csv|.xlsx. S is --source, or else the file
name without its extension made into an identifier (lower case, æ→ae, ø→oe,
å→aa, other characters → "-"); P and S must be a–z, 0–9 and "-" without 6 digits
in a row (exit 2 otherwise: a file name with such a run needs --source).
Uploading the same partnership, month and source again is a correction: it
replaces the earlier version completely.
Then waits for the ingest to process this very version and prints its status
(exit 0 all rows counted, 3 some rows rejected, 2 file rejected whole, 1 failed
after the pipeline's retries or no status in time).
${WAIT_USAGE}
${TARGET_USAGE}`,
  options: { partnership: { type: 'string' }, month: { type: 'string' }, source: { type: 'string' }, ...WAIT_OPTIONS, ...TARGET_OPTIONS },
  async run(values, positionals) {
    if (positionals.length !== 1) throw new UsageError('name exactly one FILE to upload');
    const file = positionals[0]!;
    const format = formatOfName(file);
    if (!format) throw new InputError(`${redactCpr(file)}: only .csv and .xlsx timesheets can be uploaded`);
    const partnership = checkedIdentifier('--partnership', required(values, 'partnership'));
    const month = required(values, 'month');
    const source = sourceOf(file, values.source as string | undefined);
    const wait = waitSeconds(values);
    let key;
    try {
      key = reportKey({ partnership, month, source }, format);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const target = await resolveTarget(values);
    const uploaded = await uploadFile(target.s3, target.bucket, key, file);
    process.stdout.write(`uploaded ${file} to s3://${target.bucket}/${key}${uploaded.versionId ? ` (version ${uploaded.versionId})` : ''}\n`);
    if (wait === undefined) return EXIT.ok;

    const check = `pbr reports --partnership ${partnership}`;
    const processed = await waitForStatus(async () => (await target.store.reportStatuses(partnership)).find((status) => isStatusOf(uploaded, status)), wait, check);
    if (!processed) return EXIT.failure;
    process.stdout.write(formatStatus(processed) + '\n');
    if (processed.reasonsTotal > processed.reasons.length) {
      process.stdout.write(`    … ${processed.reasonsTotal - processed.reasons.length} more: see ${check}\n`);
    }
    if (processed.outcome === 'rejected') return EXIT.inputRejected;
    if (processed.outcome === 'failed') return EXIT.failure;
    return processed.rejectedRows > 0 ? EXIT.rowsRejected : EXIT.ok;
  },
};
