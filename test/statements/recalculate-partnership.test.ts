import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { monthBefore } from '../../shared/weeks/iso-week.ts';
import { inputsStamp, monthsToRecalculate, recalculatePartnership } from '../../shared/statements/recalculate-partnership.ts';
import { weeksOfMonth } from '../../shared/simulation/cohort.ts';
import { weekLabel } from '../../shared/weeks/iso-week.ts';
import { testContract, week } from '../simulation/builders.ts';
import { recalculationWorld, type ReportVersion } from './recalculation-world.ts';

const MONTHS = ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06'];
const contract = testContract((doc) => {
  doc.programmeFee = 60000;
  Object.assign(doc, { feeSchedule: [{ month: '2024-01', amount: 30000 }, { month: '2024-04', amount: 30000 }] });
});
const partnership = contract.partnership;
const seq = (n: number) => String(n).padStart(10, '0');

/** A world whose statements for every month exist (as the monthly schedule leaves them), with no hours yet. */
async function statedWorld() {
  const w = recalculationWorld(contract);
  await recalculatePartnership({ partnership, asOf: MONTHS }, w.deps);
  return w;
}

/** What the ingest does with one notice: commit unless older, then announce from the month before the report's. */
async function ingest(w: Awaited<ReturnType<typeof statedWorld>>, version: ReportVersion) {
  if (w.commit(version)) return recalculatePartnership({ partnership, from: monthBefore(version.month), asOf: [] }, w.deps);
}

/** Every stored statement, as its JSON text (what "byte-identical" compares). */
const storedTexts = (w: Awaited<ReturnType<typeof statedWorld>>) => Object.fromEntries([...w.statements].map(([month, stored]) => [month, JSON.stringify(stored.statement)]));

const hoursArb = fc.record({ participant: fc.constantFrom('a', 'b', 'c'), weekOfMonth: fc.integer({ min: 0, max: 3 }), ordinary: fc.integer({ min: 0, max: 40 }) });
const versionsArb = fc
  .array(fc.record({ month: fc.constantFrom(...MONTHS), source: fc.constantFrom('x', 'y'), hours: fc.array(hoursArb, { maxLength: 4 }), replayAt: fc.nat() }), { minLength: 1, maxLength: 8 })
  .map((drafts) =>
    drafts.map(({ month, source, hours, replayAt }, i) => {
      const first = weeksOfMonth(month).first;
      const weeks = new Map(hours.map((h) => [`${h.participant}#${h.weekOfMonth}`, week(h.participant, weekLabel(first + h.weekOfMonth), { ordinary: h.ordinary })]));
      return { version: { month, source, sequencer: seq(i + 2), weeks: [...weeks.values()] } as ReportVersion, replayAt };
    }),
  );

describe('recalculating a partnership (spec 8, always current)', () => {
  it('covers the stored months from `from` on and every asOf month, never months never stated', () => {
    const stored = ['2024-01', '2024-02', '2024-04'];
    expect(monthsToRecalculate({ from: '2024-02', asOf: [] }, stored)).toEqual(['2024-02', '2024-04']);
    expect(monthsToRecalculate({ from: 'first', asOf: ['2024-05'] }, stored)).toEqual(['2024-01', '2024-02', '2024-04', '2024-05']);
    expect(monthsToRecalculate({ asOf: ['2024-02'] }, stored)).toEqual(['2024-02']);
    expect(monthsToRecalculate({ from: '2024-05', asOf: [] }, stored)).toEqual([]);
  });

  it('stamps with the highest sequencer among the inputs in use', async () => {
    const w = recalculationWorld(contract);
    expect(await inputsStamp(partnership, w.deps)).toBe(seq(1));
    w.commit({ month: '2024-02', source: 'x', sequencer: seq(7), weeks: [] });
    w.commit({ month: '2024-01', source: 'x', sequencer: seq(5), weeks: [] });
    expect(await inputsStamp(partnership, w.deps)).toBe(seq(7));
  });

  it('a correction of an early month reaches every later stored month', async () => {
    const w = await statedWorld();
    const label = weekLabel(weeksOfMonth('2024-02').first);
    await ingest(w, { month: '2024-02', source: 'x', sequencer: seq(2), weeks: [week('a', label, { ordinary: 30 })] });
    const before = storedTexts(w);
    const done = await ingest(w, { month: '2024-02', source: 'x', sequencer: seq(3), weeks: [week('a', label, { ordinary: 12 })] });
    expect(done!.computed).toEqual(['2024-02', '2024-03', '2024-04', '2024-05', '2024-06']);
    expect(done!.unchanged).toEqual(['2024-01']);
    for (const month of MONTHS.slice(1)) {
      expect(storedTexts(w)[month]).not.toBe(before[month]);
      expect(w.statements.get(month)!.statement.totals.grossBenefitSavings).toBe(12 * 120);
      expect(w.statements.get(month)!.inputsStamp).toBe(seq(3));
    }
  });

  it('an older recalculation finishing late never overwrites a newer one', async () => {
    const w = await statedWorld();
    const label = weekLabel(weeksOfMonth('2024-03').first);
    w.commit({ month: '2024-03', source: 'x', sequencer: seq(2), weeks: [week('a', label, { ordinary: 30 })] });
    let release!: () => void;
    w.world.gate = new Promise((resolve) => (release = resolve));
    const slow = recalculatePartnership({ partnership, from: '2024-03', asOf: [] }, w.deps); // reads the 30 h, then waits
    await new Promise((resolve) => setTimeout(resolve, 10));
    await ingest(w, { month: '2024-03', source: 'x', sequencer: seq(3), weeks: [week('a', label, { ordinary: 12 })] });
    const newer = storedTexts(w);
    const published = new Map(w.published);
    release();
    const late = await slow;
    expect(late.stale).toContain('2024-03'); // and the later months it read the same old inputs for
    expect(storedTexts(w)).toEqual(newer);
    expect(w.published).toEqual(published); // not even the S3 copies
    expect(w.statements.get('2024-06')!.statement.totals.grossBenefitSavings).toBe(12 * 120);
  });

  it('replaying the same inputs in any order gives byte-identical statements, and the months agree', async () => {
    await fc.assert(
      fc.asyncProperty(versionsArb, async (versions) => {
        const inOrder = await statedWorld();
        for (const { version } of versions) await ingest(inOrder, version);
        const replayed = await statedWorld();
        for (const { version } of [...versions].sort((a, b) => a.replayAt - b.replayAt)) await ingest(replayed, version);
        expect(storedTexts(replayed)).toEqual(storedTexts(inOrder));

        const statements = MONTHS.map((month) => replayed.statements.get(month)!.statement);
        for (const [n, later] of statements.entries()) {
          for (const earlier of statements.slice(0, n)) {
            const { month: _, ...cumulative } = later.byMonth.find((m) => m.month === earlier.asOf)!;
            expect(cumulative, `${later.asOf} on ${earlier.asOf}`).toEqual(earlier.totals);
          }
          const netSoFar = statements.slice(0, n + 1).reduce((sum, s) => sum + Math.round(s.month.net * 100), 0);
          expect(netSoFar).toBe(Math.round(later.totals.net * 100));
        }
      }),
      { numRuns: 25 },
    );
  });
});
