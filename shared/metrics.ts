/*
 * The pipeline's metrics (CloudWatch, embedded metric format in Lambda), the one list
 * of their names. Every metric also carries the dimension `service` (the function:
 * ingest-report, recalculate-statement, …), which Powertools adds; the namespace is
 * `PbrPartnerships/<stack name>` (infra/pbr-function.ts). README "Deploy to AWS" lists them.
 */

/** Counts, unit Count. */
export const COUNT_METRICS = {
  /** A report version accepted and made current (some rows may still be rejected). */
  ReportsAccepted: 'ReportsAccepted',
  /** A report version rejected whole (dimension Reason: the file problem's code). */
  ReportsRejected: 'ReportsRejected',
  /** Rows of accepted reports that were rejected (dimension Reason: the row's first problem code). */
  RowsRejected: 'RowsRejected',
  /** Statements computed and published. */
  StatementsComputed: 'StatementsComputed',
  /** Statements skipped because no input changed (the idempotent path). */
  StatementsUnchanged: 'StatementsUnchanged',
  /** Monte Carlo runs of the projections of computed statements. */
  ProjectionRuns: 'ProjectionRuns',
} as const;

/** Durations, unit Milliseconds. */
export const DURATION_METRICS = {
  /** One partnership's recalculation (every month of its plan). */
  RecalculationDuration: 'RecalculationDuration',
} as const;

export type CountMetric = keyof typeof COUNT_METRICS;
export type DurationMetric = keyof typeof DURATION_METRICS;

/** The one extra dimension: why a report or row was rejected. */
export interface MetricDimensions {
  /** A reason code (shared/timesheets/problems.ts), or {@link OTHER_REASON}. */
  Reason: string;
}

/** The Reason of a rejection that has no code: a small fixed category, never free text (keeps dimensions few). */
export const OTHER_REASON = 'other';

/**
 * What the use cases record; implemented with Powertools metrics in Lambda
 * (functions/middleware/powertools.ts) and by {@link noMetrics} elsewhere.
 */
export interface Metrics {
  count(name: CountMetric, n: number, dimensions?: MetricDimensions): void;
  duration(name: DurationMetric, ms: number): void;
}

/** Locally and in tests: metrics are not recorded (the local stack has no CloudWatch). */
export const noMetrics: Metrics = { count() {}, duration() {} };

/** Counts per Reason of rejected rows (`problems[0].code`, else OTHER_REASON), one count per reason. */
export function countRejectedRows(metrics: Metrics, rows: readonly { problems?: readonly { code: string }[] }[]): void {
  const byReason = new Map<string, number>();
  for (const row of rows) {
    const reason = row.problems?.[0]?.code ?? OTHER_REASON;
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
  }
  for (const [reason, n] of byReason) metrics.count('RowsRejected', n, { Reason: reason });
}
