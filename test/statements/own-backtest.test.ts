import { describe, expect, it } from 'vitest';
import { recalculatePartnership } from '../../shared/statements/recalculate-partnership.ts';
import { formatStatementText } from '../../shared/statements/statement-format.ts';
import { series, testContract } from '../simulation/builders.ts';
import { inMemoryStores, reportStatus } from './in-memory-stores.ts';

describe('statements report how their partnership\'s earlier projections held up', () => {
  it('the December statement checks January–June against July–December, and says so in Danish', async () => {
    const { world, deps } = inMemoryStores(testContract());
    world.weeks = [...series('A', '2024-W01', 52, (i) => (i % 9 === 8 ? undefined : { ordinary: 25 })), ...series('B', '2024-W03', 40, { training: 12 })];
    const months = ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12'];
    world.statuses = months.map((month, i) => reportStatus(month, 'actor', String(i + 1).padStart(4, '0')));
    await recalculatePartnership({ partnership: 'test', asOf: months }, deps({ runs: 40 }));
    const june = world.statements.get('2024-06')!.statement;
    expect(june.projection!.basis.backtest).toBeUndefined(); // nothing six months old yet
    const december = world.statements.get('2024-12')!.statement;
    const backtest = december.projection!.basis.backtest!;
    expect(backtest).toMatchObject({ projections: 6, horizonMonths: 6 });
    expect(backtest.inside).toBeGreaterThanOrEqual(0);
    expect(backtest.inside).toBeLessThanOrEqual(6);
    // by hand from what is stored: each earlier band at its month + 6 against December's cumulative net
    const realised = new Map(december.byMonth.map((m) => [m.month, m.net]));
    const inside = months.slice(0, 6).filter((asOf, i) => {
      const band = world.bands.get(asOf)!.net.find((b) => b.month === months[i + 6])!;
      return band.p10 <= realised.get(months[i + 6]!)! && realised.get(months[i + 6]!)! <= band.p90;
    }).length;
    expect(backtest.inside).toBe(inside);
    expect(formatStatementText(december)).toContain(`tidligere fremskrivninger holdt i ${inside} af 6 tilfælde nettoresultatet 6 måneder frem inden for P10–P90`);
  });
});
