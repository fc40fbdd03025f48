import { createHash } from 'node:crypto';
import type { HoursStore, ReportVersionStatus } from '../ingest/ports.ts';
import type { Logger } from '../logger.ts';
import type { PartnershipStore } from '../partnerships/ports.ts';
import { weeksOfMonth } from '../simulation/cohort.ts';
import { simulate } from '../simulation/simulate.ts';
import { formatStatementCsv } from './statement-format.ts';
import type { RejectedReport, StatementInput } from '../simulation/statement.ts';
import type { Contract } from '../simulation/contract.ts';
import { weekIndexOfLabel } from '../weeks/iso-week.ts';

/** Where statements are published besides DynamoDB. */
export interface StatementOutput {
  putText(key: string, text: string, contentType: string): Promise<void>;
}

/** Monte Carlo runs of a published statement's projection, unless the deployment sets `STATEMENT_RUNS`. */
export const STATEMENT_RUNS = 1000;

export interface RecalculateDependencies {
  hours: HoursStore;
  partnerships: PartnershipStore;
  output: StatementOutput;
  log: Logger;
  /** Monte Carlo runs per statement. */
  runs: number;
  now?: () => Date;
}

/** Where statements are published in the bucket (the recalculation may write only there). */
export const STATEMENTS_PREFIX = 'statements/';

/** `statements/P/YYYY-MM.json|.csv` */
export function statementKey(partnership: string, month: string, format: 'json' | 'csv'): string {
  return `${STATEMENTS_PREFIX}${partnership}/${month}.${format}`;
}

/** A stable seed per (partnership, month): recomputing a statement reproduces its projection. */
function statementSeed(partnership: string, month: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(`${partnership}|${month}`)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

/**
 * Reports a statement lists (spec 2.3, 8): current versions with rejected rows,
 * and uploads rejected whole that came after the version still counted.
 */
export function rejectedReports(statuses: readonly ReportVersionStatus[], asOf: string): RejectedReport[] {
  const byReport = new Map<string, ReportVersionStatus[]>();
  for (const status of statuses) {
    if (status.month > asOf) continue;
    const key = `${status.month}#${status.source}`;
    byReport.set(key, [...(byReport.get(key) ?? []), status]);
  }
  const listed: RejectedReport[] = [];
  for (const versions of byReport.values()) {
    const current = versions.find((v) => v.current);
    const newest = versions.reduce((a, b) => (a.sequencer > b.sequencer ? a : b));
    const shown = newest.outcome === 'rejected' ? newest : current?.rejectedRows ? current : undefined;
    if (!shown) continue;
    listed.push({
      key: shown.key,
      month: shown.month,
      source: shown.source,
      outcome: shown.outcome === 'rejected' ? 'rejected' : 'accepted',
      rejectedRows: shown.rejectedRows,
      reasons: shown.reasonsTotal,
    });
  }
  return listed.sort((a, b) => a.month.localeCompare(b.month) || a.source.localeCompare(b.source));
}

/**
 * What a statement as of `asOf` is computed from, read from the stores: the
 * weekly hours up to that month, the roster and the reports with rejected rows.
 * The monthly recalculation and the what-if API share it (with their own contract).
 */
export async function statementInput(
  partnership: string,
  contract: Contract,
  asOf: string,
  stores: Pick<RecalculateDependencies, 'hours' | 'partnerships'>,
): Promise<StatementInput> {
  const lastWeek = weeksOfMonth(asOf).last;
  const [roster, allWeeks, statuses] = await Promise.all([
    stores.partnerships.roster(partnership),
    stores.hours.weeklyHours(partnership),
    stores.hours.reportStatuses(partnership),
  ]);
  const weeks = allWeeks.filter((week) => weekIndexOfLabel(week.week) <= lastWeek);
  return { contract, weeks, roster, asOf, rejectedReports: rejectedReports(statuses, asOf) };
}

/**
 * Recomputes one partnership's statement as of a month from the stored weekly
 * hours, contract and roster, and publishes it (DynamoDB, S3 JSON and CSV).
 * Idempotent per (partnership, month): the seed is fixed and, when no input has
 * changed, nothing is written again.
 */
export async function recalculateStatement(partnership: string, asOf: string, deps: RecalculateDependencies): Promise<'computed' | 'unchanged' | 'no-contract'> {
  const { partnerships, hours, log } = deps;
  const contract = await partnerships.contract(partnership);
  if (!contract) {
    log.warn('no valid contract: statement not computed', { partnership, asOf });
    return 'no-contract';
  }
  const [input, stored] = await Promise.all([statementInput(partnership, contract, asOf, deps), partnerships.statement(partnership, asOf)]);
  const seed = statementSeed(partnership, asOf);
  const inputsHash = createHash('sha256').update(JSON.stringify({ ...input, runs: deps.runs, seed })).digest('hex');
  if (stored?.inputsHash === inputsHash) {
    log.info('statement unchanged', { partnership, asOf });
    return 'unchanged';
  }
  const statement = simulate(input, { runs: deps.runs, seed });
  await deps.output.putText(statementKey(partnership, asOf, 'json'), JSON.stringify(statement, null, 2), 'application/json; charset=utf-8');
  await deps.output.putText(statementKey(partnership, asOf, 'csv'), formatStatementCsv(statement), 'text/csv; charset=utf-8');
  await partnerships.putStatement(partnership, asOf, { statement, inputsHash, computedAt: (deps.now?.() ?? new Date()).toISOString() });
  log.info('statement computed', { partnership, asOf, outcomes: statement.outcomes.length, net: statement.totals.net });
  return 'computed';
}
