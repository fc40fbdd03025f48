import type { StoredStatement } from '../partnerships/ports.ts';
import type { Band } from '../simulation/projection.ts';

/**
 * The headline of a partnership's newest statement, kept beside the statements
 * so the partnership list (98 and more) can show every partnership's net and
 * projection from one query instead of one statement read per partnership.
 */
export interface LatestStatement {
  month: string;
  /** Cumulative net (attributable savings − outcome payments − fees) as of the month, DKK. */
  net: number;
  /** The projected net at the contract's end and the chance it is ≥ 0; null without a projection. */
  projection: { net: Band; probabilityNetNonNegative: number } | null;
  computedAt: string;
  /** The statement's `inputsStamp`: orders two headlines of the same month (the API does not show it). */
  inputsStamp?: string;
}

/** One partnership's statement months and the headline of the newest of them. */
export interface StatementSummary {
  partnership: string;
  /** Months with a statement, ascending. */
  months: string[];
  latest: LatestStatement;
}

/** Reads every partnership's summary at once (one query), for the partnership list. */
export interface StatementSummaryReader {
  statementSummaries(): Promise<StatementSummary[]>;
}

/** The headline of one stored statement. */
export function latestOf(month: string, stored: StoredStatement): LatestStatement {
  const projection = stored.statement.projection;
  return {
    month,
    net: stored.statement.totals.net,
    projection: projection ? { net: projection.net, probabilityNetNonNegative: projection.probabilityNetNonNegative } : null,
    computedAt: stored.computedAt,
    ...(stored.inputsStamp === undefined ? {} : { inputsStamp: stored.inputsStamp }),
  };
}

/**
 * The summary after `stored` was stored as of `month`: the month joins the list,
 * and the headline follows the newest month: a recalculation of an earlier month
 * leaves a later headline alone, and one of the same month from older inputs
 * (a lower `inputsStamp`, as the statement's own conditional put) does too.
 */
export function summaryAfterPut(before: StatementSummary | undefined, partnership: string, month: string, stored: StoredStatement): StatementSummary {
  const months = [...new Set([...(before?.months ?? []), month])].sort();
  const now = before?.latest;
  const newer = !now || month > now.month || (month === now.month && (stored.inputsStamp ?? '') >= (now.inputsStamp ?? ''));
  return { partnership, months, latest: newer ? latestOf(month, stored) : now };
}
