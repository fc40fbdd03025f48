import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowAggregator, type TimesheetTotals } from '../../shared/timesheets/row-aggregator.ts';
import { ACTIVITIES } from '../../shared/weekly-hours/activities.ts';
import { layoutOfHeader, type HeaderLayout } from '../../shared/timesheets/vocabulary.ts';
import { accepted, csv, pseudonymise, read, totalCenti, weekTable } from '../fixtures/timesheets/helpers.ts';

/*
 * The day cap of spec 2.3: once the row checks are done, every row of a
 * participant-day over 24 hours is rejected, whatever the order of the rows; files
 * without dates get the same rule per participant-month (24 h × days).
 */

const sheet = (...rows: string[]) => csv(['Deltager;Dato;Timer;Aktivitet', ...rows]);

function layout(header: string[]): HeaderLayout {
  const result = layoutOfHeader(header);
  if ('reason' in result) throw new Error(result.reason);
  return result;
}
const DATED = layout(['Deltager', 'Dato', 'Timer', 'Aktivitet']);
const MONTHLY = layout(['Deltager', 'Timer', 'Aktivitet']);

describe('every row of a participant-day over 24 hours is rejected', () => {
  it('10 + 10 + 5 on one day: all three rows, each naming the day and the total; the other day and participant untouched', async () => {
    const result = accepted(
      await read(
        sheet(
          'P1;15.01.2024;10;praktik', //         2
          'P1;16.01.2024;8;praktik', //          3: another day
          'P1;15.01.2024;10;opkvalificering', // 4
          'P2;15.01.2024;24;praktik', //         5: another participant
          'P1;2024-01-15;5;fravær', //           6: the same day in another spelling
        ),
      ),
    );
    expect(result.rejected).toEqual(
      [2, 4, 6].map((line) => ({
        line,
        reason: expect.stringMatching(/on 2024-01-15 add up to 25 hours, more than 24; every row of that day/),
        problems: [{ code: 'day-over-limit', day: '2024-01-15', total: 25, limit: 24 }],
      })),
    );
    expect(result.accepted).toBe(2);
    expect(weekTable(result)).toEqual({ 'P1 2024-W03': { internship: 8 }, 'P2 2024-W03': { internship: 24 } });
  });

  it('a correction of that day, 10 + 10, is accepted whole', async () => {
    const result = accepted(await read(sheet('P1;15.01.2024;10;praktik', 'P1;16.01.2024;8;praktik', 'P1;15.01.2024;10;opkvalificering')));
    expect(result.rejected).toEqual([]);
    expect(weekTable(result)).toEqual({ 'P1 2024-W03': { internship: 18, training: 10 } });
  });

  it('exactly 24 hours over several rows is kept; 0.01 more rejects them all', async () => {
    const rows = ['P1;15.01.2024;10;praktik', 'P1;15.01.2024;10;løn', 'P1;15.01.2024;4;fravær'];
    expect(totalCenti(accepted(await read(sheet(...rows))))).toBe(2400);
    const over = accepted(await read(sheet(...rows, 'P1;15.01.2024;0,01;praktik')));
    expect(over.rejected.map((r) => r.line)).toEqual([2, 3, 4, 5]);
    expect(over.rejected[0]!.reason).toMatch(/24\.01 hours/);
    expect([...over.weeks]).toEqual([]);
  });

  it('counts one person written as DDMMYY-XXXX, as 10 digits and with a no-break space together', async () => {
    const result = accepted(await read(sheet('010190-1234;15.01.2024;20;praktik', '0101901234;15.01.2024;3;praktik', '010190\u00a01234;15.01.2024;2;løn')));
    expect(result.rejected.map((r) => r.line)).toEqual([2, 3, 4]);
    expect([...result.weeks]).toEqual([]);
    expect(JSON.stringify(result)).not.toMatch(/010190|1234/);
  });

  it('rows rejected by the row checks do not count towards the day; rejections come out by line', async () => {
    const result = accepted(
      await read(
        sheet(
          'P1;15.01.2024;20;praktik', //  2: kept, 24 with line 5
          'P1;15.01.2024;25;praktik', //  3: over 24 in one row
          'P1;15.01.2024;x;praktik', //   4: not a number
          'P1;15.01.2024;4;praktik', //   5
          'P2;16.01.2024;12;praktik', //  6: 12 + 12.5: both rejected
          'P2;16.01.2024;3;ferie', //     7: unknown activity
          'P2;16.01.2024;12,5;løn', //    8
        ),
      ),
    );
    expect(result.rejected.map((r) => r.line)).toEqual([3, 4, 6, 7, 8]);
    expect(result.rejected[2]!.reason).toMatch(/2024-01-16 add up to 24\.5 hours/);
    expect(weekTable(result)).toEqual({ 'P1 2024-W03': { internship: 24 } });
  });

  it('keeps exact totals when a day adds up past 2^31 hundredths (900,000 rows of 24 hours)', () => {
    const aggregator = new RowAggregator(DATED, pseudonymise, '2024-01');
    aggregator.addRow(2, ['P1', '16.01.2024', '7,5', 'praktik']);
    const cells = ['P1', '2024-01-15', '24', 'praktik'];
    for (let line = 3; line < 900_003; line++) aggregator.addRow(line, cells);
    const result = aggregator.totals();
    expect(result.rejected).toHaveLength(900_000);
    expect(result.rejected[0]).toEqual({ line: 3, reason: expect.stringMatching(/add up to 21600000 hours/), problems: [expect.objectContaining({ code: 'day-over-limit', total: 21600000 })] });
    expect([...result.weeks].map((w) => w.centiHours)).toEqual([[0, 750, 0, 0, 0, 0, 0]]);
  });
});

