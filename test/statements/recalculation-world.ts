import type { HoursStore, ReportVersionStatus } from '../../shared/ingest/ports.ts';
import { createLogger } from '../../shared/logger.ts';
import type { PartnershipStore, StoredStatement } from '../../shared/partnerships/ports.ts';
import type { Contract } from '../../shared/simulation/contract.ts';
import type { RecalculateDependencies } from '../../shared/statements/recalculate-statement.ts';
import type { WeeklyHours } from '../../shared/weekly-hours/weekly-hours.ts';

/** One uploaded report version: its month, source, sequencer (one width) and weeks. */
export interface ReportVersion {
  month: string;
  source: string;
  sequencer: string;
  weeks: WeeklyHours[];
}

/**
 * In-memory stand-ins for the stores, faithful where ordering matters: a report
 * version becomes current only when newer than the current one (as the ingest
 * commits), hours are summed over the current versions, and a statement put
 * carrying a lower `inputsStamp` than the stored one is refused (as the DynamoDB
 * adapter's conditional put). `gate`, when set, holds the next hours read after
 * it has read them: a test can make one recalculation slow with stale inputs.
 */
export function recalculationWorld(contract: Contract) {
  const current = new Map<string, ReportVersion>();
  const statements = new Map<string, StoredStatement>();
  const published = new Map<string, string>();
  const world = { gate: undefined as Promise<void> | undefined };

  /** The ingest's commit: true when the version became current. */
  const commit = (version: ReportVersion): boolean => {
    const key = `${version.month}#${version.source}`;
    const now = current.get(key);
    if (now && now.sequencer >= version.sequencer) return false;
    current.set(key, version);
    return true;
  };
  const weeklyHours = async (): Promise<WeeklyHours[]> => {
    const gate = world.gate;
    world.gate = undefined;
    const sums = new Map<string, WeeklyHours>();
    for (const version of current.values()) {
      for (const week of version.weeks) {
        const key = `${week.participant}#${week.week}`;
        const sum = sums.get(key);
        sums.set(key, sum ? { ...sum, centiHours: sum.centiHours.map((c, i) => c + week.centiHours[i]!) } : week);
      }
    }
    await gate; // the hours as they were when read, handed back later
    return [...sums.values()].sort((a, b) => a.participant.localeCompare(b.participant) || a.week.localeCompare(b.week));
  };
  const reportStatuses = async (): Promise<ReportVersionStatus[]> =>
    [...current.values()]
      .map(({ month, source, sequencer, weeks }) => ({
        partnership: contract.partnership, month, source, sequencer, key: `reports/${contract.partnership}/${month}/${source}.csv`, versionId: `v${sequencer}`,
        processedAt: '2024-01-01T00:00:00.000Z', outcome: 'accepted' as const, rows: weeks.length, acceptedRows: weeks.length, rejectedRows: 0, reasons: [], reasonsTotal: 0, current: true,
      }))
      .sort((a, b) => a.month.localeCompare(b.month) || a.source.localeCompare(b.source));
  const hours = { weeklyHours, reportStatuses } as Partial<HoursStore> as HoursStore;
  const contractVersion = { key: `contracts/${contract.partnership}.json`, versionId: 'c1', sequencer: '0000000001' };
  const partnerships = {
    contract: async () => contract,
    roster: async () => [],
    currentInputSequencer: async (_p: string, kind: string) => (kind === 'contract' ? contractVersion.sequencer : undefined),
    currentInput: async (_p: string, kind: string) => (kind === 'contract' ? contractVersion : undefined),
    statement: async (_p: string, month: string) => {
      const stored = statements.get(month);
      return stored && (JSON.parse(JSON.stringify(stored)) as StoredStatement);
    },
    putStatement: async (_p: string, month: string, stored: StoredStatement) => {
      if ((statements.get(month)?.inputsStamp ?? '') > (stored.inputsStamp ?? '')) return false;
      statements.set(month, JSON.parse(JSON.stringify(stored)));
      return true;
    },
    statementMonths: async () => [...statements.keys()].sort(),
    careerCounts: async () => [],
    putCareerCounts: async () => {},
    projectionBands: async () => [],
    putProjectionBands: async () => {},
    prior: async () => undefined,
    putPrior: async () => {},
  } as Partial<PartnershipStore> as PartnershipStore;
  const deps: RecalculateDependencies = {
    hours,
    partnerships,
    output: { putText: async (key, text) => void published.set(key, text) },
    log: createLogger('test', () => {}),
    runs: 0,
    codeVersion: 'test',
    now: () => new Date('2024-06-01T06:00:00.000Z'),
  };
  return { world, commit, statements, published, deps };
}
