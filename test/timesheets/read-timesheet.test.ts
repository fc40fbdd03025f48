import { describe, expect, it } from 'vitest';
import { formatOfName, readTimesheet } from '../../shared/timesheets/read-timesheet.ts';
import { sumWeeklyHours } from '../../shared/weekly-hours/weekly-hours.ts';
import {
  accepted,
  bodyOf,
  chunksOf,
  csv,
  hoursOf,
  pseudonymise,
  read,
  rejectedWhole,
  totalCenti,
  weekTable,
} from '../fixtures/timesheets/helpers.ts';

/** A header spelled unlike the canonical names, so messages must quote it as written. */
const HEADER = 'Borger;DATO;Timer;Type';
const sheet = (...rows: string[]) => csv([HEADER, ...rows]);
const VALID = 'P1;15.01.2024;1;praktik';

describe('whole-file rejections', () => {
  it('a header without a required column rejects the file, naming the column', async () => {
    const reason = rejectedWhole(await read(csv(['Deltager;Dato;Aktivitet', 'P1;15.01.2024;praktik'])));
    expect(reason).toMatch(/"hours" \(or timer\)/);
    expect(reason).not.toMatch(/participant|activity/);
    expect(rejectedWhole(await read(csv(['Timer;Aktivitet', '1;praktik'])))).toMatch(/"participant"/);
    expect(rejectedWhole(await read(csv(['Deltager;Timer', 'P1;1'])))).toMatch(/"activity"/);
  });

  it('a column given twice rejects the file, naming both as written', async () => {
    const reason = rejectedWhole(await read(csv(['Deltager;Borger;Timer;Aktivitet', 'P1;P1;1;praktik'])));
    expect(reason).toMatch(/"Deltager" and "Borger"/);
  });

  it('a header without a required column rejects the file even when rows follow that would be valid', async () => {
    const reason = rejectedWhole(await read(csv(['Deltager;Dato;Tid;Aktivitet', VALID, VALID])));
    expect(reason).toMatch(/hours/);
  });

  // Encodings (UTF-8, Windows-1252, neither): test/timesheets/csv-encoding.test.ts.

  it.each(['report.txt', 'report.xls', 'report.csv.txt', 'report', 'csv', 'report.ods'])('the name %j is neither CSV nor XLSX', async (name) => {
    expect(rejectedWhole(await read(sheet(VALID), { name }))).toMatch(/neither a \.csv nor an \.xlsx/);
  });

  it('the extension is case-insensitive and an explicit format wins over the name', async () => {
    expect(formatOfName('Timer Januar.CSV')).toBe('csv');
    expect(formatOfName('timer.Xlsx')).toBe('xlsx');
    expect(formatOfName('timer.xls')).toBeUndefined();
    expect(accepted(await read(sheet(VALID), { name: 'JANUAR.CSV' })).accepted).toBe(1);
    const result = await readTimesheet({ name: 'upload.bin', body: bodyOf(sheet(VALID)), month: '2024-01', format: 'csv' }, { pseudonymise });
    expect(accepted(result).accepted).toBe(1);
  });

  it.each([
    ['no bytes', ''],
    ['only a BOM', '\uFEFF'],
    ['only empty lines', '\n\r\n\n'],
  ])('an empty file (%s) is rejected: a header is required', async (_, content) => {
    expect(rejectedWhole(await read(content))).toMatch(/empty/);
  });

  it('a body with no chunks at all is an empty file', async () => {
    const result = await readTimesheet({ name: 'x.csv', body: chunksOf([]), month: '2024-01' }, { pseudonymise });
    expect(rejectedWhole(result)).toMatch(/empty/);
  });

  it('monthly totals without a known month cannot be spread: the file is rejected', async () => {
    const reason = rejectedWhole(await read(csv(['Deltager;Timer;Aktivitet', 'P1;100;praktik']), { month: undefined }));
    expect(reason).toMatch(/month/);
  });

  it('a dated file without a known month is read, with no month check', async () => {
    const result = accepted(await read(sheet('P1;15.01.2024;1;praktik', 'P1;15.03.2023;2;praktik'), { month: undefined }));
    expect(result.rejected).toEqual([]);
    expect(weekTable(result)).toEqual({ 'P1 2024-W03': { internship: 1 }, 'P1 2023-W11': { internship: 2 } });
  });

  it('a header alone is a valid, empty report', async () => {
    const result = accepted(await read(csv([HEADER])));
    expect({ ...result, weeks: [...result.weeks] }).toEqual({ ok: true, encoding: 'utf-8', rows: 0, accepted: 0, rejected: [], weeks: [] });
  });
});

