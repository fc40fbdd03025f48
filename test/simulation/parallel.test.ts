import { describe, expect, it } from 'vitest';
import { MONTH_12, nationalScenario } from '../../bench/national-scenario.ts';
import { projectInParallel, simulateInParallel } from '../../shared/simulation/parallel.ts';
import { buildProjectionModel } from '../../shared/simulation/projection-model.ts';
import { simulateRuns } from '../../shared/simulation/projection.ts';
import { simulate } from '../../shared/simulation/simulate.ts';
import { evaluate, type StatementInput } from '../../shared/simulation/statement.ts';

// Four small partnerships of uneven size; the last one with an attachment fee and a cap that cuts payments.
const inputs: StatementInput[] = nationalScenario({ ...MONTH_12, partnerships: 4, participants: 120, seed: 7 }).map((input, i) =>
  i < 3
    ? input
    : { ...input, contract: { ...input.contract, cap: 60_000, outcomes: [{ id: 'attach', rule: 'referral', price: 3000 }, ...input.contract.outcomes] } },
);
// An odd number of runs, so the ranges the runs are split into are uneven.
const options = { runs: 37, seed: 11 };

const bits = (numbers: Float64Array) => Buffer.from(numbers.buffer, numbers.byteOffset, numbers.byteLength);

describe('simulateInParallel', () => {
  const sequentialRuns = inputs.map((input) => {
    const evaluation = evaluate(input);
    return simulateRuns(evaluation, buildProjectionModel(evaluation), options.seed, 0, options.runs);
  });
  const sequential = inputs.map((input) => simulate(input, options));

  it.each([1, 2, 3])('with %i thread(s) gives the runs of simulateRuns bit for bit', async (threads) => {
    const parallel = await projectInParallel(inputs, { ...options, threads });
    expect(parallel).toHaveLength(inputs.length);
    parallel.forEach((projected, i) => {
      expect(projected.results.length).toBe(options.runs * 3);
      expect(bits(projected.results).equals(bits(sequentialRuns[i]!))).toBe(true);
    });
  });

  it.each([1, 2, 3])('with %i thread(s) returns what simulate returns, in input order', async (threads) => {
    const parallel = await simulateInParallel(inputs, { ...options, threads });
    expect(parallel).toStrictEqual(sequential);
    expect(JSON.stringify(parallel)).toBe(JSON.stringify(sequential));
  });

  it('splits the runs of a single partnership over the threads with the same result', async () => {
    const [one] = await simulateInParallel([inputs[0]!], { runs: 10, seed: 5, threads: 3 });
    expect(one).toStrictEqual(simulate(inputs[0]!, { runs: 10, seed: 5 }));
  });

  it('leaves the projection out with 0 runs, and returns nothing for no inputs', async () => {
    expect(await simulateInParallel(inputs, { runs: 0, seed: 1, threads: 2 })).toStrictEqual(inputs.map((input) => simulate(input, { runs: 0, seed: 1 })));
    expect(await simulateInParallel([], { runs: 10, seed: 1 })).toEqual([]);
  });

  it("rejects with the partnership's name when a worker fails", async () => {
    const bad = { ...inputs[1]!, asOf: '2019-13' };
    await expect(simulateInParallel([inputs[0]!, bad], { ...options, threads: 2 })).rejects.toThrow(/kommune-02.*not a month/s);
  });
});
