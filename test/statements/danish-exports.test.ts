import ExcelJS from 'exceljs';
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { Figures } from '../../shared/simulation/statement.ts';
import { escapeFormula } from '../../shared/spreadsheet-cells.ts';
import { hoursDanishCsv, statementDanishCsv } from '../../shared/statements/danish-csv.ts';
import { hoursXlsx, NUMBER_FORMATS, statementXlsx } from '../../shared/statements/danish-xlsx.ts';
import type { StatementExport } from '../../shared/statements/export-tables.ts';
import { recalculateStatement } from '../../shared/statements/recalculate-statement.ts';
import { formatDay, mondayOf, weekIndexOfLabel } from '../../shared/weeks/iso-week.ts';
import { series, testContract, week } from '../simulation/builders.ts';
import { FORMULA_CASES } from '../support/formula-cases.ts';
import { inMemoryStores, reportStatus } from './in-memory-stores.ts';

const FIGURE_KEYS: (keyof Figures)[] = ['outcomePayments', 'grossBenefitSavings', 'municipalSavings', 'attributableSavings', 'fees', 'net'];

/**
 * A statement as the recalculation stores it, with a projection, a manifest and an
 * efterregulering: P1 reaches outcomes in January, and January's report is
 * corrected (more hours for P2) after the January statement was issued.
 */
async function storedStatement(participant = 'P1'): Promise<StatementExport> {
  const { world, deps } = inMemoryStores(testContract((doc) => void (doc.programmeFee = 450_000)));
  world.versions.roster = { key: 'rosters/test.csv', versionId: 'r1', sequencer: '0002' };
  world.weeks = [...series(participant, '2024-W02', 8, { ordinary: 20 }), week('P2', '2024-W03', { training: 7.5 })];
  world.statuses = [reportStatus('2024-01', 'a', '0003'), reportStatus('2024-02', 'a', '0004', { acceptedRows: 8, rejectedRows: 2 })];
  await recalculateStatement('test', '2024-01', deps({ runs: 40 }));
  world.weeks.push(week('P2', '2024-W04', { ordinary: 30.25 }));
  await recalculateStatement('test', '2024-02', deps({ runs: 40 }));
  return world.statements.get('2024-02')!;
}

interface ReadCell {
  value: unknown;
  numFmt?: string;
}

/** Every sheet of a workbook, by name, as rows of values with their number formats (exceljs reading the bytes back). */
async function readWorkbook(bytes: Uint8Array): Promise<Map<string, ReadCell[][]>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as never);
  const sheets = new Map<string, ReadCell[][]>();
  workbook.eachSheet((sheet) => {
    const rows: ReadCell[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, n) => {
      rows[n - 1] = [];
      row.eachCell({ includeEmpty: true }, (cell, c) => void (rows[n - 1]![c - 1] = { value: cell.value, numFmt: cell.numFmt }));
    });
    sheets.set(sheet.name, Array.from(rows, (row) => row ?? []));
  });
  return sheets;
}

/** The rows under the header row that starts with `header` (up to the next empty row or the notes, one text cell a row). */
function table(rows: ReadCell[][], ...header: string[]): ReadCell[][] {
  const start = rows.findIndex((row) => header.every((h, i) => row[i]?.value === h));
  expect(start, `a table headed ${header.join(', ')}`).toBeGreaterThanOrEqual(0);
  const end = rows.findIndex((row, i) => i > start && row.filter((c) => c?.value != null).length <= 1);
  return rows.slice(start + 1, end < 0 ? undefined : end);
}

/** The Danish CSV's lines as cells (papaparse with `;`), after checking the BOM; throws on a parse error. */
function readDanishCsv(text: string): string[][] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const parsed = Papa.parse<string[]>(text.slice(1), { delimiter: ';', newline: '\r\n', quoteChar: '"' });
  if (parsed.errors.length) throw new Error(parsed.errors.map((e) => e.message).join('; '));
  return parsed.data;
}

