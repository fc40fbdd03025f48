import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ProjectionBasis } from './projection-model.ts';
import type { ProjectionPrior } from './projection-prior.ts';
import { summariseRuns, type MonthlyResults } from './projection.ts';
import type { SimulatedStatement, SimulationOptions } from './simulate.ts';
import type { Statement, StatementInput } from './statement.ts';

/*
 * `simulate` for one or many partnerships on all cores: the projection runs are
 * split into ranges over a pool of worker threads, each worker evaluating a
 * partnership from its plain input and running its ranges with `simulateRuns`.
 * Every run has its own PRNG stream keyed by (seed, run) and the ranges are put
 * back in run order, so the results are bit for bit those of `simulate`,
 * whatever the number of threads.
 */

export interface ParallelOptions extends SimulationOptions {
  /** Worker threads (default: os.availableParallelism()). */
  threads?: number;
  /** Per input, its own prior (a backtest leaves each partnership out of its prior); else `prior` for all. */
  priors?: readonly ProjectionPrior[];
}

/** Runs [from, to) of partnership `index`; `input` comes along the first time a worker meets the partnership. */
export interface ProjectionTask {
  index: number;
  input?: StatementInput;
  prior?: ProjectionPrior;
  seed: number;
  from: number;
  to: number;
}

/** A worker's answer: the range's results (3 numbers per run, and 3 per month per run), with the statement for the range from run 0. */
export type TaskResult =
  | { index: number; from: number; results: Float64Array; monthly: Float64Array; statement?: Statement; until?: string; months?: string[]; basis?: ProjectionBasis; error?: undefined }
  | { index: number; from: number; error: string };

/** A partnership's statement and its projection runs' raw results (3 per run, in run order), also month by month. */
export interface ProjectedRuns {
  statement: Statement;
  results: Float64Array;
  monthly: MonthlyResults;
  /** Contract end week the runs go to. */
  until: string;
  basis: ProjectionBasis;
}

/** Ranges per thread: enough for the pool to balance uneven partnerships. */
const RANGES_PER_THREAD = 4;

/** Statements and raw projection results of every input, computed on a pool of worker threads. */
export async function projectInParallel(inputs: readonly StatementInput[], options: ParallelOptions): Promise<ProjectedRuns[]> {
  if (inputs.length === 0) return [];
  const runs = Math.max(0, options.runs);
  const threads = Math.max(1, options.threads ?? availableParallelism());

  // Largest partnerships first (their ranges are the longest), each split into equal ranges.
  const rangesPerInput = Math.max(1, Math.min(runs, Math.ceil((RANGES_PER_THREAD * threads) / inputs.length)));
  const size = Math.max(1, Math.ceil(runs / rangesPerInput));
  const participants = inputs.map((input) => new Set([...(input.roster ?? []).map((r) => r.participant), ...input.weeks.map((w) => w.participant)]).size);
  const order = inputs.map((_, index) => index).sort((a, b) => participants[b]! - participants[a]!);
  const queue: ProjectionTask[] = [];
  for (const index of order) {
    for (let from = 0; from === 0 || from < runs; from += size) queue.push({ index, seed: options.seed, from, to: Math.min(runs, from + size) });
  }

  const outputs = inputs.map(() => ({ statement: undefined as Statement | undefined, results: new Float64Array(runs * 3), monthly: new Float64Array(0), months: [] as string[], until: '', basis: undefined as ProjectionBasis | undefined }));
  const workers = Array.from({ length: Math.min(threads, queue.length) }, () => new Worker(new URL('./projection-worker.ts', import.meta.url)));
  try {
    await new Promise<void>((resolve, reject) => {
      let remaining = queue.length;
      const next = (worker: Worker, known: Set<number>) => {
        const task = queue.shift();
        if (!task) return;
        if (!known.has(task.index)) (task.input = inputs[task.index]), (task.prior = options.priors?.[task.index] ?? options.prior), known.add(task.index);
        worker.postMessage(task);
      };
      for (const worker of workers) {
        const known = new Set<number>();
        worker.on('message', (reply: TaskResult) => {
          if (reply.error !== undefined) return reject(new Error(`projection of ${inputs[reply.index]!.contract.partnership} failed in a worker: ${reply.error}`));
          const output = outputs[reply.index]!;
          output.results.set(reply.results, reply.from * 3);
          const perRun = reply.results.length > 0 ? reply.monthly.length / (reply.results.length / 3) : 0;
          if (output.monthly.length !== runs * perRun) output.monthly = new Float64Array(runs * perRun);
          output.monthly.set(reply.monthly, reply.from * perRun);
          if (reply.statement) (output.statement = reply.statement), (output.until = reply.until!), (output.months = reply.months!), (output.basis = reply.basis);
          if (--remaining === 0) resolve();
          else next(worker, known);
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (remaining > 0) reject(new Error(`projection worker exited with code ${code} before finishing`));
        });
        next(worker, known);
      }
    });
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return outputs.map((output) => ({ statement: output.statement!, results: output.results, monthly: { months: output.months, values: output.monthly }, until: output.until, basis: output.basis! }));
}

/**
 * `simulate` (statement plus projection) for each input, in input order, with the
 * projection runs spread over worker threads; the same seed gives the same result
 * as `simulate`, bit for bit.
 */
export async function simulateInParallel(inputs: readonly StatementInput[], options: ParallelOptions): Promise<SimulatedStatement[]> {
  const projected = await projectInParallel(inputs, options);
  return projected.map(({ statement, results, monthly, until, basis }) =>
    options.runs <= 0 ? statement : { ...statement, projection: summariseRuns(results, options.seed, until, basis, monthly) },
  );
}
