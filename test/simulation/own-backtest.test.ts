import { describe, expect, it } from 'vitest';
import { bandsOf, OWN_BACKTEST_HORIZON, ownBacktest, type ProjectedBands } from '../../shared/simulation/own-backtest.ts';
import { simulate } from '../../shared/simulation/simulate.ts';
import { series, testContract } from './builders.ts';

const month = (net: number) => ({ outcomePayments: 0, grossBenefitSavings: 0, municipalSavings: 0, attributableSavings: 0, fees: 0, net });

describe("a partnership's own backtest", () => {
  it('checks each earlier band six months on against the observed cumulative net, by hand', () => {
    expect(OWN_BACKTEST_HORIZON).toBe(6);
    const statement = {
      asOf: '2024-09',
      byMonth: [
        { month: '2024-07', ...month(-100) },
        { month: '2024-08', ...month(50) },
        { month: '2024-09', ...month(80) },
      ],
    };
    const earlier: ProjectedBands[] = [
      { asOf: '2024-01', net: [{ month: '2024-07', p10: -150, p90: 0 }] }, // −100 inside
      { asOf: '2024-02', net: [{ month: '2024-08', p10: 60, p90: 90 }] }, // 50 below: a miss
      { asOf: '2024-03', net: [{ month: '2024-09', p10: 80, p90: 80 }] }, // 80 on the edge: inside
      { asOf: '2024-04', net: [{ month: '2024-10', p10: 0, p90: 1 }] }, // 2024-10 not observed yet
      { asOf: '2024-09', net: [{ month: '2025-03', p10: 0, p90: 1 }] }, // the statement's own month: not earlier
    ];
    expect(ownBacktest(statement, earlier)).toEqual({ projections: 3, inside: 2, horizonMonths: 6 });
    expect(ownBacktest(statement, earlier.slice(3))).toBeUndefined();
  });

  it("keeps a statement's projected net band month by month, none without a projection", () => {
    const contract = testContract();
    const input = { contract, weeks: series('A', '2024-W01', 8, { ordinary: 25 }), asOf: '2024-02' };
    const projected = simulate(input, { runs: 30, seed: 1 });
    const bands = bandsOf(projected)!;
    expect(bands.asOf).toBe('2024-02');
    expect(bands.net.map((b) => b.month)).toEqual(projected.projection!.byMonth!.map((b) => b.month));
    expect(bands.net[0]).toEqual({ month: '2024-03', p10: projected.projection!.byMonth![0]!.net.p10, p90: projected.projection!.byMonth![0]!.net.p90 });
    expect(bandsOf(simulate(input, { runs: 0, seed: 1 }))).toBeUndefined();
  });
});