describe('row rejections name the line and the column as written in the header', () => {
  it.each([
    ['an empty participant', ';15.01.2024;7;praktik', /^column "Borger" is empty$/, { code: 'column-empty', column: 'Borger' }],
    ['a blank participant', '   ;15.01.2024;7;praktik', /^column "Borger" is empty$/, { code: 'column-empty', column: 'Borger' }],
    ['an empty date', 'P1;;7;praktik', /^column "DATO" is empty$/, { code: 'column-empty', column: 'DATO' }],
    ['an empty hours value', 'P1;15.01.2024;;praktik', /^column "Timer" is empty$/, { code: 'column-empty', column: 'Timer' }],
    ['an empty activity', 'P1;15.01.2024;7;', /^column "Type" is empty$/, { code: 'column-empty', column: 'Type' }],
    ['a short row without the activity', 'P1;15.01.2024;7', /^column "Type" is empty$/, { code: 'column-empty', column: 'Type' }],
    ['a date that does not parse', 'P1;15/13/2024;7;praktik', /^column "DATO": "15\/13\/2024" is not a date/, { code: 'date-invalid', column: 'DATO' }],
    ['a date in words', 'P1;15. januar 2024;7;praktik', /^column "DATO": "15\. januar 2024" is not a date/, { code: 'date-invalid', column: 'DATO' }],
    ['a date that does not exist', 'P1;31.02.2024;7;praktik', /^column "DATO": "31\.02\.2024" is not a date/, { code: 'date-invalid', column: 'DATO' }],
    ['a date after the report month', 'P1;01.02.2024;7;praktik', /^column "DATO": 2024-02-01 lies outside the report month 2024-01$/, { code: 'date-outside-month', column: 'DATO', day: '2024-02-01', month: '2024-01' }],
    ['a date before the report month', 'P1;2023-12-31;7;praktik', /^column "DATO": 2023-12-31 lies outside the report month 2024-01$/, { code: 'date-outside-month', column: 'DATO', day: '2023-12-31', month: '2024-01' }],
    ['hours that are not a number', 'P1;15.01.2024;syv;praktik', /^column "Timer": "syv" is not a number of hours$/, { code: 'hours-invalid', column: 'Timer' }],
    ['hours with a unit', 'P1;15.01.2024;7 t;praktik', /^column "Timer": "7 t" is not a number of hours$/, { code: 'hours-invalid', column: 'Timer' }],
    ['zero hours', 'P1;15.01.2024;0;praktik', /^column "Timer": 0 is outside \(0, 24\] hours for a day$/, { code: 'hours-out-of-range', column: 'Timer', limit: 24, per: 'day' }],
    ['negative hours', 'P1;15.01.2024;-2,5;praktik', /^column "Timer": -2,5 is outside \(0, 24\] hours for a day$/, { code: 'hours-out-of-range', column: 'Timer', limit: 24, per: 'day' }],
    ['more than 24 hours', 'P1;15.01.2024;24,01;praktik', /^column "Timer": 24,01 is outside \(0, 24\] hours for a day$/, { code: 'hours-out-of-range', column: 'Timer', limit: 24, per: 'day' }],
    ['an unknown activity', 'P1;15.01.2024;7;ferie', /^column "Type": "ferie" is not a known activity/, { code: 'activity-unknown', column: 'Type' }],
    ['a participant of 65 characters', `${'P'.repeat(65)};15.01.2024;7;praktik`, /^column "Borger": longer than 64 characters; write a CPR number or a short project id$/, { code: 'participant-refused', column: 'Borger' }],
    ['a participant of 1000 characters', `${'Anna '.repeat(200)};15.01.2024;7;praktik`, /^column "Borger": longer than 64 characters/, { code: 'participant-refused', column: 'Borger' }],
    ['a CPR number among other text', 'Anna 311299\u20137822;15.01.2024;7;praktik', /^column "Borger": contains a CPR number among other text/, { code: 'participant-refused', column: 'Borger' }],
    ['a date in 10 KB of text, quoted in part', `P1;15.01.2024 ${'x'.repeat(10_000)};7;praktik`, /^column "DATO": "15\.01\.2024 x{29}…" is not a date/, { code: 'date-invalid', column: 'DATO' }],
  ])('%s', async (_, row, reason, problem) => {
    // Valid rows around the bad one: they are kept, and the line number is the physical line; the code names the column and no value.
    const result = accepted(await read(sheet(VALID, row, 'P2;16.01.2024;2;praktik')));
    expect(result.rejected).toEqual([{ line: 3, reason: expect.stringMatching(reason), problems: [problem] }]);
    expect(result.rows).toBe(3);
    expect(result.accepted).toBe(2);
    expect(weekTable(result)).toEqual({ 'P1 2024-W03': { internship: 1 }, 'P2 2024-W03': { internship: 2 } });
  });

  it('quotes a header written with spaces around it trimmed', async () => {
    const result = accepted(await read(csv([' deltager ; timer ; AKTIVITET ', 'P1;;praktik'])));
    expect(result.rejected).toEqual([{ line: 2, reason: 'column "timer" is empty', problems: [{ code: 'column-empty', column: 'timer' }] }]);
  });

  it('exactly 24 hours in a day is allowed', async () => {
    const result = accepted(await read(sheet('P1;15.01.2024;24;praktik', 'P2;15.01.2024;24,00;praktik')));
    expect(result.rejected).toEqual([]);
    expect(totalCenti(result)).toBe(4800);
  });

  it('refuses a long participant value on every row, without ever quoting it', async () => {
    const long = `P-${'0101901234'.repeat(100)}`;
    const result = accepted(await read(sheet(`${long};15.01.2024;1;praktik`, VALID, `${long};16.01.2024;1;praktik`)));
    expect(result.rejected.map((r) => r.line)).toEqual([2, 4]);
    expect(JSON.stringify(result)).not.toMatch(/0101901234|P-0/);
    expect([...result.weeks].map((w) => w.participant)).toEqual(['P1']);
  });

  it('lists every problem of a row in one reason', async () => {
    const result = accepted(await read(sheet(';xx;-1;ferie')));
    expect(result.rejected).toHaveLength(1);
    const { reason } = result.rejected[0]!;
    for (const column of ['"Borger"', '"DATO"', '"Timer"', '"Type"']) expect(reason).toContain(column);
    expect(result.rejected[0]!.problems.map((p) => p.code)).toEqual(['column-empty', 'date-invalid', 'hours-out-of-range', 'activity-unknown']);
  });

  it('counts physical lines across empty lines, `;;;` lines and quoted line breaks', async () => {
    const text = [
      'Deltager;Dato;Timer;Aktivitet', // 1
      'P1;15.01.2024;1;praktik', //       2
      '', //                              3
      '"P2 med', //                       4
      'linjeskift";15.01.2024;1;praktik', // 5
      ';;;', //                           6
      'P3;15.01.2024;x;praktik', //       7
      '  ', //                            8 (blank cell only)
      'P4;15.01.2024;1;ferie', //         9
    ].join('\r\n');
    const result = accepted(await read(text));
    expect(result.rejected.map((r) => r.line)).toEqual([7, 9]);
    expect(result.rows).toBe(4);
    expect(result.accepted).toBe(2);
    expect(Object.keys(weekTable(result)).sort()).toEqual(['P1 2024-W03', 'P2 med\r\nlinjeskift 2024-W03']);
  });

  it('keeps the valid rows of a file with rejected rows (sum check)', async () => {
    const result = accepted(
      await read(
        sheet(
          'P1;15.01.2024;7,5;praktik', //    kept
          'P1;16.01.2024;30;praktik', //     rejected: > 24
          'P2;17.01.2024;3;opkvalificering', // kept
          'P2;17.02.2024;3;opkvalificering', // rejected: February
          'P3;22.01.2024;2,25;løntilskud', // kept
          'P3;22.01.2024;2;holiday', //      rejected: unknown activity
        ),
      ),
    );
    expect(result.rows).toBe(6);
    expect(result.accepted).toBe(3);
    expect(result.rejected.map((r) => r.line)).toEqual([3, 5, 7]);
    expect(totalCenti(result)).toBe(750 + 300 + 225);
    expect(weekTable(result)).toEqual({
      'P1 2024-W03': { internship: 7.5 },
      'P2 2024-W03': { training: 3 },
      'P3 2024-W04': { wage_subsidy: 2.25 },
    });
  });
});

