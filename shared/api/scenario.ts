import { z } from 'zod';
import { safeToRepeat, quoteSafely } from '../cpr-numbers.ts';
import { weeksOfMonth } from '../simulation/cohort.ts';
import { ContractError, MAX_AMOUNT, parseContract, type Contract } from '../simulation/contract.ts';
import { applyOverrides, type Override } from '../simulation/overrides.ts';
import type { Band } from '../simulation/projection.ts';
import type { StoredStatement } from '../partnerships/ports.ts';
import { DEFAULT_PRIOR, type ProjectionPrior } from '../simulation/projection-prior.ts';
import { DEFAULT_RUNS, DEFAULT_SEED, simulate, type SimulatedStatement } from '../simulation/simulate.ts';
import type { StatementInput } from '../simulation/statement.ts';
import { priorEvidence, statementPrior } from '../statements/programme-prior.ts';
import { statementInput, type RecalculateDependencies } from '../statements/recalculate-statement.ts';
import { previousMonth } from '../statements/schedule.ts';
import { dayNumber, weekIndexOfDay } from '../weeks/iso-week.ts';
import { ApiError, monthField } from './request.ts';

/*
 * What-if scenarios (spec 8) for API users, who may be anyone with a token: the
 * overrides are bounded, and the work a scenario needs is estimated from the
 * stored data before anything is simulated, so that one request stays within a
 * few seconds of CPU and a few MB of answer and cannot stall the others.
 * Measured (BENCHMARKS.md, "Projection"): ~35–45 M participant-weeks/s per core
 * here with the spec's 4 outcomes; 31 periodic outcomes firing every week cost
 * about 12× as much per participant-week. A Lambda of 1024 MB has ~0.6 vCPU.
 */

/** Monte Carlo runs one request may ask for. */
export const MAX_RUNS = 5000;
/** Seeds are 32-bit (each run's PRNG stream is keyed by seed and run). */
const MAX_SEED = 2 ** 32 - 1;
/** A scenario may move the contract's start and end this many years beyond the stored contract's dates. */
export const DATE_MARGIN_YEARS = 5;
/** Overrides in one scenario. */
export const MAX_OVERRIDES = 32;
/**
 * Work budget of one scenario, in participant-week-rule steps: participants ×
 * (weeks evaluated + runs × weeks projected) × (outcomes + 1). With the projection of spec 8
 * (duration in state, pauses, a transition table drawn per run) 150 M took 4.0 s of CPU here
 * for the costliest rules, measured under load; 80 M keeps that ≤ 2.5 s, so ≤ 5 s on a Lambda
 * of 1024 MB.
 */
export const MAX_SCENARIO_WORK = 80_000_000;
/** Outcome payments a scenario's statement may list at most (each ~70 bytes of JSON). */
export const MAX_OUTCOME_PAYMENTS = 50_000;
/** Largest answer (Lambda's response limit is 6 MB). */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** Fields that say which partnership a contract is: not parameters of a what-if. */
const IDENTITY_FIELDS = new Set(['partnership', 'municipality', 'name']);
/** A what-if override path: names or indexes joined by ".". */
const OVERRIDE_PATH = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** Why an override path cannot be used, or undefined; never repeats a path that is not safe to. */
function overridePathProblem(path: string): string | undefined {
  if (!safeToRepeat(path)) return `${quoteSafely(path)}: a parameter path has at most 64 characters and 5 digits`;
  if (!OVERRIDE_PATH.test(path) || path.split('.').includes('__proto__')) {
    return `${quoteSafely(path)}: a parameter path is names or indexes joined by "." (e.g. benefit.weeklyRate, outcomes.job_start.price)`;
  }
  if (IDENTITY_FIELDS.has(path.split('.')[0]!)) return `${quoteSafely(path)}: the partnership's identity cannot be changed in a what-if`;
  return undefined;
}