/** A Danish number (`-1234,50`, `12,5 %`) as a JS number. */
const danishNumber = (text: string) => Number(text.replace(/ %$/, '').replace(',', '.'));
/** `dd.mm.yyyy` → `yyyy-mm-dd`. */
const isoOfDanishDate = (text: string) => text.split('.').reverse().join('-');
const mondayIso = (week: string) => formatDay(mondayOf(weekIndexOfLabel(week)));

describe('the statement as XLSX (exceljs reads it back)', () => {
  it('has one sheet per section, the figures as numbers with Danish kroner format, weeks as dates', async () => {
    const stored = await storedStatement();
    const { statement } = stored;
    expect(statement.outcomes.length).toBeGreaterThan(0);
    expect(stored.adjustments?.figures.net).not.toBe(0);
    const sheets = await readWorkbook(await statementXlsx(stored));
    expect([...sheets.keys()]).toEqual(['Oversigt', 'Resultater', 'Måneder', 'Grundlag', 'Efterregulering']);

    const amounts = table(sheets.get('Oversigt')!, 'Post', `Måneden februar 2024 (kr.)`, 'I alt til og med måneden (kr.)');
    expect(amounts.map((row) => row[0]!.value)).toEqual(['Resultatbetalinger', 'Sparet ydelse (brutto)', 'Kommunal besparelse (efter refusion)', 'Henførbar besparelse (efter dødvægt)', 'Programgebyr (forfaldent)', 'Netto']);
    expect(amounts.map((row) => [row[1]!.value, row[2]!.value])).toEqual(FIGURE_KEYS.map((k) => [statement.month[k], statement.totals[k]]));
    for (const row of amounts) expect([row[1]!.numFmt, row[2]!.numFmt]).toEqual([NUMBER_FORMATS.kroner, NUMBER_FORMATS.kroner]);
    const bands = table(sheets.get('Oversigt')!, 'Post', 'P10 (kr.)');
    expect(bands.map((row) => row.slice(1).map((c) => c.value))).toEqual(['outcomePayments', 'municipalSavings', 'net'].map((k) => {
      const band = statement.projection![k as 'net'];
      return [band.p10, band.p50, band.p90];
    }));
    const probability = sheets.get('Oversigt')!.find((row) => String(row[0]?.value).startsWith('Sandsynlighed'))!;
    expect([probability[1]!.value, probability[1]!.numFmt]).toEqual([statement.projection!.probabilityNetNonNegative, NUMBER_FORMATS.share]);
    expect(sheets.get('Oversigt')!.flat().some((c) => String(c?.value).startsWith('Bygger på'))).toBe(true);

    const payments = table(sheets.get('Resultater')!, 'Uge', 'Ugens mandag', 'Deltager', 'Resultat', 'Beløb (kr.)');
    expect(payments.map((row) => [(row[1]!.value as Date).toISOString().slice(0, 10), row[2]!.value, row[3]!.value, row[4]!.value])).toEqual(
      statement.outcomes.map((o) => [mondayIso(o.week), o.participant, o.label, o.amount]),
    );
    expect(payments[0]![1]!.numFmt).toBe('dd.mm.yyyy');
    expect(payments[0]![0]!.value).toBe(`uge ${Number(statement.outcomes[0]!.week.slice(6))}, 2024`);

    const months = table(sheets.get('Måneder')!, 'Måned');
    expect(months.map((row) => row.slice(1, 7).map((c) => c.value))).toEqual(statement.byMonth.map((m) => FIGURE_KEYS.map((k) => m[k])));

    const evidence = table(sheets.get('Grundlag')!, 'Deltager', 'Resultat', 'Udløst i uge', 'Uge med timer');
    expect(evidence.map((row) => row[5]!.value)).toEqual(statement.outcomes.flatMap((o) => o.evidence!.map((e) => e.hours)));
    const inputs = table(sheets.get('Grundlag')!, 'Inddata', 'Nøgle');
    expect(inputs.map((row) => row[1]!.value)).toEqual(['contracts/test.json', 'rosters/test.csv', 'reports/test/2024-01/a.csv', 'reports/test/2024-02/a.csv']);

    const adjustment = table(sheets.get('Efterregulering')!, 'Post');
    expect(adjustment.map((row) => row.slice(1).map((c) => c.value))).toEqual(
      FIGURE_KEYS.map((k) => [stored.baseline!.totals[k], stored.adjustments!.figures[k], statement.month[k], statement.totals[k]]),
    );
  });

  it('has no Efterregulering sheet without a previous statement, and says when the manifest is missing', async () => {
    const { statement } = await storedStatement();
    const sheets = await readWorkbook(await statementXlsx({ statement }));
    expect([...sheets.keys()]).toEqual(['Oversigt', 'Resultater', 'Måneder', 'Grundlag']);
    expect(sheets.get('Grundlag')!.flat().some((c) => String(c?.value).startsWith('Ikke registreret'))).toBe(true);
  });

  it.each(FORMULA_CASES)('writes a participant %j a spreadsheet would run as a formula as escaped text (spec 2.4)', async (value) => {
    const stored = await storedStatement(value);
    const sheets = await readWorkbook(await statementXlsx(stored));
    const participants = table(sheets.get('Resultater')!, 'Uge', 'Ugens mandag', 'Deltager').map((row) => row[2]!.value);
    // XML keeps no bare CR: it reads back as a line feed, after the escape's `'`.
    expect(participants).toContain(escapeFormula(value).replace('\r', '\n'));
    for (const rows of sheets.values()) for (const cell of rows.flat()) expect(typeof cell?.value === 'object' && cell.value !== null && 'formula' in cell.value).toBe(false);
  });
});

