import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEV_KEY } from '../../cli/command.ts';
import { readScenarioFolder } from '../../cli/scenario-folder.ts';
import { writeScenario } from '../../local/demo/scenario.ts';
import type { WorldShape } from '../../local/demo/worlds.ts';
import { createPseudonymiser } from '../../shared/cpr-numbers.ts';
import { backtest, DEFAULT_BACKTEST_EVERY, type BacktestProjection } from '../../shared/simulation/backtest.ts';
import { DEFAULT_PRIOR } from '../../shared/simulation/projection-prior.ts';

/*
 * Issue 9's acceptance, in small: the projection's P10–P90 bands, backtested the
 * way `pbr simulate` projects a partnership on its own (the programme's default
 * prior, nothing pooled) on three generated worlds the model was not tuned on
 * (seed 4; tuning used seeds 1–3), hold the realised end of the contract in
 * 65–95 % of projections, with misses on both sides. BENCHMARKS.md has the same
 * measurement on more worlds and seeds.
 */

const WORLDS: WorldShape[] = ['steady', 'seasonal', 'closures'];

describe('projection calibration on generated worlds (spec 8)', () => {
  const root = mkdtemp(join(tmpdir(), 'pbr-calibration-'));
  afterAll(async () => rm(await root, { recursive: true, force: true }));

  it('realised municipal savings and net fall inside P10–P90 in 65–95 % of projections, missing on both sides', async () => {
    const projections: BacktestProjection[] = [];
    for (const shape of WORLDS) {
      const dir = join(await root, shape);
      await writeScenario(dir, { seed: 4, scale: 'world', shape });
      const inputs = await readScenarioFolder(dir, createPseudonymiser(DEV_KEY));
      projections.push(...(await backtest(inputs, { runs: 200, seed: 1, prior: DEFAULT_PRIOR, asOf: { every: DEFAULT_BACKTEST_EVERY } })).projections);
    }
    expect(projections.length).toBeGreaterThanOrEqual(60);
    for (const figure of ['municipalSavings', 'net'] as const) {
      const points = projections.map((projection) => projection[figure]);
      const below = points.filter((point) => point.realised < point.p10).length;
      const above = points.filter((point) => point.realised > point.p90).length;
      const inside = (points.length - below - above) / points.length;
      expect({ figure, inside }).toEqual({ figure, inside: expect.toSatisfy((share: number) => share >= 0.65 && share <= 0.95) });
      expect(below).toBeGreaterThan(0);
      expect(above).toBeGreaterThan(0);
    }
  }, 240_000);
});
