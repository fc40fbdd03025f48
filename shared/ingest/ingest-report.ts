import { readTimesheet, type TimesheetResult } from '../timesheets/read-timesheet.ts';
import type { Logger } from '../logger.ts';
import { normaliseSequencer, type ReportNotice } from '../uploads/notice.ts';
import type { RejectedUploadStore, ReportBucket } from '../uploads/ports.ts';
import { MAX_STORED_REASONS, type HoursStore, type ReportVersionStatus, type VersionOutcome } from './ports.ts';
import { rejectUpload } from '../uploads/rejected-upload.ts';
import { readReportKey, type ReportIdentity } from '../uploads/report-key.ts';

export interface IngestDependencies {
  bucket: ReportBucket;
  store: HoursStore;
  rejectedUploads: RejectedUploadStore;
  pseudonymise: (participant: string) => string;
  log: Logger;
  now?: () => Date;
}

export type IngestOutcome = Exclude<VersionOutcome, 'failed'> | 'duplicate';

/** Where validation results live in the bucket (the ingest may write only there). */
export const RESULTS_PREFIX = 'results/';

/** `results/P/YYYY-MM/S/<sequencer>.json`: the full validation result of one version. */
export function resultKey(report: ReportIdentity, sequencer: string): string {
  return `${RESULTS_PREFIX}${report.partnership}/${report.month}/${report.source}/${sequencer}.json`;
}

/**
 * Turns one uploaded report version into weekly hours (spec 2.2): a newer version
 * replaces the older completely, a repeated or older notice changes nothing, and
 * every step can be retried after a crash. Transient failures throw, so the
 * caller's retry (Lambda's async retries) runs it again. A key that is not a
 * valid report key is recorded as a rejected upload, never echoing it (spec 2.4).
 */
export async function ingestReport(notice: ReportNotice, deps: IngestDependencies): Promise<IngestOutcome> {
  const { bucket, store, log } = deps;
  const reading = readReportKey(notice.key);
  if (!reading.ok) return rejectUpload(notice, reading, deps);
  const { format, report } = reading;
  const sequencer = normaliseSequencer(notice.sequencer);
  const base = { ...report, key: notice.key, versionId: notice.versionId, sequencer };
  const status = (outcome: VersionOutcome, fields: Partial<ReportVersionStatus> = {}): ReportVersionStatus => ({
    ...base,
    processedAt: (deps.now?.() ?? new Date()).toISOString(),
    outcome,
    rows: 0,
    acceptedRows: 0,
    rejectedRows: 0,
    reasons: [],
    reasonsTotal: 0,
    ...fields,
  });

  const current = await store.currentSequencer(report);
  if (current !== undefined && current >= sequencer) {
    if (current === sequencer) {
      await store.removeStale(report); // finish what a crashed run may have left
      log.info('duplicate notice ignored', { key: notice.key, sequencer });
      return 'duplicate';
    }
    await store.record(status('superseded', { reasons: ['a newer version of this report was processed first'], reasonsTotal: 1 }));
    log.info('older version ignored: a newer one is current', { key: notice.key, sequencer, current });
    return 'superseded';
  }

  const result = await readTimesheet(
    { name: notice.key, body: await bucket.open(notice.key, notice.versionId), reopen: () => bucket.open(notice.key, notice.versionId), month: report.month, format },
    deps,
  );
  const outputKey = resultKey(report, sequencer);
  await bucket.putJson(outputKey, resultDocument(base, result));

  if (!result.ok) {
    await store.record(status('rejected', { reasons: [result.reason], reasonsTotal: 1, resultKey: outputKey }));
    log.warn('report rejected whole', { key: notice.key, sequencer, reason: result.reason });
    return 'rejected';
  }

  await store.putWeeks(report, sequencer, result.weeks);
  const accepted = status('accepted', {
    encoding: result.encoding,
    rows: result.rows,
    acceptedRows: result.accepted,
    rejectedRows: result.rejected.length,
    reasons: result.rejected.slice(0, MAX_STORED_REASONS).map(({ line, reason }) => `line ${line}: ${reason}`),
    reasonsTotal: result.rejected.length,
    resultKey: outputKey,
  });
  const committed = await store.commit(accepted);
  const removed = await store.removeStale(report);
  if (!committed) {
    await store.record({ ...accepted, outcome: 'superseded' });
    log.info('version lost the race to a newer one', { key: notice.key, sequencer });
    return 'superseded';
  }
  log.info('report accepted', {
    key: notice.key,
    sequencer,
    encoding: result.encoding,
    rows: result.rows,
    acceptedRows: result.accepted,
    rejectedRows: result.rejected.length,
    participantWeeks: result.weeks.length,
    staleItemsRemoved: removed,
  });
  return 'accepted';
}

/** The validation result stored beside the report: counts and every reason, no participant values. */
function resultDocument(base: ReportIdentity & { key: string; versionId?: string; sequencer: string }, result: TimesheetResult) {
  if (!result.ok) return { ...base, outcome: 'rejected', reason: result.reason };
  return {
    ...base,
    outcome: 'accepted',
    encoding: result.encoding,
    rows: result.rows,
    acceptedRows: result.accepted,
    rejectedRows: result.rejected.length,
    rejected: result.rejected,
    participantWeeks: result.weeks.length,
    estimatedWeeks: result.weeks.filter((week) => week.estimated).length,
  };
}
