import type { Logger } from '../logger.ts';
import { scrubDigitRuns } from '../cpr-numbers.ts';
import { readInputKey } from '../uploads/input-key.ts';
import type { InputVersionStatus, PartnershipStore } from '../partnerships/ports.ts';
import { resultKey, SUPERSEDED } from './ingest-report.ts';
import { normaliseSequencer, type ReportNotice } from '../uploads/notice.ts';
import type { RejectedUploadStore, ReportBucket } from '../uploads/ports.ts';
import type { HoursStore, ReportVersionStatus } from './ports.ts';
import { rejectUpload } from '../uploads/rejected-upload.ts';
import { readReportKey, REPORTS_PREFIX } from '../uploads/report-key.ts';

/*
 * The failure path (spec 2.2, issue 7 "no report without a status"): a notification
 * that still fails after Lambda's retries reaches the failure handler, which stores
 * a `failed` status with a reason a person can act on. Error messages of our own
 * code may quote cells, so only the error's class travels, or AWS's own message.
 */

const ERROR_NAME = /^[A-Za-z][A-Za-z0-9_.]{0,79}$/;
const MAX_MESSAGE = 200;

/** A text with every digit run that could be a CPR number masked, cut to `length`. */
const masked = (text: string, length: number) => scrubDigitRuns(text).slice(0, length);

/**
 * An error in words that are safe to store and log: AWS service errors with
 * their class, HTTP status and AWS's message (digit runs masked); anything else
 * only by its class, since our own messages may quote participant values.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return 'an unexpected error (details in the function logs)';
  const name = ERROR_NAME.test(error.name) ? error.name : 'Error';
  const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
  if (metadata && '$fault' in error) {
    const message = masked(error.message, MAX_MESSAGE);
    return `AWS ${name}${metadata.httpStatusCode ? ` (HTTP ${metadata.httpStatusCode})` : ''}: ${message}`;
  }
  return `an unexpected ${name} (details in the function logs)`;
}

/** One object of an event that failed, with the safe description of why. */
export interface ObjectFailure {
  sequencer: string;
  reason: string;
}

/**
 * Thrown by a handler when objects of its event failed. Its message is JSON of
 * the failures (sequencer, safe reason): Lambda passes it to the failure handler
 * as `errorMessage`, so the stored status can say what went wrong.
 */
export class ObjectsFailedError extends Error {
  constructor(failures: readonly ObjectFailure[]) {
    super(JSON.stringify(failures));
    this.name = 'ObjectsFailedError';
  }
}

/** Lambda's account of the failed invocation (the destination event, already validated). */
export interface InvocationFailure {
  condition: string;
  attempts: number;
  errorType?: string;
  errorMessage?: string;
}

/** What the last attempt's error says about one object, in safe words. */
function failureDetail(failure: InvocationFailure, sequencer: string): string {
  const { errorType, errorMessage } = failure;
  if (errorType === 'ObjectsFailedError' && errorMessage) {
    try {
      const listed = (JSON.parse(errorMessage) as ObjectFailure[]).find((f) => f.sequencer === sequencer);
      if (listed && typeof listed.reason === 'string') return masked(listed.reason, 2 * MAX_MESSAGE);
    } catch {
      // not our JSON after all: fall back to the class
    }
  }
  if (errorType === 'Sandbox.Timedout') return 'it took longer than the function may run (is the file very large?)';
  if (errorType === 'Runtime.OutOfMemory') return 'it needed more memory than the function has (is the file very large?)';
  return errorType && ERROR_NAME.test(errorType) ? `the last attempt failed with ${errorType}` : 'the last attempt failed';
}

/** The reason stored on a `failed` status: what happened, why, and what to do. */
export function failureReason(failure: InvocationFailure, sequencer: string): string {
  const attempts = `${failure.attempts} attempt${failure.attempts === 1 ? '' : 's'}`;
  const what = failure.condition === 'EventAgeExceeded' ? `was not processed in time (${attempts})` : `could not be processed after ${attempts}`;
  return `${what}: ${failureDetail(failure, sequencer)}; upload it again`;
}

export interface FailureDependencies {
  hours: HoursStore;
  partnerships: PartnershipStore;
  rejectedUploads: RejectedUploadStore;
  results: Pick<ReportBucket, 'putJson'>;
  log: Logger;
  now?: () => Date;
}

/** What the failure handler did for one object. */
export type FailureOutcome = 'failed' | 'superseded' | 'rejected' | 'already-processed';

/**
 * Stores the status of an upload that ran out of retries: `failed` with `reason`,
 * or `superseded` when a newer version is already current (a newer version wins,
 * so the failed one would not have counted), or the rejected-upload record of a
 * key that is not valid. A version that already has a status (a late success, a
 * rejection) keeps it; running this twice changes nothing more.
 */
export async function recordIngestFailure(notice: ReportNotice, reason: string, deps: FailureDependencies): Promise<FailureOutcome> {
  const sequencer = normaliseSequencer(notice.sequencer);
  const processedAt = (deps.now?.() ?? new Date()).toISOString();
  if (!notice.key.startsWith(REPORTS_PREFIX)) return recordInputFailure(notice, sequencer, processedAt, reason, deps);
  const reading = readReportKey(notice.key);
  if (!reading.ok) return rejectUpload(notice, reading, deps);
  const { report } = reading;
  const current = await deps.hours.currentSequencer(report);
  if (current === sequencer) return 'already-processed';
  const outcome = current !== undefined && current > sequencer ? 'superseded' : 'failed';
  const reasons = [outcome === 'failed' ? reason : SUPERSEDED.reason];
  const problem = outcome === 'failed' ? { code: 'processing-failed' as const } : SUPERSEDED.problem;
  const status: ReportVersionStatus = {
    ...report, key: notice.key, versionId: notice.versionId, sequencer, processedAt, outcome,
    rows: 0, acceptedRows: 0, rejectedRows: 0, reasons, reasonCodes: [{ problems: [problem] }], reasonsTotal: 1, resultKey: resultKey(report, sequencer),
  };
  if (!(await deps.hours.recordUnlessProcessed(status))) return 'already-processed';
  // The result object may say "accepted" from an attempt that then failed to store the hours.
  await deps.results.putJson(status.resultKey!, { ...report, key: notice.key, versionId: notice.versionId, sequencer, outcome, reason: reasons[0] });
  deps.log.error(`report ${outcome} after its retries`, { key: notice.key, sequencer, reason: reasons[0] });
  return outcome;
}

async function recordInputFailure(notice: ReportNotice, sequencer: string, processedAt: string, reason: string, deps: FailureDependencies): Promise<FailureOutcome> {
  const reading = readInputKey(notice.key);
  if (!reading.ok) return rejectUpload(notice, reading, deps);
  const { kind, partnership } = reading;
  const current = await deps.partnerships.currentInputSequencer(partnership, kind);
  if (current === sequencer) return 'already-processed';
  const outcome = current !== undefined && current > sequencer ? 'superseded' : 'failed';
  const status: InputVersionStatus = {
    partnership, kind, key: notice.key, versionId: notice.versionId, sequencer, processedAt, outcome,
    problems: [outcome === 'failed' ? reason : 'a newer version was processed first'],
  };
  if (!(await deps.partnerships.recordInputUnlessProcessed(status))) return 'already-processed';
  deps.log.error(`${kind} ${outcome} after its retries`, { key: notice.key, sequencer, reason: status.problems[0] });
  return outcome;
}
