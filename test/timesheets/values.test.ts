import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayNumber, formatDay } from '../../shared/weeks/iso-week.ts';
import { readTimesheet } from '../../shared/timesheets/read-timesheet.ts';
import { RowAggregator } from '../../shared/timesheets/row-aggregator.ts';
import { cellText, isBlank, parseCentiHours, type Cell } from '../../shared/timesheets/values.ts';
import { parseDay } from '../../shared/weeks/parse-day.ts';
import { ACTIVITIES } from '../../shared/weekly-hours/activities.ts';
import { activityOf, layoutOfHeader, type HeaderLayout } from '../../shared/timesheets/vocabulary.ts';
import { accepted, bodyOf, csv, pseudonymise, read, weekTable } from '../fixtures/timesheets/helpers.ts';

describe('parseCentiHours', () => {
  it.each([
    ['7.5', 750],
    ['7,5', 750],
    [' 8 ', 800],
    ['0,25', 25],
    ['0.05', 5],
    ['24', 2400],
    ['12,10', 1210],
    ['-1', -100],
    ['0', 0],
  ])('%j is %i hundredths', (text, centi) => {
    expect(parseCentiHours(text)).toBe(centi);
  });

  it.each(['', '   ', 'syv', '7,5 t', '7 timer', '1.234,5', '1,234.5', '1e2', '+5', '-', '7..5', '7,5,0', 'NaN', '0x10'])(
    '%j is not a number',
    (text) => {
      expect(parseCentiHours(text)).toBeNaN();
    },
  );

  it('takes XLSX numbers, rounding to hundredths without float noise', () => {
    expect(parseCentiHours(7.5)).toBe(750);
    expect(parseCentiHours(0.1 + 0.2)).toBe(30);
    expect(parseCentiHours(24)).toBe(2400);
    expect(parseCentiHours(Number.NaN)).toBeNaN();
    expect(parseCentiHours(Number.POSITIVE_INFINITY)).toBeNaN();
    expect(parseCentiHours(new Date())).toBeNaN();
    expect(parseCentiHours(undefined)).toBeNaN();
  });
});

describe('parseDay', () => {
  const day = (text: string | Date) => {
    const n = parseDay(text);
    return Number.isNaN(n) ? 'NaN' : formatDay(n);
  };

  it.each([
    ['2024-02-29', '2024-02-29'],
    ['29-02-2024', '2024-02-29'],
    ['29.02.2024', '2024-02-29'],
    ['29/02/2024', '2024-02-29'],
    ['1.2.2024', '2024-02-01'],
    ['05-01-2024', '2024-01-05'], // day first, never month first
    [' 2024-01-15 ', '2024-01-15'],
    ['31.12.2024', '2024-12-31'],
    ['31-01-2024', '2024-01-31'],
  ])('%j is %s', (text, iso) => {
    expect(day(text)).toBe(iso);
  });

  it.each([
    '31.02.2024', // 31 February
    '30.02.2024',
    '2023-02-29', // not a leap year
    '29-02-2023',
    '31.04.2024', // April has 30 days
    '2024-13-01',
    '2024-00-10',
    '00.01.2024',
    '32.01.2024',
    '15.13.2024',
    '2024/01/15', // slashes only in the Danish order
    '15-01.2024', // mixed separators
    '2024-1-5',
    '15.01.24', // two-digit year
    '15012024',
    '15. januar 2024',
    '',
  ])('%j is not a date', (text) => {
    expect(day(text)).toBe('NaN');
  });

  it('takes an XLSX date as its UTC calendar date', () => {
    expect(day(new Date(Date.UTC(2024, 1, 29)))).toBe('2024-02-29');
    expect(day(new Date(Date.UTC(2024, 1, 29, 23, 30)))).toBe('2024-02-29');
    expect(day(new Date(Number.NaN))).toBe('NaN');
    expect(parseDay(45306)).toBeNaN(); // a bare serial number is not a date cell
    expect(parseDay(undefined)).toBeNaN();
  });

  it('gives consecutive day numbers', () => {
    expect(parseDay('01.03.2024') - parseDay('29.02.2024')).toBe(1);
    expect(parseDay('2024-01-01')).toBe(dayNumber(2024, 1, 1));
  });
});

describe('cells', () => {
  it('isBlank', () => {
    expect(isBlank(undefined)).toBe(true);
    expect(isBlank('')).toBe(true);
    expect(isBlank('  \t')).toBe(true);
    expect(isBlank(0)).toBe(false);
    expect(isBlank('x')).toBe(false);
    expect(isBlank(new Date(0))).toBe(false);
  });

  it('cellText', () => {
    expect(cellText(' a ')).toBe('a');
    expect(cellText(7.5)).toBe('7.5');
    expect(cellText(new Date(Date.UTC(2024, 0, 15)))).toBe('2024-01-15');
    expect(cellText(undefined)).toBe('');
  });
});

