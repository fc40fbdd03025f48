import type { TextEncoding } from '../timesheets/read-csv.ts';
import type { Problem } from '../timesheets/problems.ts';
import type { WeeklyHours } from '../weekly-hours/weekly-hours.ts';
import type { ReportIdentity } from '../uploads/report-key.ts';

/**
 * What became of one uploaded version of a report. `failed`: it could not be
 * processed even after the retries (recorded by the failure handler); it never
 * becomes current, so the version before it still counts.
 */
export type VersionOutcome = 'accepted' | 'rejected' | 'superseded' | 'failed';

/** The status of one processed version (what `pbr reports` lists). Never holds participant values. */
export interface ReportVersionStatus extends ReportIdentity {
  key: string;
  versionId?: string;
  /** Normalised S3 sequencer: orders versions of the same key. */
  sequencer: string;
  processedAt: string;
  outcome: VersionOutcome;
  rows: number;
  acceptedRows: number;
  rejectedRows: number;
  /** `line N: reason` per rejected row, or the reason the file was rejected whole or failed; at most MAX_STORED_REASONS. */
  reasons: string[];
  /** The same reasons as codes (position by position), for the portal to word in Danish; absent on statuses stored before codes. */
  reasonCodes?: CodedReason[];
  reasonsTotal: number;
  /** The encoding the file was read in (spec 2.1), when it was read. */
  encoding?: TextEncoding;
  /** Where the full validation result lies in the bucket. */
  resultKey?: string;
  /** True for the version whose hours count now (filled in when read). */
  current?: boolean;
}

/** A version's problem: a timesheet's (problems.ts), or one of the version itself. */
export type VersionProblem = Problem | { code: 'superseded' } | { code: 'processing-failed' };

/** One reason as codes: the row's line (none for the whole file) and every problem found in it. */
export interface CodedReason {
  line?: number;
  problems: VersionProblem[];
}

/** Reasons kept on the status item; the full list is in the result object. */
export const MAX_STORED_REASONS = 100;

/**
 * Weekly hours per report version, and which version of each report is current.
 * Contributions of versions that are not current are invisible to readers, so a
 * crash between writing and committing leaves nothing a retry cannot repair.
 */
export interface HoursStore {
  currentSequencer(report: ReportIdentity): Promise<string | undefined>;
  /** Idempotent: writing the same version again overwrites the same items. */
  putWeeks(report: ReportIdentity, sequencer: string, weeks: Iterable<WeeklyHours>): Promise<void>;
  /** Makes this version current unless a newer one already is; false when it is not. */
  commit(status: ReportVersionStatus): Promise<boolean>;
  /** Records a version that did not become current (rejected whole or superseded). */
  record(status: ReportVersionStatus): Promise<void>;
  /**
   * Records the status of a version that ran out of retries, unless that version
   * already has a status (a late success is never overwritten) other than this
   * same one (so a repeat completes); false when it had one.
   */
  recordUnlessProcessed(status: ReportVersionStatus): Promise<boolean>;
  /** Deletes every contribution of this report that is not the current version's. */
  removeStale(report: ReportIdentity): Promise<number>;
  /** Current weekly hours of a partnership, summed over reports. */
  weeklyHours(partnership: string): Promise<WeeklyHours[]>;
  /** Every processed version of every report of a partnership, newest first per report. */
  reportStatuses(partnership: string): Promise<ReportVersionStatus[]>;
}
