import { createHash } from 'node:crypto';
import type { HoursStore, ReportVersionStatus } from '../ingest/ports.ts';
import type { PipelineEvents } from '../events.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { PartnershipStore, StatementBaseline, StoredStatement } from '../partnerships/ports.ts';
import { lastWeekOfMonth } from '../simulation/contract-calendar.ts';
import { compileContract } from '../simulation/evaluator.ts';
import type { ProjectionPrior } from '../simulation/projection-prior.ts';
import { bandsOf, ownBacktest } from '../simulation/own-backtest.ts';
import { simulate } from '../simulation/simulate.ts';
import { adjustmentsOf, baselineOf } from './adjustments.ts';
import { manifestInputs } from './manifest.ts';
import { priorEvidence } from './programme-prior.ts';
import { formatStatementCsv } from './statement-format.ts';
import type { RejectedReport, StatementInput } from '../simulation/statement.ts';
import type { Contract } from '../simulation/contract.ts';
import { monthBefore, weekIndexOfLabel } from '../weeks/iso-week.ts';

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
  /** The git revision baked in at build (`PBR_CODE_VERSION`), named in each statement's manifest; `unknown` without it. */
  codeVersion?: string;
  /**
   * Orders recalculations (see recalculatePartnership): stored with the statement,
   * whose put is refused when a statement from newer inputs is stored.
   */
  inputsStamp?: string;
  /** The programme-wide prior of this partnership's projections (programme-prior.ts); the default when absent. */
  prior?: ProjectionPrior;
  /** StatementsComputed, StatementsUnchanged, ProjectionRuns, RecalculationDuration; none: not recorded. */
  metrics?: Metrics;
  /** Told of every statement published (`Statement published`); none: nothing is published. */
  events?: PipelineEvents;
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

/** The statement input and every report status behind it (the manifest lists the versions counted). */
async function readInput(
  partnership: string,
  contract: Contract,
  asOf: string,
  stores: Pick<RecalculateDependencies, 'hours' | 'partnerships'>,
): Promise<{ input: StatementInput; statuses: ReportVersionStatus[] }> {
  // The as-of month's last week by the contract's calendar: at its edges a month may end a week later.
  const lastWeek = lastWeekOfMonth(compileContract(contract), asOf);
  const [roster, allWeeks, statuses] = await Promise.all([
    stores.partnerships.roster(partnership),
    stores.hours.weeklyHours(partnership),
    stores.hours.reportStatuses(partnership),
  ]);
  const weeks = allWeeks.filter((week) => weekIndexOfLabel(week.week) <= lastWeek);
  return { input: { contract, weeks, roster, asOf, rejectedReports: rejectedReports(statuses, asOf) }, statuses };
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
  return (await readInput(partnership, contract, asOf, stores)).input;
}

/**
 * The baseline adjustments are measured against: the one kept in statement N's
 * record since it was first issued, else (first issue, or a record from before
 * adjustments) statement N−1 as stored now; null when there is none.
 */
async function issuedBaseline(partnership: string, asOf: string, stored: StoredStatement | undefined, store: PartnershipStore): Promise<StatementBaseline | null> {
  if (stored?.baseline !== undefined) return stored.baseline;
  const previous = await store.statement(partnership, monthBefore(asOf));
  return previous ? baselineOf(previous.statement) : null;
}

/**
 * Recomputes one partnership's statement as of a month from the stored weekly
 * hours, contract and roster, and publishes it (DynamoDB, S3 JSON and CSV) with
 * its manifest (spec 8, evidence) and its adjustments against the baseline of
 * N−1 (efterregulering), and how its partnership's earlier projections held up
 * (own-backtest.ts). Idempotent per (partnership, month): the seed is fixed
 * and, when no input, input version, prior, baseline or earlier band has
 * changed, nothing is written again (the moment and the code version are not inputs).
 */
export async function recalculateStatement(partnership: string, asOf: string, deps: RecalculateDependencies): Promise<'computed' | 'unchanged' | 'stale' | 'no-contract'> {
  const { partnerships, log } = deps;
  const contract = await partnerships.contract(partnership);
  if (!contract) {
    log.warn('no valid contract: statement not computed', { partnership, asOf });
    return 'no-contract';
  }
  const seed = statementSeed(partnership, asOf);
  const [{ input, statuses }, stored, contractVersion, rosterVersion, bands] = await Promise.all([
    readInput(partnership, contract, asOf, deps),
    partnerships.statement(partnership, asOf),
    partnerships.currentInput(partnership, 'contract'),
    partnerships.currentInput(partnership, 'roster'),
    partnerships.projectionBands(partnership),
  ]);
  const earlier = bands.filter((b) => b.asOf < asOf);
  const inputs = { ...manifestInputs({ contract: contractVersion, roster: rosterVersion }, statuses, asOf, { seed, runs: deps.runs }), ...(deps.prior ? { prior: priorEvidence(deps.prior) } : {}) };
  const baseline = await issuedBaseline(partnership, asOf, stored, partnerships);
  const inputsHash = createHash('sha256').update(JSON.stringify({ ...input, manifest: inputs, baseline, earlier })).digest('hex');
  if (stored?.inputsHash === inputsHash) {
    log.info('statement unchanged', { partnership, asOf });
    deps.metrics?.count('StatementsUnchanged', 1);
    return 'unchanged';
  }
  const statement = simulate(input, { runs: deps.runs, seed, prior: deps.prior });
  const backtest = ownBacktest(statement, earlier);
  if (statement.projection && backtest) statement.projection.basis.backtest = backtest;
  const computedAt = (deps.now?.() ?? new Date()).toISOString();
  const manifest = { ...inputs, codeVersion: deps.codeVersion ?? 'unknown', computedAt };
  const adjustments = baseline ? adjustmentsOf(statement, baseline) : undefined;
  // The table decides (a conditional put on the stamp); the S3 copies follow only a put that won.
  const record = { statement, inputsHash, computedAt, manifest, baseline, ...(adjustments ? { adjustments } : {}), ...(deps.inputsStamp === undefined ? {} : { inputsStamp: deps.inputsStamp }) };
  if (!(await partnerships.putStatement(partnership, asOf, record))) {
    log.info('statement from newer inputs kept', { partnership, asOf, inputsStamp: deps.inputsStamp });
    return 'stale';
  }
  const kept = bandsOf(statement);
  if (kept) await partnerships.putProjectionBands(partnership, kept);
  await deps.output.putText(statementKey(partnership, asOf, 'json'), JSON.stringify({ ...statement, manifest, adjustments }, null, 2), 'application/json; charset=utf-8');
  await deps.output.putText(statementKey(partnership, asOf, 'csv'), formatStatementCsv(statement), 'text/csv; charset=utf-8');
  log.info('statement computed', { partnership, asOf, outcomes: statement.outcomes.length, net: statement.totals.net });
  deps.metrics?.count('StatementsComputed', 1);
  if (statement.projection) deps.metrics?.count('ProjectionRuns', deps.runs);
  const published = { partnership, asOf, jsonKey: statementKey(partnership, asOf, 'json'), csvKey: statementKey(partnership, asOf, 'csv'), computedAt };
  await deps.events?.publish({ type: 'Statement published', detail: published });
  return 'computed';
}