/** The body of POST /partnerships/{id}/scenarios. */
export const scenarioBody = z
  .object({
    asOf: monthField.optional(),
    set: z
      .record(z.string(), z.unknown())
      .default({})
      .superRefine((set, context) => {
        const paths = Object.keys(set);
        if (paths.length > MAX_OVERRIDES) context.addIssue({ code: 'custom', message: `at most ${MAX_OVERRIDES} overrides` });
        for (const path of paths) {
          const problem = overridePathProblem(path);
          if (problem) context.addIssue({ code: 'custom', message: problem });
        }
      })
      .meta({
        description:
          'Overrides by dotted path (an outcome by id or index). Not partnership, municipality or name. ' +
          `Amounts at most ${MAX_AMOUNT}, hours at most 168, dates within the stored contract's ± ${DATE_MARGIN_YEARS} years.`,
        maxProperties: MAX_OVERRIDES,
        propertyNames: { type: 'string', pattern: OVERRIDE_PATH.source, maxLength: 64 },
        examples: [{ 'benefit.weeklyRate': 3100, 'outcomes.job_start.price': 20000 }, { end: '2025-06-30' }, { deadweight: 0.4, cap: 50000 }],
      }),
    runs: z
      .number({ error: 'must be a whole number' })
      .int({ error: 'must be a whole number' })
      .min(0, { error: 'must not be negative' })
      .max(MAX_RUNS, { error: `at most ${MAX_RUNS}` })
      .optional()
      .meta({ description: `Monte Carlo runs; by default the stored statement's runs for the month (at most ${MAX_RUNS}), else ${DEFAULT_RUNS}` }),
    seed: z
      .number({ error: 'must be a whole number' })
      .int({ error: 'must be a whole number' })
      .min(0, { error: 'must not be negative' })
      .max(MAX_SEED, { error: `at most ${MAX_SEED}` })
      .optional()
      .meta({ description: `PRNG seed; by default the stored statement's seed for the month, so that the difference to it is the overrides' alone; else ${DEFAULT_SEED}` }),
  })
  .strict();
export type ScenarioBody = z.infer<typeof scenarioBody>;

/** `date` moved by whole years, as text (a bound to compare ISO dates with, not necessarily a real date). */
const shiftYears = (date: string, years: number) => `${String(Number(date.slice(0, 4)) + years).padStart(4, '0')}${date.slice(4)}`;

/** The body's `set` object (path → value, checked by scenarioBody) as what-if overrides, in the order given. */
export function overridesOfBody(set: ScenarioBody['set']): Override[] {
  return Object.entries(set).map(([path, value]) => ({ path, value }));
}

/** The stored contract with the body's overrides applied and validated, its dates kept near the stored ones. */
export function scenarioContract(stored: Contract, set: ScenarioBody['set']): Contract {
  let contract: Contract;
  try {
    contract = parseContract(applyOverrides(stored, overridesOfBody(set), 'set'), 'scenario');
  } catch (error) {
    if (error instanceof ContractError) throw new ApiError(400, 'the scenario makes the contract invalid', error.problems);
    throw error;
  }
  const [from, to] = [shiftYears(stored.start, -DATE_MARGIN_YEARS), shiftYears(stored.end, DATE_MARGIN_YEARS)];
  const problems = (['start', 'end'] as const)
    .filter((field) => contract[field] < from || contract[field] > to)
    .map((field) => `${field}: must be between ${from} and ${to} (the contract's dates ± ${DATE_MARGIN_YEARS} years)`);
  if (problems.length > 0) throw new ApiError(400, 'the scenario moves the contract too far', problems);
  return contract;
}

const weekOfDate = (date: string) => weekIndexOfDay(dayNumber(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))));

/** What simulating `input` with `runs` runs costs at most: work steps (see MAX_SCENARIO_WORK) and outcome payments listed. */
export function scenarioCost(input: StatementInput, runs: number): { work: number; outcomePayments: number } {
  const { contract } = input;
  const participants = new Set([
    ...(input.roster ?? []).filter((row) => row.partnership === contract.partnership).map((row) => row.participant),
    ...input.weeks.map((week) => week.participant),
  ]).size;
  const [first, last, asOf] = [weekOfDate(contract.start), weekOfDate(contract.end), weeksOfMonth(input.asOf).last];
  const evaluated = Math.max(0, asOf - first + 1);
  const projected = runs > 0 ? Math.max(0, last - asOf) : 0;
  const work = participants * (evaluated + runs * projected) * (contract.outcomes.length + 1);
  const stated = Math.max(0, Math.min(asOf, last) - first + 1);
  const perParticipant = contract.outcomes.reduce((sum, o) => sum + (o.rule === 'periodic' ? Math.min(o.times, Math.ceil(stated / o.weeks)) : 1), 0);
  return { work, outcomePayments: participants * perParticipant };
}