describe('any cell a spreadsheet can hold', () => {
  /** Every kind of Cell, with the awkward ones often: invalid and far-off dates, NaN, ±Infinity, 1e308. */
  const anyCell: fc.Arbitrary<Cell> = fc.oneof(
    fc.string(),
    fc.double(),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 5e-324),
    fc.date({ noInvalidDate: false }),
    fc.constantFrom(new Date(Number.NaN), new Date(8.64e15), new Date(-8.64e15)),
    fc.constant(undefined),
  );

  it('no function here throws, and each answers in its own terms (property)', () => {
    fc.assert(
      fc.property(anyCell, (cell) => {
        expect(typeof isBlank(cell)).toBe('boolean');
        expect(typeof cellText(cell)).toBe('string');
        const day = parseDay(cell);
        expect(Number.isNaN(day) || Number.isInteger(day)).toBe(true);
        const centi = parseCentiHours(cell);
        expect(Number.isNaN(centi) || Number.isInteger(centi) || Math.abs(centi) === Infinity).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('a date cell holding no valid date reads as "invalid date"; far-off years are written out whole', () => {
    expect(cellText(new Date(Number.NaN))).toBe('invalid date');
    expect(parseDay(new Date(Number.NaN))).toBeNaN();
    expect(cellText(new Date(Date.UTC(29279, 0, 1)))).toBe('+029279-01-01');
    expect(cellText(new Date(8.64e15))).toBe('+275760-09-13');
    expect(parseCentiHours(1e308)).toBe(Infinity);
  });

  it('every row of awkward cells gets a verdict, never an exception (property)', () => {
    const header = layoutOfHeader(['Deltager', 'Dato', 'Timer', 'Aktivitet']) as HeaderLayout;
    fc.assert(
      fc.property(fc.array(fc.tuple(anyCell, anyCell, anyCell, anyCell), { maxLength: 20 }), (rows) => {
        const aggregator = new RowAggregator(header, pseudonymise, '2024-01');
        rows.forEach((cells, i) => aggregator.addRow(i + 2, cells));
        const result = aggregator.totals();
        expect(result.rows).toBe(rows.length);
        expect(result.accepted + result.rejected.length).toBe(rows.length);
      }),
      { numRuns: 300 },
    );
  });

  it('an XLSX date-styled cell holding 1e308 rejects its row, naming line and column, and the file is read', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Timer');
    ws.addRow(['Deltager', 'Dato', 'Timer', 'Aktivitet']);
    ws.addRow(['P1', 1e308, 7, 'praktik']);
    ws.addRow(['P1', new Date(Date.UTC(2024, 0, 15)), 1e308, 'praktik']);
    ws.addRow(['P2', new Date(Date.UTC(2024, 0, 15)), 7, 'praktik']);
    ws.getCell('B2').numFmt = 'yyyy-mm-dd';
    ws.getCell('C3').numFmt = 'yyyy-mm-dd';
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const result = accepted(await readTimesheet({ name: 'januar.xlsx', body: bodyOf(bytes), month: '2024-01' }, { pseudonymise }));
    expect(result.rejected).toEqual([
      { line: 2, reason: 'column "Dato": "invalid date" is not a date (YYYY-MM-DD, DD-MM-YYYY, DD.MM.YYYY or DD/MM/YYYY)', problems: [{ code: 'date-invalid', column: 'Dato' }] },
      { line: 3, reason: 'column "Timer": "invalid date" is not a number of hours', problems: [{ code: 'hours-invalid', column: 'Timer' }] },
    ]);
    expect(weekTable(result)).toEqual({ 'P2 2024-W03': { internship: 7 } });
  });
});

describe('header columns', () => {
  const layout = (header: string[]): HeaderLayout => {
    const result = layoutOfHeader(header);
    if ('reason' in result) expect.fail(result.reason);
    return result;
  };

  it('maps Danish headers, case-insensitive and trimmed, keeping the spelling as written', () => {
    const result = layout([' DELTAGER ', 'dato', 'Timer ', ' aktivitet', 'VIRKSOMHED', 'Bemærkning']);
    expect(result.index).toEqual({ participant: 0, date: 1, hours: 2, activity: 3, organisation: 4 });
    expect(result.name).toEqual({ participant: 'DELTAGER', date: 'dato', hours: 'Timer', activity: 'aktivitet', organisation: 'VIRKSOMHED' });
  });

  // Every alias in the spec's table (section 2.1), with the canonical name.
  it.each([
    ['participant', ['participant', 'deltager', 'borger', 'cpr', 'participant_id', 'Borger', 'CPR', 'Participant_ID']],
    ['date', ['date', 'dato', 'Dato', 'DATE']],
    ['hours', ['hours', 'timer', 'Timer', 'HOURS']],
    ['activity', ['activity', 'aktivitet', 'type', 'Type', 'AKTIVITET']],
    ['organisation', ['organisation', 'organization', 'virksomhed', 'aktør', 'aktoer', 'Aktør', 'AKTØR', 'Organization']],
  ] as const)('%s has the aliases %j', (column, aliases) => {
    const others = { participant: 'deltager', date: 'dato', hours: 'timer', activity: 'aktivitet', organisation: 'virksomhed' };
    for (const alias of aliases) {
      const header = Object.entries(others).map(([c, name]) => (c === column ? alias : name));
      const result = layout(header);
      expect(result.name[column], alias).toBe(alias);
    }
  });

  it('needs no date or organisation column', () => {
    const result = layout(['cpr', 'timer', 'type']);
    expect(result.index.date).toBeUndefined();
    expect(result.index.organisation).toBeUndefined();
  });

  it('names the missing required column', () => {
    const missing = layoutOfHeader(['Deltager', 'Dato', 'Timer']);
    expect('reason' in missing && missing.reason).toMatch(/"activity" \(or aktivitet, type\)/);
    const two = layoutOfHeader(['Dato', 'Aktivitet']);
    expect('reason' in two && two.reason).toMatch(/"participant".*"hours"/);
  });

  it('rejects one column given twice under different names, naming both as written', () => {
    const result = layoutOfHeader(['Deltager', 'CPR', 'Timer', 'Aktivitet']);
    expect('reason' in result && result.reason).toMatch(/"Deltager" and "CPR"/);
    const same = layoutOfHeader(['Timer', 'deltager', 'TIMER', 'type']);
    expect('reason' in same && same.reason).toMatch(/"Timer" and "TIMER"/);
  });
});

describe('activities', () => {
  // Spec 2.1, copied from the spec, not from the code.
  const SPEC_ALIASES: [string, string][] = [
    ['training', 'training'],
    ['opkvalificering', 'training'],
    ['forløb', 'training'],
    ['internship', 'internship'],
    ['praktik', 'internship'],
    ['virksomhedspraktik', 'internship'],
    ['ordinary', 'ordinary'],
    ['ordinær', 'ordinary'],
    ['ordinære timer', 'ordinary'],
    ['løn', 'ordinary'],
    ['lønnede timer', 'ordinary'],
    ['småjob', 'ordinary'],
    ['flexjob', 'flexjob'],
    ['fleksjob', 'flexjob'],
    ['wage_subsidy', 'wage_subsidy'],
    ['løntilskud', 'wage_subsidy'],
    ['education', 'education'],
    ['uddannelse', 'education'],
    ['absence', 'absence'],
    ['fravær', 'absence'],
    ['sygdom', 'absence'],
  ];

  it.each(SPEC_ALIASES)('%j is %s, in any case and with spaces around', (written, activity) => {
    expect(ACTIVITIES[activityOf(written)]).toBe(activity);
    expect(ACTIVITIES[activityOf(written.toUpperCase())]).toBe(activity);
    expect(ACTIVITIES[activityOf(`  ${written[0]!.toUpperCase()}${written.slice(1)} `)]).toBe(activity);
  });

  it.each(['ferie', 'praktikant', 'ordinaer', '', 'løn tilskud'])('%j is unknown', (written) => {
    expect(activityOf(written)).toBe(-1);
  });

  it('every alias counts under its activity when read from a file', async () => {
    const rows = SPEC_ALIASES.map(([written], i) => `P${i};15.01.2024;1;${written.toUpperCase()}`);
    const result = accepted(await read(csv(['Deltager;Dato;Timer;Aktivitet', ...rows])));
    expect(result.rejected).toEqual([]);
    const table = weekTable(result);
    SPEC_ALIASES.forEach(([written, activity], i) => {
      expect(table[`P${i} 2024-W03`], written).toEqual({ [activity]: 1 });
    });
  });
});

describe('decimal commas in files', () => {
  it('are accepted in `;` files', async () => {
    const result = await read(csv(['Deltager;Dato;Timer;Aktivitet', 'P1;15-01-2024;7,5;praktik', 'P1;16-01-2024;0,25;praktik']));
    expect(weekTable(result)).toEqual({ 'P1 2024-W03': { internship: 7.75 } });
  });

  it('are accepted in quoted fields of `,` files', async () => {
    const result = await read(csv(['participant,date,hours,activity', 'P1,2024-01-15,"7,5",training', 'P1,2024-01-16,2.5,training']));
    expect(weekTable(result)).toEqual({ 'P1 2024-W03': { training: 10 } });
  });

  it('split an unquoted `,` field, which then fails as a row of the wrong shape', async () => {
    // "P1,2024-01-15,7,5,training": hours "7", activity "5": unknown activity.
    const result = accepted(await read(csv(['participant,date,hours,activity', 'P1,2024-01-15,7,5,training'])));
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]!.reason).toMatch(/"5" is not a known activity/);
  });
});
