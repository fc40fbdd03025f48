import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoRejectedUploads } from '../../shared/adapters/dynamodb-rejected-uploads.ts';
import type { ReportVersionStatus } from '../../shared/ingest/ports.ts';
import type { RejectedUpload } from '../../shared/uploads/ports.ts';
import { EXIT, FORMAT_OPTIONS, outputFormat, required, UsageError, type Command } from '../command.ts';
import { formatStatus } from '../report-status.ts';
import { resolveTarget, TARGET_OPTIONS, TARGET_USAGE, type Target } from '../target.ts';
import { checkedIdentifier } from '../uploads.ts';

/** Every reason of a version: the stored ones, or the full result object when they were cut. */
async function allReasons(target: Target, status: ReportVersionStatus): Promise<string[]> {
  if (status.reasonsTotal <= status.reasons.length || !status.resultKey) return status.reasons;
  const response = await target.s3.send(new GetObjectCommand({ Bucket: target.bucket, Key: status.resultKey }));
  const result = JSON.parse(await response.Body!.transformToString()) as { rejected?: { line: number; reason: string }[] };
  return (result.rejected ?? []).map(({ line, reason }) => `line ${line}: ${reason}`);
}

/** One rejected upload: named by its key's digest, since the key itself may hold a CPR number. */
function formatRejectedUpload(upload: RejectedUpload): string {
  return [`upload sha256:${upload.keyDigest}  rejected  version ${upload.versionId ?? upload.sequencer}  at ${upload.processedAt}`, `    ${upload.reason}`].join('\n');
}

/** `pbr reports`: what the pipeline made of every upload of a partnership, reasons included. */
export const reports: Command = {
  usage: `
Usage: pbr reports --partnership P [--format text|json] [target]
       pbr reports --unreadable [--format text|json] [target]

Lists every processed version of every report of a partnership, by month and
source, newest first; "(current)" marks the version whose hours count, and the
encoding a CSV was read in is shown. A "failed" version could not be processed
even after retries (the earlier version still counts): upload it again.

Then the partnership's rejected uploads: files whose name or folder could not be
used (e.g. a CPR number as file name, a bad month folder, another extension).
Their key is never stored or shown, only "sha256:" and the first 16 hex digits of
the SHA-256 of the key, e.g.  printf %s 'reports/P/2024-03/NAME.csv' | sha256sum
--unreadable lists the rejected uploads whose partnership could not be read.
--format json prints {"reports": [...], "rejectedUploads": [...]} (--json, the
older spelling, still works and says it is deprecated).
${TARGET_USAGE}`,
  options: { partnership: { type: 'string' }, unreadable: { type: 'boolean' }, ...FORMAT_OPTIONS, ...TARGET_OPTIONS },
  async run(values) {
    if (values.unreadable && values.partnership !== undefined) throw new UsageError('give either --partnership or --unreadable');
    const format = outputFormat(values, ['text', 'json']);
    const partnership = values.unreadable ? undefined : checkedIdentifier('partnership', required(values, 'partnership'));
    const target = await resolveTarget(values);
    const rejectedUploads = await new DynamoRejectedUploads(createDocumentClient(), target.table).rejectedUploads(partnership);
    const statuses = partnership === undefined ? [] : await target.store.reportStatuses(partnership);
    const complete = await Promise.all(statuses.map(async (status) => ({ ...status, reasons: await allReasons(target, status) })));
    if (format === 'json') {
      process.stdout.write(JSON.stringify({ reports: complete, rejectedUploads }, null, 2) + '\n');
      return EXIT.ok;
    }
    const lines = [...complete.map((status) => formatStatus(status)), ...rejectedUploads.map(formatRejectedUpload)];
    const none = partnership === undefined ? 'no rejected uploads without a readable partnership' : `no reports for partnership ${partnership}`;
    process.stdout.write((lines.length === 0 ? none : lines.join('\n')) + '\n');
    return EXIT.ok;
  },
};