/** Refuses (422) a scenario whose estimated cost is over the budget, saying what to change. */
export function checkScenarioCost(input: StatementInput, runs: number): void {
  const { work, outcomePayments } = scenarioCost(input, runs);
  if (work > MAX_SCENARIO_WORK) {
    const perRun = scenarioCost(input, 1).work - scenarioCost(input, 0).work;
    const fits = perRun > 0 ? Math.max(0, Math.floor((MAX_SCENARIO_WORK - scenarioCost(input, 0).work) / perRun)) : 0;
    throw new ApiError(
      422,
      `this scenario needs about ${Math.ceil(work / 1e6)} million simulation steps; one request may use ${MAX_SCENARIO_WORK / 1e6} million (a few seconds)`,
      [fits > 0 ? `runs: at most ${fits} fit this scenario` : 'runs: use 0 (no projection), a shorter contract or fewer outcomes'],
    );
  }
  if (outcomePayments > MAX_OUTCOME_PAYMENTS) {
    throw new ApiError(422, `this scenario could list up to ${outcomePayments} outcome payments; one answer may list ${MAX_OUTCOME_PAYMENTS}`, [
      'outcomes: use fewer periodic outcomes, fewer times or more weeks between payments',
    ]);
  }
}

/** Stores and clock a scenario reads. */
export type ScenarioDependencies = Pick<RecalculateDependencies, 'hours' | 'partnerships' | 'now'>;

/** The stored statement a what-if is compared with: its month and how its projection was run. */
export interface ScenarioBaseline {
  asOf: string;
  /** Null when the statement records none (stored before manifests, without a projection). */
  seed: number | null;
  runs: number;
  computedAt: string;
  /**
   * Whether the what-if leaned on the same programme-wide prior as the statement.
   * False once other partnerships' careers have moved on since: part of the
   * projection's difference then comes from them, not from the overrides.
   */
  samePrior: boolean;
}

/** The totals a what-if is compared on (spec 7): payments, savings, fees and net (the OpenAPI document lists them too). */
export const SCENARIO_COMPARED_TOTALS = ['outcomePayments', 'municipalSavings', 'attributableSavings', 'fees', 'net'] as const;
/** The projected figures compared (spec 8). */
export const SCENARIO_PROJECTED = ['outcomePayments', 'municipalSavings', 'net'] as const;
type ComparedTotal = (typeof SCENARIO_COMPARED_TOTALS)[number];
type Projected = (typeof SCENARIO_PROJECTED)[number];

/** Scenario − stored statement, in DKK to the øre (probability to 4 decimals), so a reader sees what the overrides change. */
export interface ScenarioDifference {
  totals: Record<ComparedTotal, number>;
  /** Absent unless both have a projection. */
  projection?: Record<Projected, Band> & { probabilityNetNonNegative: number };
}

/** A what-if's answer: its statement, the stored statement it is compared with (null when there is none) and the difference to it. */
export type ScenarioResult = SimulatedStatement & { baseline: ScenarioBaseline | null; difference?: ScenarioDifference };

/** `a − b` rounded to `decimals`, never −0 (a difference that vanishes is 0). */
const roundedDifference = (a: number, b: number, decimals: number) => Math.round((a - b) * 10 ** decimals) / 10 ** decimals + 0;
const ore = (a: number, b: number) => roundedDifference(a, b, 2);