describe('the statement as Danish CSV', () => {
  it('starts with a BOM, separates with `;`, writes decimal commas and dd.mm.yyyy, under Danish headers', async () => {
    const stored = await storedStatement();
    const { statement } = stored;
    const csv = statementDanishCsv(stored);
    expect(csv.startsWith('\uFEFFOversigt\r\n')).toBe(true);
    const lines = readDanishCsv(csv);
    const net = lines.find((cells) => cells[0] === 'Netto')!;
    expect(net.slice(1).map(danishNumber)).toEqual([statement.month.net, statement.totals.net]);
    expect(net[2]).toMatch(/^-?\d+,\d\d$/);
    expect(csv).toContain('Post;Måneden februar 2024 (kr.);I alt til og med måneden (kr.)\r\n');
    const header = lines.findIndex((cells) => cells.join(';') === 'Uge;Ugens mandag;Deltager;Resultat;Beløb (kr.)');
    const payments = lines.slice(header + 1, header + 1 + statement.outcomes.length);
    expect(payments.map((cells) => [isoOfDanishDate(cells[1]!), cells[2], cells[3], danishNumber(cells[4]!)])).toEqual(
      statement.outcomes.map((o) => [mondayIso(o.week), o.participant, o.label, o.amount]),
    );
    expect(payments[0]![1]).toMatch(/^\d\d\.\d\d\.\d{4}$/);
    const probability = lines.find((cells) => cells[0]?.startsWith('Sandsynlighed'))!;
    expect(probability[1]).toMatch(/^\d+(,\d+)? %$/);
    for (const sheet of ['Resultater', 'Måneder', 'Grundlag', 'Efterregulering']) expect(lines.some((cells) => cells.length === 1 && cells[0] === sheet)).toBe(true);
  });

  it('every figure survives a round trip through the CSV and the XLSX (property)', async () => {
    const amount = fc.integer({ min: -1e12, max: 1e12 }).map((oere) => oere / 100 + 0);
    const figures = fc.record(Object.fromEntries(FIGURE_KEYS.map((k) => [k, amount])) as Record<keyof Figures, fc.Arbitrary<number>>);
    const base = await storedStatement();
    await fc.assert(
      fc.asyncProperty(figures, figures, fc.array(amount, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 10_000 }), async (month, totals, amounts, probability) => {
        const outcomes = amounts.map((a, i) => ({ ...base.statement.outcomes[i % base.statement.outcomes.length]!, amount: a }));
        const projection = { ...base.statement.projection!, probabilityNetNonNegative: probability / 10_000 };
        const stored = { ...base, statement: { ...base.statement, month: { ...month, outcomes: [] }, totals, outcomes, projection } };
        const lines = readDanishCsv(statementDanishCsv(stored));
        expect(FIGURE_KEYS.map((k) => lines.find((cells) => cells[0] === FIGURE_NAMES[k])!.slice(1, 3).map(danishNumber))).toEqual(FIGURE_KEYS.map((k) => [month[k], totals[k]]));
        const header = lines.findIndex((cells) => cells[0] === 'Uge' && cells[4] === 'Beløb (kr.)');
        expect(lines.slice(header + 1, header + 1 + amounts.length).map((cells) => danishNumber(cells[4]!))).toEqual(amounts);
        expect(danishNumber(lines.find((cells) => cells[0]?.startsWith('Sandsynlighed'))![1]!) / 100).toBeCloseTo(probability / 10_000, 10);

        const sheets = await readWorkbook(await statementXlsx(stored));
        const read = table(sheets.get('Oversigt')!, 'Post', 'Måneden februar 2024 (kr.)');
        expect(read.map((row) => [row[1]!.value, row[2]!.value])).toEqual(FIGURE_KEYS.map((k) => [month[k], totals[k]]));
        expect(table(sheets.get('Resultater')!, 'Uge', 'Ugens mandag').map((row) => row[4]!.value)).toEqual(amounts);
      }),
      { numRuns: 25 },
    );
  });
});