describe('monthly totals (no date column)', () => {
  const monthly = (...rows: string[]) => csv(['Deltager;Timer;Aktivitet', ...rows]);

  it('spread 21 h evenly over the 21 weekdays of February 2024, 1 h a day', async () => {
    // Feb 2024: Thu 1 – Thu 29. W05 has Thu 1–Fri 2, W06–W08 five days each, W09 Mon 26–Thu 29.
    const result = accepted(await read(monthly('P1;21;praktik'), { month: '2024-02' }));
    expect(weekTable(result)).toEqual({
      'P1 2024-W05': { internship: 2 },
      'P1 2024-W06': { internship: 5 },
      'P1 2024-W07': { internship: 5 },
      'P1 2024-W08': { internship: 5 },
      'P1 2024-W09': { internship: 4 },
    });
    expect([...result.weeks].every((w) => w.estimated)).toBe(true);
  });

  it('keep every hundredth: 100 h over 21 weekdays sum to exactly 100', async () => {
    const result = accepted(await read(monthly('P1;100;praktik'), { month: '2024-02' }));
    const weekdays: Record<string, number> = { '2024-W05': 2, '2024-W06': 5, '2024-W07': 5, '2024-W08': 5, '2024-W09': 4 };
    expect([...result.weeks].map((w) => w.week).sort()).toEqual(Object.keys(weekdays));
    for (const week of result.weeks) {
      const centi = week.centiHours[1]!;
      // 10000 / 21 = 476.19…: each weekday gets 476 or 477 hundredths.
      expect(centi).toBeGreaterThanOrEqual(476 * weekdays[week.week]!);
      expect(centi).toBeLessThanOrEqual(477 * weekdays[week.week]!);
    }
    expect(totalCenti(result)).toBe(10_000);
  });

  it('keep every hundredth for awkward amounts in every month of 2024', async () => {
    for (let m = 1; m <= 12; m++) {
      const month = `2024-${String(m).padStart(2, '0')}`;
      const result = accepted(await read(monthly('P1;123,45;praktik', 'P1;0,01;fravær', 'P2;7;løn'), { month }));
      expect(totalCenti(result), month).toBe(12345 + 1 + 700);
      expect([...result.weeks].every((w) => w.estimated)).toBe(true);
    }
  });

  it('touch the weeks shared with the neighbouring months, which add up across reports', async () => {
    // January 2024 has 23 weekdays; its W05 days are Mon 29 – Wed 31.
    const january = accepted(await read(monthly('P1;23;praktik'), { month: '2024-01' }));
    expect(weekTable(january)).toEqual({
      'P1 2024-W01': { internship: 5 },
      'P1 2024-W02': { internship: 5 },
      'P1 2024-W03': { internship: 5 },
      'P1 2024-W04': { internship: 5 },
      'P1 2024-W05': { internship: 3 },
    });
    const february = accepted(await read(monthly('P1;21;praktik'), { month: '2024-02' }));
    const both = sumWeeklyHours([...january.weeks, ...february.weeks]);
    const w05 = both.find((w) => w.week === '2024-W05')!;
    expect(hoursOf(w05)).toEqual({ internship: 5 });
    expect(w05.estimated).toBe(true);
    expect(both.map((w) => w.week)).toEqual(['2024-W01', '2024-W02', '2024-W03', '2024-W04', '2024-W05', '2024-W06', '2024-W07', '2024-W08', '2024-W09']);
  });

  it('a 2020-W53 spanning December and January gets hours from both years', async () => {
    // Dec 2020: 23 weekdays, the last four (Mon 28 – Thu 31) in 2020-W53.
    // Jan 2021: 21 weekdays, the first (Fri 1) in 2020-W53.
    const december = accepted(await read(monthly('P1;23;praktik'), { month: '2020-12' }));
    const january = accepted(await read(monthly('P1;21;praktik'), { month: '2021-01' }));
    const w53 = sumWeeklyHours([...december.weeks, ...january.weeks]).filter((w) => w.week === '2020-W53');
    expect(w53.map(hoursOf)).toEqual([{ internship: 4 + 1 }]);
  });

  it('allow at most 24 h × the days of the month in a row', async () => {
    // February 2024 has 29 days: 696 h; April has 30: 720 h.
    const feb = accepted(await read(monthly('P1;696;praktik', 'P2;696,01;praktik'), { month: '2024-02' }));
    expect(feb.rejected).toEqual([
      { line: 3, reason: 'column "Timer": 696,01 is outside (0, 696] hours for a month', problems: [{ code: 'hours-out-of-range', column: 'Timer', limit: 696, per: 'month' }] },
    ]);
    const apr = accepted(await read(monthly('P1;720;praktik', 'P2;720,5;praktik', 'P3;0;praktik'), { month: '2024-04' }));
    expect(apr.rejected.map((r) => r.line)).toEqual([3, 4]);
    expect(apr.rejected[0]!.reason).toContain('(0, 720]');
  });

  it('reject every row of a participant whose rows add up to more than 24 h × days, whatever their order', async () => {
    const rows = ['P1;400;praktik', 'P2;10;praktik', 'P1;300;løn', 'P1;296;løn'];
    for (const order of [rows, [...rows].reverse()]) {
      const result = accepted(await read(monthly(...order), { month: '2024-02' }));
      const p1Lines = order.flatMap((row, i) => (row.startsWith('P1') ? [i + 2] : []));
      expect(result.rejected).toEqual(
        p1Lines.map((line) => ({
          line,
          reason: expect.stringMatching(/for 2024-02 add up to 996 hours, more than 696 \(24 × 29 days\)/),
          problems: [{ code: 'month-over-limit', month: '2024-02', total: 996, limit: 696 }],
        })),
      );
      expect(weekTable(result)).not.toHaveProperty(['P1 2024-W06']);
      expect(totalCenti(result)).toBe(1000);
    }
    const fits = accepted(await read(monthly('P1;400;praktik', 'P1;296;løn'), { month: '2024-02' }));
    expect(fits.rejected).toEqual([]);
    expect(totalCenti(fits)).toBe(69_600);
  });
});

