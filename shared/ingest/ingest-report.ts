import { readTimesheet, type TimesheetResult } from '../timesheets/read-timesheet.ts';
import type { PipelineEvents } from '../events.ts';
import type { Logger } from '../logger.ts';
import { countRejectedRows, type Metrics } from '../metrics.ts';
import { normaliseSequencer, type ReportNotice } from '../uploads/notice.ts';
import type { RejectedUploadStore, ReportBucket } from '../uploads/ports.ts';
import { MAX_STORED_REASONS, type HoursStore, type ReportVersionStatus, type VersionOutcome } from './ports.ts';
import { rejectUpload } from '../uploads/rejected-upload.ts';
import { readReportKey, type ReportIdentity } from '../uploads/report-key.ts';
import type { RecalculationTrigger } from '../uploads/recalculation-trigger.ts';
import type { WeeklyHours } from '../weekly-hours/weekly-hours.ts';
import { monthBefore } from '../weeks/iso-week.ts';

export interface IngestDependencies {
  bucket: ReportBucket;
  store: HoursStore;
  rejectedUploads: RejectedUploadStore;
  pseudonymise: (participant: string) => string;
  log: Logger;
  /** Told of every version that is current once processed (accepted, or a repeated notice of it); none: nothing is announced. */
  recalculations?: RecalculationTrigger;
  /** ReportsAccepted, ReportsRejected and RowsRejected by reason; none: not recorded. */
  metrics?: Metrics;
  /** Told of every report rejected whole (`Upload rejected`); none: nothing is published. */
  events?: PipelineEvents;
  now?: () => Date;
}

export type IngestOutcome = Exclude<VersionOutcome, 'failed'> | 'duplicate';

/** Why a version that lost to a newer one does not count, in English and as its code. */
export const SUPERSEDED = { reason: 'a newer version of this report was processed first', problem: { code: 'superseded' } } as const;

/** Where validation results live in the bucket (the ingest may write only there). */
export const RESULTS_PREFIX = 'results/';

/** `results/P/YYYY-MM/S/<sequencer>.json`: the full validation result of one version. */
export function resultKey(report: ReportIdentity, sequencer: string): string {
  return `${RESULTS_PREFIX}${report.partnership}/${report.month}/${report.source}/${sequencer}.json`;
}

/** What every status and result document of one report version carries. */
type VersionBase = ReportIdentity & { key: string; versionId?: string; sequencer: string };

/** Builds a version's status record: zero counts unless `fields` says otherwise, stamped now. */
type StatusOf = (outcome: VersionOutcome, fields?: Partial<ReportVersionStatus>) => ReportVersionStatus;

/** A timesheet that could be read (some rows may still be rejected). */
type ReadableTimesheet = Extract<TimesheetResult, { ok: true }>;

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
  const base: VersionBase = { ...report, key: notice.key, versionId: notice.versionId, sequencer };
  const status = statusOf(base, deps.now);

  const skipped = await skipUnlessNewer(report, base, status, deps);
  if (skipped === 'duplicate') await announce(report, deps); // the first run may have crashed before announcing
  if (skipped) return skipped;

  const result = await readTimesheet(
    { name: notice.key, body: await bucket.open(notice.key, notice.versionId), reopen: () => bucket.open(notice.key, notice.versionId), month: report.month, format },
    deps,
  );
  const outputKey = resultKey(report, sequencer);
  await bucket.putJson(outputKey, resultDocument(base, result));

  if (!result.ok) {
    await store.record(status('rejected', { reasons: [result.reason], reasonCodes: [{ problems: [result.problem] }], reasonsTotal: 1, resultKey: outputKey }));
    log.warn('report rejected whole', { key: notice.key, sequencer, reason: result.reason });
    deps.metrics?.count('ReportsRejected', 1, { Reason: result.problem.code });
    await deps.events?.publish({ type: 'Upload rejected', detail: { ...report, key: notice.key, reasonCode: result.problem.code, reason: result.reason } });
    return 'rejected';
  }
  const outcome = await storeAccepted(report, base, result, outputKey, status, deps);
  if (outcome === 'accepted') await announce(report, deps);
  return outcome;
}

/**
 * Asks for the partnership's statements from the month before the report's on
 * (spec 8): the week holding the 1st may be booked in the month before.
 */
