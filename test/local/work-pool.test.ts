import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { workPool } from '../../local/notification-delivery.ts';

/*
 * The local stack delivers a few invocations at once (as Lambda does), but never
 * two versions of one object key at once, and a barrier (the redelivery after a
 * crash) runs alone before anything queued after it.
 */
const job = fc.record({ lane: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }), barrier: fc.boolean(), ticks: fc.integer({ min: 0, max: 3 }) });

describe('the local delivery pool', () => {
  it('runs at most `limit` at once, one lane at a time in order, barriers alone, and settles after all', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(job, { maxLength: 25 }), fc.integer({ min: 1, max: 4 }), async (jobs, limit) => {
        const pool = workPool(() => {}, limit);
        const running = new Set<number>();
        const started: number[] = [];
        const finished: number[] = [];
        let most = 0;
        jobs.forEach(({ lane, barrier, ticks }, i) =>
          pool.enqueue(
            async () => {
              for (const other of running) {
                expect(jobs[other]!.lane === undefined || jobs[other]!.lane !== lane).toBe(true);
                expect(jobs[other]!.barrier || barrier).toBe(false);
              }
              running.add(i);
              started.push(i);
              most = Math.max(most, running.size);
              for (let t = 0; t < ticks; t++) await Promise.resolve();
              running.delete(i);
              finished.push(i);
            },
            lane,
            barrier,
          ),
        );
        await pool.settled();
        expect(finished.sort((a, b) => a - b)).toEqual(jobs.map((_, i) => i));
        expect(most).toBeLessThanOrEqual(limit);
        for (const lane of ['a', 'b', 'c']) {
          const inLane = jobs.flatMap((j, i) => (j.lane === lane ? [i] : []));
          expect(started.filter((i) => inLane.includes(i))).toEqual(inLane);
        }
        // Everything queued before a barrier started before it, and nothing queued after it.
        for (const [i, { barrier }] of jobs.entries()) {
          if (!barrier) continue;
          const at = started.indexOf(i);
          expect(new Set(started.slice(0, at))).toEqual(new Set(jobs.slice(0, i).map((_, k) => k)));
        }
      }),
      { numRuns: 200 },
    );
  });
});
