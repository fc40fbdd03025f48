import { GetObjectCommand } from '@aws-sdk/client-s3';
import { required, type Command } from '../command.ts';
import { formatStatus } from '../report-status.ts';
import { resolveTarget, TARGET_OPTIONS, TARGET_USAGE, type Target } from '../target.ts';
import type { ReportVersionStatus } from '../../shared/ingest/ports.ts';

/** Every reason of a version: the stored ones, or the full result object when they were cut. */
async function allReasons(target: Target, status: ReportVersionStatus): Promise<string[]> {
  if (status.reasonsTotal <= status.reasons.length || !status.resultKey) return status.reasons;
  const response = await target.s3.send(new GetObjectCommand({ Bucket: target.bucket, Key: status.resultKey }));
  const result = JSON.parse(await response.Body!.transformToString()) as { rejected?: { line: number; reason: string }[] };
  return (result.rejected ?? []).map(({ line, reason }) => `line ${line}: ${reason}`);
}

export const reports: Command = {
  name: 'reports',
  summary: "each report's versions: when, accepted and rejected rows, every reason",
  usage: `
Usage: pbr reports --partnership P [--json] [target]

Lists every processed version of every report of a partnership, by month and
source, newest first; "(current)" marks the version whose hours count.
${TARGET_USAGE}`,
  options: { partnership: { type: 'string' }, json: { type: 'boolean' }, ...TARGET_OPTIONS },
  async run(values) {
    const partnership = required(values, 'partnership');
    const target = await resolveTarget(values);
    const statuses = await target.store.reportStatuses(partnership);
    const complete = await Promise.all(statuses.map(async (status) => ({ ...status, reasons: await allReasons(target, status) })));
    if (values.json) process.stdout.write(JSON.stringify(complete, null, 2) + '\n');
    else if (complete.length === 0) process.stdout.write(`no reports for partnership ${partnership}\n`);
    else process.stdout.write(complete.map((status) => formatStatus(status)).join('\n') + '\n');
    return 0;
  },
};