/** A dated row as the test sees it: who, which day of January 2024, hundredths, activity. */
interface DatedRow {
  who: string;
  day: number;
  centi: number;
  activity: number;
}

const hoursText = (centi: number) => `${Math.trunc(centi / 100)},${String(Math.abs(centi) % 100).padStart(2, '0')}`;
const cellsOf = (row: DatedRow) => [row.who, `${String(row.day).padStart(2, '0')}.01.2024`, hoursText(row.centi), ACTIVITIES[row.activity]!];

const datedRow: fc.Arbitrary<DatedRow> = fc.record({
  who: fc.constantFrom('P1', 'P2', '010190-1234', '0101901234', '01019\u20131234'),
  day: fc.integer({ min: 1, max: 31 }),
  centi: fc.oneof(fc.integer({ min: 1, max: 2400 }), fc.constantFrom(800, 1200, 2400, 0, 2401)),
  activity: fc.integer({ min: 0, max: ACTIVITIES.length - 1 }),
});

/** Rows with their lines, and the same rows in another order. */
const rowsAndShuffle = <T>(row: fc.Arbitrary<T>) =>
  fc
    .array(row, { maxLength: 40 })
    .map((rows) => rows.map((value, i) => ({ line: i + 2, value })))
    .chain((rows) => fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length })));

function aggregate(layoutOf: HeaderLayout, month: string, rows: { line: number; cells: string[] }[]): TimesheetTotals {
  const aggregator = new RowAggregator(layoutOf, pseudonymise, month);
  for (const { line, cells } of rows) aggregator.addRow(line, cells);
  return aggregator.totals();
}

/** `participant week` → hundredths per activity: week order does not matter. */
const table = (totals: TimesheetTotals) => Object.fromEntries([...totals.weeks].map((w) => [`${w.participant} ${w.week}`, w.centiHours]));

