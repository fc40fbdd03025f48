import { describe, expect, it } from 'vitest';
import { careerCountsOf, DEFAULT_PRIOR, pooledPrior } from '../../shared/simulation/projection-prior.ts';
import { programmePrior, recordCareers, statementPrior } from '../../shared/statements/programme-prior.ts';
import { recalculatePartnership } from '../../shared/statements/recalculate-partnership.ts';
import type { PartnershipCareers } from '../../shared/partnerships/ports.ts';
import { series, testContract } from '../simulation/builders.ts';
import { inMemoryStores, reportStatus } from './in-memory-stores.ts';

/** A partnership's input: `people` in training, then paid work, through March 2024. */
function inputOf(partnership: string, people: number) {
  const contract = testContract((d) => (d.partnership = partnership));
  const weeks = Array.from({ length: people }, (_, p) => [
    ...series(`${partnership}-${p}`, '2024-W01', 6, { training: 12 }),
    ...series(`${partnership}-${p}`, '2024-W07', 6, { ordinary: 25 }),
  ]).flat();
  return { contract, weeks, asOf: '2024-03' };
}

describe('the programme-wide prior in the pipeline (spec 8, borrowed strength)', () => {
  const store = () => {
    const careers = new Map<string, PartnershipCareers>();
    return { careers, careerCounts: async () => [...careers.values()], putCareerCounts: async (c: PartnershipCareers) => void careers.set(c.partnership, c) };
  };

  it('pools every other partnership, never the partnership itself; the default when there is no other', async () => {
    const s = store();
    const [a, b, c] = [inputOf('a', 3), inputOf('b', 5), inputOf('c', 2)];
    expect(await programmePrior('a', s)).toBe(DEFAULT_PRIOR);
    for (const input of [a, b, c]) await recordCareers(input, s);
    expect(s.careers.get('b')).toEqual({ partnership: 'b', asOf: '2024-03', counts: careerCountsOf(b) });
    const prior = await programmePrior('a', s);
    expect(prior).toEqual(pooledPrior([careerCountsOf(b), careerCountsOf(c)]));
    expect(prior.basis).toMatchObject({ partnerships: 2, participants: 7 });
    expect(await programmePrior('a', { careerCounts: async () => [s.careers.get('a')!] })).toBe(DEFAULT_PRIOR);
  });

  it("a recalculation projects with the others' pooled careers, says so in its manifest and basis, and records its own", async () => {
    const other = inputOf('other', 4);
    const { world, deps } = inMemoryStores(testContract());
    world.weeks = inputOf('test', 2).weeks.map((w) => ({ ...w, participant: w.participant.replace('test', 'x') }));
    world.statuses = ['2024-01', '2024-02', '2024-03'].map((month, i) => reportStatus(month, 'actor', `000${i + 1}`));
    await deps().partnerships.putCareerCounts({ partnership: 'other', asOf: '2024-03', counts: careerCountsOf(other) });
    await recalculatePartnership({ partnership: 'test', asOf: ['2024-02', '2024-03'] }, deps({ runs: 50 }));
    const stored = world.statements.get('2024-03')!;
    expect(stored.manifest!.prior).toMatchObject({ source: 'pooled', partnerships: 1, participantWeeks: careerCountsOf(other).participantWeeks });
    expect(stored.statement).toHaveProperty('projection.basis.prior', { source: 'pooled', partnerships: 1, participantWeeks: careerCountsOf(other).participantWeeks });
    // Its own careers, as of the latest month stated, are now there for the others.
    expect(world.careers.get('test')).toMatchObject({ partnership: 'test', asOf: '2024-03' });
    expect(world.careers.get('test')!.counts.participants).toBe(2);
  });
});

describe('counts and priors stored by an earlier version', () => {
  it('are left out of the pool, and a what-if falls back to the prior of now', async () => {
    const b = inputOf('b', 3);
    const careers = [
      { partnership: 'old', asOf: '2024-03', counts: { transitions: [1, 2, 3] } as never },
      { partnership: 'b', asOf: '2024-03', counts: careerCountsOf(b) },
    ];
    const store = { careerCounts: async () => careers, prior: async () => ({ version: 1, counts: {} }) as never };
    expect(await programmePrior('a', store)).toEqual(pooledPrior([careerCountsOf(b)]));
    const stored = { manifest: { prior: { digest: 'abc' } } } as never;
    expect(await statementPrior('a', stored, store)).toEqual(pooledPrior([careerCountsOf(b)]));
  });
});