/** How the stored statement ran its projection: its manifest, else (stored before manifests) its projection, else it had none (0 runs, no seed). */
function recordedRun(stored: StoredStatement): { seed: number | null; runs: number } {
  const recorded = stored.manifest ?? stored.statement.projection;
  return { seed: recorded?.seed ?? null, runs: recorded?.runs ?? 0 };
}

/** Runs and seed of a what-if: the body's, else the stored statement's (runs bounded by MAX_RUNS), else the defaults. */
export function scenarioRun(body: Pick<ScenarioBody, 'runs' | 'seed'>, stored: StoredStatement | undefined): { runs: number; seed: number } {
  const recorded = stored ? recordedRun(stored) : { seed: null, runs: DEFAULT_RUNS };
  return { runs: body.runs ?? Math.min(recorded.runs, MAX_RUNS), seed: body.seed ?? recorded.seed ?? DEFAULT_SEED };
}

/** The stored statement as a baseline (null without one), and whether `prior` is the one it used (a manifest without one: the default). */
export function scenarioBaseline(asOf: string, stored: StoredStatement | undefined, prior: ProjectionPrior): ScenarioBaseline | null {
  if (!stored) return null;
  const storedDigest = (stored.manifest?.prior ?? priorEvidence(DEFAULT_PRIOR)).digest;
  return { asOf, ...recordedRun(stored), computedAt: stored.computedAt, samePrior: storedDigest === priorEvidence(prior).digest };
}

/** Scenario − stored, per compared total and, when both have one, per projected percentile and the probability net ≥ 0. */
export function scenarioDifference(scenario: SimulatedStatement, stored: SimulatedStatement): ScenarioDifference {
  const totals = Object.fromEntries(SCENARIO_COMPARED_TOTALS.map((key) => [key, ore(scenario.totals[key], stored.totals[key])])) as ScenarioDifference['totals'];
  const [a, b] = [scenario.projection, stored.projection];
  if (!a || !b) return { totals };
  const band = (key: Projected): Band => ({ p10: ore(a[key].p10, b[key].p10), p50: ore(a[key].p50, b[key].p50), p90: ore(a[key].p90, b[key].p90) });
  const projection = {
    ...(Object.fromEntries(SCENARIO_PROJECTED.map((key) => [key, band(key)])) as Record<Projected, Band>),
    probabilityNetNonNegative: roundedDifference(a.probabilityNetNonNegative, b.probabilityNetNonNegative, 4),
  };
  return { totals, projection };
}

/**
 * Simulates a what-if for a partnership the caller may see, with the stored
 * statement's seed and runs unless the body says otherwise and the prior the
 * statement was projected with (kept by digest; the programme prior of now for a
 * statement from before that: `baseline.samePrior` is then false), so that without
 * overrides it reproduces the statement and the difference is the overrides'
 * alone; the answer as JSON text, within MAX_RESPONSE_BYTES.
 */
export async function runScenario(partnership: string, body: ScenarioBody, deps: ScenarioDependencies): Promise<string> {
  const storedContract = await deps.partnerships.contract(partnership);
  if (!storedContract) throw new ApiError(404, `partnership "${partnership}" has no valid contract`);
  const contract = scenarioContract(storedContract, body.set);
  const asOf = body.asOf ?? (await deps.partnerships.statementMonths(partnership)).at(-1) ?? previousMonth(deps.now?.() ?? new Date());
  const [input, stored] = await Promise.all([statementInput(partnership, contract, asOf, deps), deps.partnerships.statement(partnership, asOf)]);
  const prior = await statementPrior(partnership, stored, deps.partnerships);
  const run = scenarioRun(body, stored);
  checkScenarioCost(input, run.runs);
  const statement: SimulatedStatement = simulate(input, { ...run, prior });
  const result: ScenarioResult = { ...statement, baseline: scenarioBaseline(asOf, stored, prior), ...(stored ? { difference: scenarioDifference(statement, stored.statement) } : {}) };
  const text = JSON.stringify(result);
  if (Buffer.byteLength(text) > MAX_RESPONSE_BYTES) {
    throw new ApiError(422, `the scenario's statement is larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MB; ask for an earlier as-of month or fewer outcomes`);
  }
  return text;
}
