import type { HoursStore, ReportVersionStatus } from '../../shared/ingest/ports.ts';
import { createLogger } from '../../shared/logger.ts';
import type { InputVersionRef, InputVersionStatus, PartnershipCareers, PartnershipStore, StoredStatement } from '../../shared/partnerships/ports.ts';
import type { Contract } from '../../shared/simulation/contract.ts';
import type { ProjectedBands } from '../../shared/simulation/own-backtest.ts';
import type { ProjectionPrior } from '../../shared/simulation/projection-prior.ts';
import type { RosterEntry } from '../../shared/simulation/roster-entry.ts';
import type { RecalculateDependencies } from '../../shared/statements/recalculate-statement.ts';
import { summaryAfterPut, type StatementSummary } from '../../shared/statements/statement-summary.ts';
import type { WeeklyHours } from '../../shared/weekly-hours/weekly-hours.ts';
import { formatDay, mondayOf, weekIndexOfLabel } from '../../shared/weeks/iso-week.ts';

const weekMonths = new Map<string, [string, string]>();
/** The months a week's days fall in (its Monday's and its Sunday's). */
const monthsOfWeek = (week: string): [string, string] => {
  if (!weekMonths.has(week)) {
    const monday = mondayOf(weekIndexOfLabel(week));
    weekMonths.set(week, [formatDay(monday).slice(0, 7), formatDay(monday + 6).slice(0, 7)]);
  }
  return weekMonths.get(week)!;
};

/** A report version as the hours store lists it, current unless said otherwise. */
export function reportStatus(month: string, source: string, sequencer: string, rest: Partial<ReportVersionStatus> = {}): ReportVersionStatus {
  return {
    partnership: 'test', month, source, key: `reports/test/${month}/${source}.csv`, versionId: `v-${source}-${sequencer}`, sequencer,
    processedAt: '2024-03-01T00:00:00.000Z', outcome: 'accepted', rows: 10, acceptedRows: 10, rejectedRows: 0, reasons: [], reasonsTotal: 0, current: true,
    ...rest,
  };
}

/**
 * In-memory stand-ins for the ports the recalculation reads and writes: the
 * test sets `weeks`, `statuses`, `contract`, `roster` and their versions, and
 * reads back `statements` and `published` (what went to the bucket). `stores`
 * are the same stores with what the API reads beyond the ports (a month range of
 * hours, the statement summaries).
 */
export function inMemoryStores(contract: Contract) {
  const world = {
    contract,
    roster: [] as RosterEntry[],
    versions: { contract: { key: 'contracts/test.json', versionId: 'c1', sequencer: '0001' } as InputVersionRef | undefined, roster: undefined as InputVersionRef | undefined },
    weeks: [] as WeeklyHours[],
    statuses: [] as ReportVersionStatus[],
    inputs: [] as InputVersionStatus[],
    statements: new Map<string, StoredStatement>(),
    published: new Map<string, string>(),
    careers: new Map<string, PartnershipCareers>(),
    priors: new Map<string, ProjectionPrior>(),
    bands: new Map<string, ProjectedBands>(),
    /** What the DynamoDB adapter keeps beside each statement put (statement-summary.ts). */
    summary: undefined as StatementSummary | undefined,
  };
  const hours = {
    weeklyHours: async () => world.weeks,
    reportStatuses: async () => world.statuses,
    // The month range the DynamoDB adapter reads: weeks with a day in it.
    weeklyHoursOfMonths: async (_p: string, from: string, to: string) => world.weeks.filter((w) => monthsOfWeek(w.week)[1] >= from && monthsOfWeek(w.week)[0] <= to),
    reportMonths: async () => [...new Set([...world.statuses.map((s) => s.month), ...world.weeks.flatMap((w) => monthsOfWeek(w.week))])].sort(),
  } as Partial<HoursStore> as HoursStore & { weeklyHoursOfMonths(p: string, from: string, to: string): Promise<WeeklyHours[]>; reportMonths(p: string): Promise<string[]> };
  const partnerships = {
    contract: async () => world.contract,
    roster: async () => world.roster,
    inputStatuses: async () => world.inputs,
    currentInput: async (_p: string, kind: 'contract' | 'roster') => world.versions[kind],
    currentInputSequencer: async (_p: string, kind: 'contract' | 'roster') => world.versions[kind]?.sequencer,
    // A copy through JSON, as DynamoDB would hand it back.
    statement: async (_p: string, month: string) => {
      const stored = world.statements.get(month);
      return stored && (JSON.parse(JSON.stringify(stored)) as StoredStatement);
    },
    putStatement: async (p: string, month: string, stored: StoredStatement) => {
      world.statements.set(month, JSON.parse(JSON.stringify(stored)));
      world.summary = summaryAfterPut(world.summary, p, month, stored);
      return true;
    },
    statementSummaries: async () => (world.summary ? [world.summary] : []),
    statementMonths: async () => [...world.statements.keys()].sort(),
    careerCounts: async () => [...world.careers.values()],
    putCareerCounts: async (careers: PartnershipCareers) => void world.careers.set(careers.partnership, careers),
    projectionBands: async () => [...world.bands.values()].sort((a, b) => (a.asOf < b.asOf ? -1 : 1)),
    putProjectionBands: async (_p: string, bands: ProjectedBands) => void world.bands.set(bands.asOf, bands),
    prior: async (digest: string) => world.priors.get(digest),
    putPrior: async (digest: string, prior: ProjectionPrior) => void world.priors.set(digest, JSON.parse(JSON.stringify(prior))),
  } as Partial<PartnershipStore> as PartnershipStore & { statementSummaries(): Promise<StatementSummary[]> };
  const log = createLogger('test', () => {});
  const deps = (extra: Partial<RecalculateDependencies> = {}): RecalculateDependencies => ({
    hours,
    partnerships,
    output: { putText: async (key, text) => void world.published.set(key, text) },
    log,
    runs: 0,
    codeVersion: 'abc1234',
    now: () => new Date('2024-03-01T06:00:00.000Z'),
    ...extra,
  });
  return { world, deps, stores: { hours, partnerships } };
}
