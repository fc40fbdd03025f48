import { weekLabel } from '../weeks/iso-week.ts';
import { buildProjectionModel } from './projection-model.ts';
import type { ProjectionPrior } from './projection-prior.ts';
import { projectionMonths, simulateRuns, summariseRuns, type Projection } from './projection.ts';
import { evaluate, type Statement, type StatementInput } from './statement.ts';

/** Monte Carlo runs of a projection when the caller does not say (CLI and what-if API). */
export const DEFAULT_RUNS = 1000;
/** PRNG seed when the caller does not say: the same seed gives the same projection. */
export const DEFAULT_SEED = 1;

export interface SimulationOptions {
  /** Monte Carlo runs; 0 leaves the projection out. */
  runs: number;
  seed: number;
  /** Programme-wide prior (spec 8, borrowed strength); DEFAULT_PRIOR when absent. */
  prior?: ProjectionPrior;
}

export type SimulatedStatement = Statement & { projection?: Projection };

/**
 * A partnership's statement as of a month with its projection to the contract's
 * end: what `pbr simulate`, the pipeline and the what-if API all return.
 */
export function simulate(input: StatementInput, options: SimulationOptions): SimulatedStatement {
  const evaluation = evaluate(input);
  if (options.runs <= 0) return evaluation.statement;
  const model = buildProjectionModel(evaluation, options.prior);
  const { months } = projectionMonths(evaluation);
  const monthly = new Float64Array(options.runs * months.length * 3);
  const results = simulateRuns(evaluation, model, options.seed, 0, options.runs, monthly);
  return { ...evaluation.statement, projection: summariseRuns(results, options.seed, weekLabel(evaluation.cc.lastWeek), model.basis, { months, values: monthly }) };
}