function announce(report: ReportIdentity, deps: IngestDependencies): Promise<void> | undefined {
  return deps.recalculations?.recalculateFrom(report.partnership, monthBefore(report.month));
}

function statusOf(base: VersionBase, now: IngestDependencies['now']): StatusOf {
  return (outcome, fields = {}) => ({
    ...base,
    processedAt: (now?.() ?? new Date()).toISOString(),
    outcome,
    rows: 0,
    acceptedRows: 0,
    rejectedRows: 0,
    reasons: [],
    reasonCodes: [],
    reasonsTotal: 0,
    ...fields,
  });
}

/**
 * The outcome when this version is not newer than the current one: a repeated
 * notice finishes what a crashed run may have left; an older version is recorded
 * as superseded. Undefined when the version is newer and should be read.
 */
async function skipUnlessNewer(report: ReportIdentity, base: VersionBase, status: StatusOf, deps: IngestDependencies): Promise<IngestOutcome | undefined> {
  const { store, log } = deps;
  const { key, sequencer } = base;
  const current = await store.currentSequencer(report);
  if (current === undefined || current < sequencer) return undefined;
  if (current === sequencer) {
    await store.removeStale(report); // finish what a crashed run may have left
    log.info('duplicate notice ignored', { key, sequencer });
    return 'duplicate';
  }
  await store.record(status('superseded', { reasons: [SUPERSEDED.reason], reasonCodes: [{ problems: [SUPERSEDED.problem] }], reasonsTotal: 1 }));
  log.info('older version ignored: a newer one is current', { key, sequencer, current });
  return 'superseded';
}

/**
 * Writes the weeks of an accepted version, then commits it as current unless a
 * newer version got there first (then it is recorded as superseded), and removes
 * the weeks of older versions either way.
 */
async function storeAccepted(report: ReportIdentity, base: VersionBase, result: ReadableTimesheet, outputKey: string, status: StatusOf, deps: IngestDependencies): Promise<IngestOutcome> {
  const { store, log } = deps;
  const { key, sequencer } = base;
  await store.putWeeks(report, sequencer, result.weeks);
  const accepted = status('accepted', {
    encoding: result.encoding,
    rows: result.rows,
    acceptedRows: result.accepted,
    rejectedRows: result.rejected.length,
    reasons: result.rejected.slice(0, MAX_STORED_REASONS).map(({ line, reason }) => `line ${line}: ${reason}`),
    reasonCodes: result.rejected.slice(0, MAX_STORED_REASONS).map(({ line, problems }) => ({ line, problems })),
    reasonsTotal: result.rejected.length,
    resultKey: outputKey,
  });
  const committed = await store.commit(accepted);
  const removed = await store.removeStale(report);
  if (!committed) {
    await store.record({ ...accepted, outcome: 'superseded' });
    log.info('version lost the race to a newer one', { key, sequencer });
    return 'superseded';
  }
  log.info('report accepted', {
    key,
    sequencer,
    encoding: result.encoding,
    rows: result.rows,
    acceptedRows: result.accepted,
    rejectedRows: result.rejected.length,
    participantWeeks: result.weeks.length,
    staleItemsRemoved: removed,
  });
  if (deps.metrics) {
    deps.metrics.count('ReportsAccepted', 1);
    countRejectedRows(deps.metrics, result.rejected);
  }
  return 'accepted';
}

/** The validation result stored beside the report: counts and every reason, no participant values. */
function resultDocument(base: VersionBase, result: TimesheetResult) {
  if (!result.ok) return { ...base, outcome: 'rejected', reason: result.reason, problem: result.problem };
  return {
    ...base,
    outcome: 'accepted',
    encoding: result.encoding,
    rows: result.rows,
    acceptedRows: result.accepted,
    rejectedRows: result.rejected.length,
    rejected: result.rejected,
    participantWeeks: result.weeks.length,
    estimatedWeeks: countEstimated(result.weeks),
  };
}

/** Weeks that hold monthly totals spread over weekdays (spec 2.3). */
function countEstimated(weeks: Iterable<WeeklyHours>): number {
  let count = 0;
  for (const week of weeks) if (week.estimated) count++;
  return count;
}
