/*
 * Projection benchmark (see BENCHMARKS.md, "Projection"):
 *   node bench/projection.bench.ts [--runs 1000] [--threads N]
 * (a) single-core throughput of simulateRuns in participant-weeks per second,
 * median of 3; (b) the national scenario (98 partnerships, 5,000 participants,
 * 1,000 runs) end to end with simulateInParallel on all cores and on 1 thread;
 * (c) peak RSS; (d) CPU time of the largest what-if the API's work budget
 * admits. Prints a markdown table.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { MAX_SCENARIO_WORK, scenarioCost } from '../shared/api/scenario.ts';
import { simulateInParallel } from '../shared/simulation/parallel.ts';
import { simulate } from '../shared/simulation/simulate.ts';
import { buildProjectionModel } from '../shared/simulation/projection-model.ts';
import { simulateRuns } from '../shared/simulation/projection.ts';
import { evaluate, type StatementInput } from '../shared/simulation/statement.ts';
import { FULL_HORIZON, MONTH_12, nationalScenario, projectedParticipantWeeks, type ScenarioOptions } from './national-scenario.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '1000' }, threads: { type: 'string' } } });
const RUNS = Number(values.runs);
const THREADS = values.threads ? Number(values.threads) : availableParallelism();
/** Runs per repetition of the single-core measurement: enough for about a second of work. */
const SINGLE_CORE_RUNS = 60;
const SEED = 1;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const millions = (x: number) => `${(x / 1e6).toFixed(1)} M`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function cpuModel(): string {
  try {
    return /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * simulateRuns on this thread over every partnership: participant-weeks per second
 * of wall time and per second of this thread's CPU time (which other load on the
 * machine disturbs less), medians of 3.
 */
function singleCore(inputs: StatementInput[]): { rate: number; samples: number[]; cpuRate: number } {
  const prepared = inputs.map((input) => {
    const evaluation = evaluate(input);
    return { evaluation, model: buildProjectionModel(evaluation) };
  });
  const participantWeeks = inputs.reduce((sum, input) => sum + projectedParticipantWeeks(input), 0) * SINGLE_CORE_RUNS;
  simulateRuns(prepared[0]!.evaluation, prepared[0]!.model, SEED, 0, SINGLE_CORE_RUNS); // warm-up
  const samples: number[] = [];
  const cpuSamples: number[] = [];
  for (let rep = 0; rep < 3; rep++) {
    const start = performance.now();
    const cpu = process.threadCpuUsage();
    for (const { evaluation, model } of prepared) simulateRuns(evaluation, model, SEED, 0, SINGLE_CORE_RUNS);
    const used = process.threadCpuUsage(cpu);
    samples.push(participantWeeks / ((performance.now() - start) / 1000));
    cpuSamples.push(participantWeeks / ((used.user + used.system) / 1e6));
  }
  return { rate: median(samples), samples, cpuRate: median(cpuSamples) };
}

/** The whole scenario, statements and projections, on `threads` worker threads. */
async function national(inputs: StatementInput[], threads: number): Promise<{ ms: number; cpuSeconds: number; json: string }> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const statements = await simulateInParallel(inputs, { runs: RUNS, seed: SEED, threads });
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - start, cpuSeconds: (used.user + used.system) / 1e6, json: JSON.stringify(statements) };
}

const loadBefore = loadavg()[0]!.toFixed(2);
const rows: string[][] = [];
const scenarios: [string, ScenarioOptions][] = [
  ['full horizon: as of 2018-12, 156 weeks projected', FULL_HORIZON],
  ['month 12: as of 2019-12, up to 105 weeks projected', MONTH_12],
];
for (const [name, options] of scenarios) {
  const inputs = nationalScenario(options);
  const perRun = inputs.reduce((sum, input) => sum + projectedParticipantWeeks(input), 0);
  const participants = inputs.reduce((sum, input) => sum + (input.roster?.length ?? 0), 0);
  const single = singleCore(inputs);
  rows.push([name, '(a) single-core throughput, participant-weeks/s (median of 3)', `${millions(single.rate)} (${single.samples.map(millions).join(', ')})`]);
  rows.push([name, '(a) the same per second of the thread\'s CPU time', millions(single.cpuRate)]);
  const all = await national(inputs, THREADS);
  const one = await national(inputs, 1);
  const work = `${participants} participants, ${inputs.length} partnerships, ${RUNS} runs, ${millions(perRun * RUNS)} participant-weeks`;
  rows.push([name, `(b) national scenario on ${THREADS} threads (${work}), wall time`, `${seconds(all.ms)} (CPU ${all.cpuSeconds.toFixed(1)} s)`]);
  rows.push([name, '(b) national scenario on 1 thread, wall time', `${seconds(one.ms)} (CPU ${one.cpuSeconds.toFixed(1)} s)`]);
  rows.push([name, `(b) speed-up ${THREADS} threads vs 1; results identical`, `${(one.ms / all.ms).toFixed(2)}×; ${all.json === one.json ? 'yes' : 'NO'}`]);
  rows.push([name, '(b) throughput on all threads, participant-weeks/s', millions((perRun * RUNS) / (all.ms / 1000))]);
}
{
  // (d) The what-if budget (shared/api/scenario.ts): the largest what-if it admits on a realistic partnership, CPU time of this thread.
  const [realistic] = nationalScenario({ ...MONTH_12, partnerships: 1, participants: 200 });
  const perRun = scenarioCost(realistic!, 1).work - scenarioCost(realistic!, 0).work;
  const runs = Math.floor((MAX_SCENARIO_WORK - scenarioCost(realistic!, 0).work) / perRun);
  const cpu = process.threadCpuUsage();
  simulate(realistic!, { runs, seed: SEED });
  const used = process.threadCpuUsage(cpu);
  rows.push(['what-if budget', `(d) largest what-if within ${MAX_SCENARIO_WORK / 1e6} M steps (200 participants, ${runs} runs), CPU time`, seconds((used.user + used.system) / 1000)]);
}
rows.push(['all of the above', '(c) peak RSS of the process (workers included)', `${Math.round(process.resourceUsage().maxRSS / 1024)} MB`]);

console.log(`Machine: ${cpuModel()}, ${availableParallelism()} cores, ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}`);
console.log(`1-minute load average: ${loadBefore} before, ${loadavg()[0]!.toFixed(2)} after (above 0 means other work shared the cores)\n`);
console.log('| scenario | measure | result |\n| --- | --- | --- |');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
