import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCentiHours, formatHoursCsv, hoursCsvChunks, HOURS_CSV_HEADER } from '../../shared/weekly-hours/hours-csv.ts';
import { escapeFormula } from '../../shared/spreadsheet-cells.ts';
import { readCsvCells } from '../support/read-csv.ts';
import { activeCentiHours, compareWeeklyHours, mergeWeeklyHours, paidCentiHours, sumWeeklyHours, type WeeklyHours } from '../../shared/weekly-hours/weekly-hours.ts';
import { FORMULA_CASES } from '../support/formula-cases.ts';

type Hours = Partial<Record<'training' | 'internship' | 'ordinary' | 'flexjob' | 'wage_subsidy' | 'education' | 'absence', number>>;

/** A week row from hours per activity (in hundredths), written out by name, not by index. */
function week(participant: string, label: string, hours: Hours, estimated = false): WeeklyHours {
  const h = (name: keyof Hours) => hours[name] ?? 0;
  return {
    participant,
    week: label,
    centiHours: [h('training'), h('internship'), h('ordinary'), h('flexjob'), h('wage_subsidy'), h('education'), h('absence')],
    estimated,
  };
}

describe('active and paid hours (spec 3)', () => {
  const row = week('P1', '2024-W03', {
    training: 100,
    internship: 200,
    ordinary: 400,
    flexjob: 800,
    wage_subsidy: 1600,
    education: 3200,
    absence: 6400,
  });

  it('active hours are every activity but absence', () => {
    expect(activeCentiHours(row)).toBe(100 + 200 + 400 + 800 + 1600 + 3200);
  });

  it('paid hours are ordinary + flexjob + wage subsidy', () => {
    expect(paidCentiHours(row)).toBe(400 + 800 + 1600);
  });

  it('absence alone gives no active hours; internship and training are not paid', () => {
    expect(activeCentiHours(week('P1', '2024-W03', { absence: 3700 }))).toBe(0);
    expect(paidCentiHours(week('P1', '2024-W03', { internship: 3700, training: 100, education: 5 }))).toBe(0);
  });
});

describe('formatCentiHours', () => {
  it.each([
    [0, '0'],
    [750, '7.5'],
    [1200, '12'],
    [25, '0.25'],
    [5, '0.05'],
    [10, '0.1'],
    [1205, '12.05'],
    [1210, '12.1'],
    [100_000, '1000'],
    [123_456_789, '1234567.89'],
    [-750, '-7.5'],
    [-25, '-0.25'],
    [-1200, '-12'],
  ])('%i hundredths is %j', (centi, text) => {
    expect(formatCentiHours(centi)).toBe(text);
  });

  it('has at most two decimals with "." and no trailing zeros, and reads back exactly (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), (centi) => {
        const text = formatCentiHours(centi);
        expect(text).toMatch(/^-?(0|[1-9]\d*)(\.\d?[1-9])?$/);
        expect(Math.round(Number(text) * 100)).toBe(centi);
      }),
    );
  });
});

describe('formatHoursCsv', () => {
  it('has the exact header', () => {
    expect(HOURS_CSV_HEADER).toBe('participant,week,active_hours,paid_hours,training,internship,ordinary,flexjob,wage_subsidy,education,absence');
    expect(formatHoursCsv([])).toBe(
      'participant,week,active_hours,paid_hours,training,internship,ordinary,flexjob,wage_subsidy,education,absence\n',
    );
  });

  it('writes one line per week with active and paid hours first, activities in header order', () => {
    const text = formatHoursCsv([
      week('px_0123456789abcdef', '2024-W03', { training: 750, internship: 1200, ordinary: 25, absence: 800 }),
      week('P-7', '2024-W04', { flexjob: 1000, wage_subsidy: 510, education: 333 }),
    ]);
    expect(text.split('\n')).toEqual([
      HOURS_CSV_HEADER,
      'px_0123456789abcdef,2024-W03,19.75,0.25,7.5,12,0.25,0,0,0,8',
      'P-7,2024-W04,18.43,15.1,0,0,0,10,5.1,3.33,0',
      '',
    ]);
  });

  it('quotes participant ids that need it', () => {
    const text = formatHoursCsv([week('Hansen, "Ole"', '2024-W03', { training: 100 })]);
    expect(text.split('\n')[1]).toBe('"Hansen, ""Ole""",2024-W03,1,0,1,0,0,0,0,0,0');
  });

  it.each(FORMULA_CASES)('escapes a participant %j that a spreadsheet would run as a formula (spec 2.4)', (participant, cell) => {
    const [, line] = formatHoursCsv([week(participant, '2024-W03', { training: 100 })]).split('\n');
    expect(line).toBe(`${cell},2024-W03,1,0,1,0,0,0,0,0,0`);
  });

  it('reads back (papaparse) as the escaped participant and week, and the hours as numbers (property)', () => {
    const unit = fc.oneof(fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '"', ',', ';'), fc.string({ minLength: 1, maxLength: 1 }));
    const row = fc.record({
      participant: fc.string({ unit, minLength: 1, maxLength: 12 }),
      week: fc.constantFrom('2020-W53', '2024-W05'),
      centiHours: fc.array(fc.integer({ min: -100_000, max: 100_000 }), { minLength: 7, maxLength: 7 }),
      estimated: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 8 }), (rows) => {
        const cells = readCsvCells(formatHoursCsv(rows));
        expect(cells[0]).toEqual(HOURS_CSV_HEADER.split(','));
        expect(cells.slice(1).map((c) => c.slice(0, 2))).toEqual(rows.map((r) => [escapeFormula(r.participant), r.week]));
        // the hours stay numeric cells: negative ones are never escaped
        expect(cells.slice(1).map((c) => c.slice(4).map((h) => Math.round(Number(h) * 100)))).toEqual(rows.map((r) => r.centiHours));
      }),
    );
  });
});

