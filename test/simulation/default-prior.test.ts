import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readScenarioFolder } from '../../cli/scenario-folder.ts';
import { writeScenario } from '../../local/demo/scenario.ts';
import { createPseudonymiser } from '../../shared/cpr-numbers.ts';
import { addCounts, emptyCounts } from '../../shared/simulation/careers.ts';
import { careerCountsOf, DEFAULT_PRIOR, formatPrior, learnPrior, parsePrior, pooledPrior } from '../../shared/simulation/projection-prior.ts';

describe('the default prior', () => {
  const dir = mkdtemp(join(tmpdir(), 'pbr-default-prior-'));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));

  it('is the pooled careers of the Region Sjælland scenario (seed 1), every partnership to its end', async () => {
    await writeScenario(await dir, { seed: 1, scale: 'sjaelland' });
    const inputs = await readScenarioFolder(await dir, createPseudonymiser('any key: the counts hold no participant'));
    const pooled = learnPrior(inputs);
    expect(pooled.counts).toEqual(DEFAULT_PRIOR.counts);
    expect(pooled.basis).toEqual(DEFAULT_PRIOR.basis);
    // The source programme's shape: 47 referred, careers that reach paid work and education, and exits.
    expect(pooled.basis.participants).toBe(47);
    const intoState = (s: number) => pooled.counts.transitions.filter((_, i) => i % 7 === s && Math.floor(i / 7 / 13) !== s).reduce((a, v) => a + v, 0);
    expect(intoState(3) + intoState(4)).toBeGreaterThan(0);
    expect(intoState(5)).toBeGreaterThan(0);
    expect(intoState(6)).toBeGreaterThan(0);
    // Pooling is a sum: partnerships can be added in any grouping.
    const [a, b, ...rest] = inputs.map(careerCountsOf);
    expect(pooledPrior([addCounts(addCounts(emptyCounts(), a!), b!), ...rest]).counts).toEqual(pooled.counts);
  }, 60_000);

  it('round-trips through its file, which says it came from a file; a wrong file names the field', () => {
    const read = parsePrior(formatPrior(DEFAULT_PRIOR), 'prior.json');
    expect(read).toEqual({ ...DEFAULT_PRIOR, source: 'file' });
    expect(() => parsePrior(`{"version":${DEFAULT_PRIOR.version}}`, 'p.json')).toThrow(/p\.json: not a projection prior: source/);
    // A prior written by older code (before tenure counts) is refused with what to do, not a list of missing fields.
    const old = { ...JSON.parse(formatPrior(DEFAULT_PRIOR)), version: DEFAULT_PRIOR.version - 1 };
    expect(() => parsePrior(JSON.stringify(old), 'p.json')).toThrow(/p\.json: a version \d+ prior; .*pbr prior/);
    expect(() => parsePrior('not json', 'p.json')).toThrow(/p\.json: not JSON/);
    const broken = JSON.parse(formatPrior(DEFAULT_PRIOR));
    broken.counts.transitions[3] = -1;
    expect(() => parsePrior(JSON.stringify(broken), 'p.json')).toThrow(/counts\.transitions\.3/);
  });

  it('is what a pool of nothing gives', () => {
    expect(pooledPrior([])).toBe(DEFAULT_PRIOR);
  });
});
