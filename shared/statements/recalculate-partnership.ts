import { priorEvidence, programmePrior, recordCareers } from './programme-prior.ts';
import { recalculateStatement, statementInput, type RecalculateDependencies } from './recalculate-statement.ts';
import { FIRST_MONTH } from '../uploads/recalculation-trigger.ts';
import type { RecalculationPlan } from './recalculation-queue.ts';

/** What one partnership's recalculation did, month by month. */
export interface PartnershipRecalculation {
  partnership: string;
  computed: string[];
  unchanged: string[];
  /** Months a recalculation from newer inputs had already stored: left as they are. */
  stale: string[];
}

/**
 * The months a plan covers, ascending: every stored statement month from `from`
 * on (through the latest stored month), and every `asOf` month. Months never
 * stated are not filled in: the schedule and `pbr recalc` decide which exist.
 */
export function monthsToRecalculate(plan: Pick<RecalculationPlan, 'from' | 'asOf'>, storedMonths: readonly string[]): string[] {
  const { from } = plan;
  const fromStored = from === undefined ? [] : storedMonths.filter((month) => from === FIRST_MONTH || month >= from);
  return [...new Set([...fromStored, ...plan.asOf])].sort();
}

/**
 * The stamp that orders recalculations: the highest sequencer among the inputs
 * in use (contract, roster, current report versions), read before the inputs
 * themselves, so the inputs read are at least this new. Sequencers share one
 * width, so strings compare.
 */
export async function inputsStamp(partnership: string, deps: Pick<RecalculateDependencies, 'hours' | 'partnerships'>): Promise<string> {
  const [contract, roster, statuses] = await Promise.all([
    deps.partnerships.currentInputSequencer(partnership, 'contract'),
    deps.partnerships.currentInputSequencer(partnership, 'roster'),
    deps.hours.reportStatuses(partnership),
  ]);
  const sequencers = [contract, roster, ...statuses.filter((status) => status.current).map((status) => status.sequencer)];
  return sequencers.reduce<string>((highest, sequencer) => (sequencer !== undefined && sequencer > highest ? sequencer : highest), '');
}

/**
 * Recalculates one partnership's statements as a plan asks (spec 8, "always
 * current"): the months in ascending order, each through `recalculateStatement`
 * (idempotent: unchanged inputs write nothing), each write stamped with the
 * inputs stamp so an older recalculation never overwrites a newer one. A month
 * a newer recalculation has stored is left alone and the next month goes on
 * (the newer one may have covered only that month). Projections lean on the
 * other partnerships' pooled careers; this one's are recorded for theirs.
 */
export async function recalculatePartnership(plan: RecalculationPlan, deps: RecalculateDependencies): Promise<PartnershipRecalculation> {
  const started = performance.now();
  try {
    return await recalculateMonths(plan, deps);
  } finally {
    deps.metrics?.duration('RecalculationDuration', performance.now() - started);
  }
}

/** recalculatePartnership without the timing. */
async function recalculateMonths(plan: RecalculationPlan, deps: RecalculateDependencies): Promise<PartnershipRecalculation> {
  const { partnership } = plan;
  const result: PartnershipRecalculation = { partnership, computed: [], unchanged: [], stale: [] };
  const months = monthsToRecalculate(plan, plan.from === undefined ? [] : await deps.partnerships.statementMonths(partnership));
  if (months.length === 0) return result;
  const readOnce = readInputsOnce(partnership, deps);
  const [stamp, prior] = await Promise.all([inputsStamp(partnership, readOnce), programmePrior(partnership, deps.partnerships)]);
  const stamped = { ...readOnce, inputsStamp: stamp, prior };
  for (const month of months) {
    const outcome = await recalculateStatement(partnership, month, stamped);
    if (outcome === 'no-contract') return result;
    result[outcome].push(month);
  }
  if (result.computed.length === 0) return result;
  // The prior kept by digest (what-ifs reuse it), and the careers as of the latest month stated, for the other partnerships' priors.
  await deps.partnerships.putPrior(priorEvidence(prior).digest, prior);
  const contract = await deps.partnerships.contract(partnership);
  if (contract) await recordCareers(await statementInput(partnership, contract, months.at(-1)!, stamped), deps.partnerships);
  return result;
}

/**
 * The plan's inputs, read once: every month of a plan reads the same contract,
 * roster, input versions, weekly hours and report statuses and filters them by its
 * month, so a partnership's full history costs one read of its hours, not one per
 * month. The statuses are the very ones the stamp is taken from, and the rest is
 * read after them, so the inputs are at least as new as the stamp. Statements and
 * bands are not cached: each month reads the one written before it.
 */
function readInputsOnce<D extends Pick<RecalculateDependencies, 'hours' | 'partnerships'>>(partnership: string, deps: D): D {
  const reads = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    if (!reads.has(key)) reads.set(key, read());
    return reads.get(key) as Promise<T>;
  };
  const cached = <S extends object>(store: S, names: readonly string[]): S =>
    new Proxy(store, {
      get(target, name) {
        const value: unknown = Reflect.get(target, name);
        if (typeof value !== 'function') return value;
        const method = value as (...args: unknown[]) => Promise<unknown>;
        if (typeof name !== 'string' || !names.includes(name)) return method.bind(target);
        return (...args: unknown[]) => (args[0] === partnership ? once(`${name}|${args.join('|')}`, () => method.apply(target, args)) : method.apply(target, args));
      },
    });
  return {
    ...deps,
    hours: cached(deps.hours, ['weeklyHours', 'reportStatuses']),
    partnerships: cached(deps.partnerships, ['contract', 'roster', 'currentInput', 'currentInputSequencer']),
  };
}