const FIGURE_NAMES: Record<keyof Figures, string> = {
  outcomePayments: 'Resultatbetalinger',
  grossBenefitSavings: 'Sparet ydelse (brutto)',
  municipalSavings: 'Kommunal besparelse (efter refusion)',
  attributableSavings: 'Henførbar besparelse (efter dødvægt)',
  fees: 'Programgebyr (forfaldent)',
  net: 'Netto',
};

describe('weekly hours as XLSX and Danish CSV', () => {
  const weeks = [week('P1', '2024-W02', { ordinary: 12.5, absence: 3 }), week('P1', '2024-W03', { training: 7.25 }, true), week('=P2', '2024-W02', { flexjob: 1234.5 })];

  it('one row a participant-week: week as text and Monday as a date, active and paid hours and every activity as numbers', async () => {
    const sheets = await readWorkbook(await hoursXlsx('test', weeks));
    const rows = table(sheets.get('Ugentlige timer')!, 'Deltager', 'Uge', 'Ugens mandag', 'Aktive timer', 'Lønnede timer');
    expect(rows.map((row) => row.map((c) => (c.value instanceof Date ? c.value.toISOString().slice(0, 10) : c.value)))).toEqual([
      ['P1', 'uge 2, 2024', '2024-01-08', 12.5, 12.5, 0, 0, 12.5, 0, 0, 0, 3, 'nej'],
      ['P1', 'uge 3, 2024', '2024-01-15', 7.25, 0, 7.25, 0, 0, 0, 0, 0, 0, 'ja'],
      ["'=P2", 'uge 2, 2024', '2024-01-08', 1234.5, 1234.5, 0, 0, 0, 1234.5, 0, 0, 0, 'nej'],
    ]);
    expect(rows[0]![3]!.numFmt).toBe(NUMBER_FORMATS.hours);

    const csv = readDanishCsv(hoursDanishCsv('test', weeks));
    const header = csv.findIndex((cells) => cells[0] === 'Deltager');
    expect(csv[header]).toEqual(['Deltager', 'Uge', 'Ugens mandag', 'Aktive timer', 'Lønnede timer', 'Opkvalificering', 'Praktik', 'Ordinære timer', 'Fleksjob', 'Løntilskud', 'Uddannelse', 'Fravær', 'Skønnet (månedstal fordelt)']);
    expect(csv.slice(header + 1, header + 4)).toEqual([
      ['P1', 'uge 2, 2024', '08.01.2024', '12,5', '12,5', '0', '0', '12,5', '0', '0', '0', '3', 'nej'],
      ['P1', 'uge 3, 2024', '15.01.2024', '7,25', '0', '7,25', '0', '0', '0', '0', '0', '0', 'ja'],
      ["'=P2", 'uge 2, 2024', '08.01.2024', '1234,5', '1234,5', '0', '0', '0', '1234,5', '0', '0', '0', 'nej'],
    ]);
  });
});
