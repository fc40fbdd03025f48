import { parentPort } from 'node:worker_threads';
import { weekLabel } from '../weeks/iso-week.ts';
import { buildProjectionModel, type ProjectionModel } from './projection-model.ts';
import type { ProjectionPrior } from './projection-prior.ts';
import { projectionMonths, simulateRuns } from './projection.ts';
import { evaluate, type Evaluation, type StatementInput } from './statement.ts';
import type { ProjectionTask, TaskResult } from './parallel.ts';

/*
 * A worker of `simulateInParallel`: evaluates each partnership it is given from
 * its plain input (once, then kept for further run ranges of it) and runs the
 * run ranges it is asked for. Runs draw from their own PRNG streams, so a range
 * gives the same numbers here as in a sequential `simulateRuns`.
 */

const inputs = new Map<number, { input: StatementInput; prior?: ProjectionPrior }>();
const prepared = new Map<number, { evaluation: Evaluation; model: ProjectionModel; months: string[] }>();

function prepare(index: number) {
  let found = prepared.get(index);
  if (!found) {
    const { input, prior } = inputs.get(index)!;
    const evaluation = evaluate(input);
    found = { evaluation, model: buildProjectionModel(evaluation, prior), months: projectionMonths(evaluation).months };
    prepared.set(index, found);
  }
  return found;
}

parentPort!.on('message', (task: ProjectionTask) => {
  let reply: TaskResult;
  try {
    if (task.input) inputs.set(task.index, { input: task.input, prior: task.prior });
    const { evaluation, model, months } = prepare(task.index);
    const monthly = new Float64Array((task.to - task.from) * months.length * 3);
    const results = simulateRuns(evaluation, model, task.seed, task.from, task.to, monthly);
    reply = {
      index: task.index,
      from: task.from,
      results,
      monthly,
      // The range starting at run 0 brings the statement, so no partnership is evaluated on the main thread.
      ...(task.from === 0 ? { statement: evaluation.statement, until: weekLabel(evaluation.cc.lastWeek), months, basis: model.basis } : {}),
    };
    parentPort!.postMessage(reply, [results.buffer as ArrayBuffer, monthly.buffer as ArrayBuffer]);
  } catch (error) {
    reply = { index: task.index, from: task.from, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    parentPort!.postMessage(reply);
  }
});