describe('hoursCsvChunks', () => {
  it('writes the same CSV as formatHoursCsv in pieces of whole lines (property)', () => {
    const row = fc.record({
      participant: fc.constantFrom('P1', 'P2', '=1+1', 'Hansen, "Ole"', 'px_a'),
      week: fc.constantFrom('2020-W53', '2021-W01', '2024-W05'),
      centiHours: fc.array(fc.integer({ min: -5000, max: 100_000 }), { minLength: 7, maxLength: 7 }),
      estimated: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 3000 }), (rows) => {
        const chunks = [...hoursCsvChunks(rows)];
        expect(chunks.join('')).toBe(formatHoursCsv(rows));
        for (const chunk of chunks.slice(0, -1)) expect(chunk.endsWith('\n')).toBe(true);
      }),
      { numRuns: 20 },
    );
  });
});

describe('sumWeeklyHours', () => {
  it('passes rows that are already sorted and one per participant-week through as they are', () => {
    const rows = [week('P1', '2024-W05', { training: 1 }), week('P1', '2024-W06', { training: 2 }), week('P2', '2024-W05', { training: 3 })];
    const summed = sumWeeklyHours(rows);
    expect(summed).toEqual(rows);
    summed.forEach((row, i) => expect(row).toBe(rows[i]));
  });

  it('adds rows of the same participant and week from several reports, activity by activity', () => {
    const summed = sumWeeklyHours([
      week('P1', '2024-W05', { internship: 300 }, true), // January report, spread
      week('P1', '2024-W05', { internship: 200, ordinary: 150 }), // February report, dated
      week('P1', '2024-W05', { absence: 50 }), // another source
    ]);
    expect(summed).toEqual([week('P1', '2024-W05', { internship: 500, ordinary: 150, absence: 50 }, true)]);
  });

  it('marks a sum estimated when any of its parts is', () => {
    expect(sumWeeklyHours([week('P1', '2024-W05', {}, false), week('P1', '2024-W05', {}, true)])[0]!.estimated).toBe(true);
    expect(sumWeeklyHours([week('P1', '2024-W05', {}, true), week('P1', '2024-W05', {}, false)])[0]!.estimated).toBe(true);
    expect(sumWeeklyHours([week('P1', '2024-W05', {}), week('P1', '2024-W05', {})])[0]!.estimated).toBe(false);
  });

  it('sorts by participant (code-unit order) then week', () => {
    const summed = sumWeeklyHours([
      week('px_b', '2021-W01', { training: 1 }),
      week('px_a', '2024-W10', { training: 1 }),
      week('px_b', '2020-W53', { training: 1 }),
      week('P-9', '2024-W01', { training: 1 }),
      week('px_a', '2024-W09', { training: 1 }),
      week('px_b', '2020-W53', { training: 1 }),
    ]);
    expect(summed.map((r) => `${r.participant} ${r.week}`)).toEqual([
      'P-9 2024-W01', // 'P' (0x50) sorts before 'p' (0x70)
      'px_a 2024-W09',
      'px_a 2024-W10',
      'px_b 2020-W53',
      'px_b 2021-W01',
    ]);
    expect(summed[3]!.centiHours[0]).toBe(2);
  });

  it('leaves its input rows untouched', () => {
    const a = week('P1', '2024-W05', { internship: 300 });
    const b = week('P1', '2024-W05', { internship: 200 }, true);
    sumWeeklyHours([a, b]);
    expect(a).toEqual(week('P1', '2024-W05', { internship: 300 }));
    expect(b).toEqual(week('P1', '2024-W05', { internship: 200 }, true));
  });

  it('keeps every hundredth and one row per participant-week (property)', () => {
    const row = fc.record({
      participant: fc.constantFrom('P1', 'P2', 'px_a'),
      week: fc.constantFrom('2020-W53', '2021-W01', '2024-W05'),
      centiHours: fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 7, maxLength: 7 }),
      estimated: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        const summed = sumWeeklyHours(rows);
        const total = (rs: WeeklyHours[]) => rs.reduce((s, r) => s + r.centiHours.reduce((a, b) => a + b, 0), 0);
        expect(total(summed)).toBe(total(rows));
        expect(new Set(summed.map((r) => `${r.participant} ${r.week}`)).size).toBe(summed.length);
        for (let i = 1; i < summed.length; i++) expect(compareWeeklyHours(summed[i - 1]!, summed[i]!)).toBeLessThan(0);
      }),
    );
  });
});

describe('mergeWeeklyHours', () => {
  const row = fc.record({
    participant: fc.constantFrom('P1', 'P2', 'px_a', 'Å'),
    week: fc.constantFrom('2020-W53', '2021-W01', '2024-W05'),
    centiHours: fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 7, maxLength: 7 }),
    estimated: fc.boolean(),
  });
  /** A timesheet's weeks: sorted, one row per participant-week. */
  const source = fc.array(row, { maxLength: 12 }).map((rows) => sumWeeklyHours(rows));

  it('streams the same sums as sumWeeklyHours over all the sources, leaving them untouched (property)', () => {
    fc.assert(
      fc.property(fc.array(source, { minLength: 1, maxLength: 5 }), (sources) => {
        const before = structuredClone(sources);
        expect([...mergeWeeklyHours(sources)]).toEqual(sumWeeklyHours(sources.flat()));
        expect(sources).toEqual(before);
      }),
    );
  });

  it('passes one source through as it is', () => {
    const only = [week('P1', '2024-W05', { training: 1 })];
    expect(mergeWeeklyHours([only])).toBe(only);
  });
});