describe('the day cap does not depend on the order of rows (property)', () => {
  it('matches the rule of spec 2.3 computed directly, in any order', () => {
    fc.assert(
      fc.property(rowsAndShuffle(datedRow), ([rows, shuffled]) => {
        const result = aggregate(DATED, '2024-01', shuffled.map(({ line, value }) => ({ line, cells: cellsOf(value) })));
        // The rule, straight from the spec: valid rows, then whole participant-days over 24 h out.
        const valid = rows.filter(({ value }) => value.centi > 0 && value.centi <= 2400);
        const dayTotal = new Map<string, number>();
        const dayOf = ({ value }: (typeof rows)[number]) => `${pseudonymise(value.who)} ${value.day}`;
        for (const row of valid) dayTotal.set(dayOf(row), (dayTotal.get(dayOf(row)) ?? 0) + row.value.centi);
        const kept = valid.filter((row) => dayTotal.get(dayOf(row))! <= 2400);
        const keptLines = new Set(kept.map((row) => row.line));
        const expected: Record<string, number[]> = {};
        for (const { value } of kept) {
          // January 2024 starts on a Monday: days 1–7 are 2024-W01.
          const key = `${pseudonymise(value.who)} 2024-W0${1 + Math.floor((value.day - 1) / 7)}`;
          (expected[key] ??= new Array(ACTIVITIES.length).fill(0))[value.activity] += value.centi;
        }
        expect(table(result)).toEqual(expected);
        expect(result.rejected.map((r) => r.line)).toEqual(rows.filter((row) => !keptLines.has(row.line)).map((row) => row.line));
        expect(result.accepted).toBe(kept.length);
        for (const { line, reason } of result.rejected) {
          const row = rows[line - 2]!;
          const total = dayTotal.get(dayOf(row));
          if (row.value.centi > 0 && row.value.centi <= 2400) {
            expect(reason).toBe(`this participant's rows on 2024-01-${String(row.value.day).padStart(2, '0')} add up to ${total! / 100} hours, more than 24; every row of that day is rejected`);
          }
        }
        // And the same answer, reasons included, from the rows in file order.
        const inOrder = aggregate(DATED, '2024-01', rows.map(({ line, value }) => ({ line, cells: cellsOf(value) })));
        expect(inOrder.rejected).toEqual(result.rejected);
        expect(table(inOrder)).toEqual(table(result));
      }),
      { numRuns: 300 },
    );
  });

  it('files without dates: every row of a participant over 24 h × days is rejected, in any order', () => {
    const monthlyRow = fc.record({
      who: fc.constantFrom('P1', 'P2', '010190-1234', '0101901234'),
      centi: fc.oneof(fc.integer({ min: 1, max: 69_600 }), fc.constantFrom(20_000, 34_800, 69_600, 69_601)),
      activity: fc.integer({ min: 0, max: ACTIVITIES.length - 1 }),
    });
    fc.assert(
      fc.property(rowsAndShuffle(monthlyRow), ([rows, shuffled]) => {
        const cells = ({ line, value }: (typeof rows)[number]) => ({ line, cells: [value.who, hoursText(value.centi), ACTIVITIES[value.activity]!] });
        const result = aggregate(MONTHLY, '2024-02', shuffled.map(cells));
        const inOrder = aggregate(MONTHLY, '2024-02', rows.map(cells));
        expect(result.rejected).toEqual(inOrder.rejected);
        expect(table(result)).toEqual(table(inOrder));
        // February 2024 has 29 days: at most 696 hours per participant.
        const valid = rows.filter(({ value }) => value.centi <= 69_600);
        const monthTotal = new Map<string, number>();
        for (const { value } of valid) monthTotal.set(pseudonymise(value.who), (monthTotal.get(pseudonymise(value.who)) ?? 0) + value.centi);
        const kept = valid.filter(({ value }) => monthTotal.get(pseudonymise(value.who))! <= 69_600);
        expect(result.rejected.map((r) => r.line)).toEqual(rows.filter((row) => !kept.includes(row)).map((row) => row.line));
        const sum = (centi: number[]) => centi.reduce((a, b) => a + b, 0);
        expect(sum([...result.weeks].map((w) => sum(w.centiHours)))).toBe(sum(kept.map(({ value }) => value.centi)));
      }),
      { numRuns: 200 },
    );
  });
});