describe('progress', () => {
  it('reports the rows read every 100,000 rows', async () => {
    const rows = Array.from({ length: 200_001 }, (_, i) => `P${i % 50};${1 + (i % 28)}.02.2024;0,01;praktik`);
    const seen: number[] = [];
    const result = await readTimesheet(
      { name: 'big.csv', body: bodyOf(csv(['Deltager;Dato;Timer;Aktivitet', ...rows]), 64 * 1024), month: '2024-02' },
      { pseudonymise, onProgress: (n) => seen.push(n) },
    );
    expect(seen).toEqual([100_000, 200_000]);
    expect(accepted(result).accepted).toBe(200_001);
    expect(totalCenti(result)).toBe(200_001);
  });
});

describe('a file rejected whole carries a code for the portal, never a value', () => {
  const problemOf = (result: Awaited<ReturnType<typeof read>>) => {
    if (result.ok) throw new Error('expected a file rejected whole');
    return result.problem;
  };

  it('names the problem of the header, the format and the content', async () => {
    expect(problemOf(await read(csv(['Deltager;Dato;Aktivitet', VALID])))).toEqual({ code: 'header-missing-columns', columns: ['hours'] });
    expect(problemOf(await read(csv(['Deltager;Borger;Timer;Aktivitet'])))).toEqual({ code: 'header-duplicate-column', column: 'participant', columns: ['Deltager', 'Borger'] });
    expect(problemOf(await read(''))).toEqual({ code: 'file-empty' });
    expect(problemOf(await read('x', { name: 'timesheet.pdf' }))).toEqual({ code: 'file-format' });
    expect(problemOf(await read(`${HEADER}\nP1;"open\n`))).toEqual({ code: 'csv-unclosed-quote', line: 2 });
    expect(problemOf(await read(new Uint8Array([0x61, 0, 0x62])))).toEqual({ code: 'csv-encoding' });
  });

  it('a broken workbook is "not a readable Excel workbook", whatever broke it', async () => {
    const text = new TextEncoder().encode('deltager,dato,timer,aktivitet\n0101901234,2024-01-15,7,praktik\n');
    const result = await read(text, { name: 'report.xlsx' });
    expect(problemOf(result)).toEqual({ code: 'xlsx-unreadable' });
    expect(JSON.stringify(result)).not.toMatch(/0101901234/);
  });
});
