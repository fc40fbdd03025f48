import ExcelJS from 'exceljs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cprSpellings, pbrOn, REPO, runPbr, smallContract, startStackProcess, type StackProcess } from '../support/pbr-process.ts';
import { axeViolations, launchBrowser, openPage, signInWithPicker } from './browser.ts';

/*
 * Issue 10, point 4: the files a finance officer opens, downloaded from the
 * portal in a real browser (Debian's Chromium driven by playwright-core) on a
 * local stack of its own. The statement's "Hent som Excel" and "Hent som CSV",
 * and the weekly hours' buttons: exceljs opens the XLSX, the CSV is read as
 * Danish Excel would (BOM, `;`, decimal comma), both compared with the API's
 * JSON. One participant is reported under a (fictional) CPR number, which no file
 * may repeat. Screenshots land in test-results/portal/exports-*.png.
 */

const SCREENSHOTS = join(REPO, 'test-results', 'portal');
const CPR = '311299-7822';

let stack: StackProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let pageErrors: string[];
const tokens: Record<string, string> = {};
const pbr = pbrOn(() => stack, 50);

/** GET on the API as JSON, with a token. */
async function apiJson<T>(path: string, token: string): Promise<T> {
  const response = await fetch(`${stack.endpoints.api}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  browser = await launchBrowser();
  stack = await startStackProcess();
  const dir = await mkdtemp(join(tmpdir(), 'pbr-exports-'));
  await writeFile(join(dir, 'koege.json'), JSON.stringify({ ...smallContract('koege', 'Køge'), programmeFee: 450_000 }));
  await pbr('upload-contract', join(dir, 'koege.json'));
  const upload = async (month: string, rows: string[]) => {
    const file = join(dir, `koege-${month}.csv`);
    await writeFile(file, ['participant,date,hours,activity', ...rows].join('\n') + '\n');
    const result = await runPbr(['upload', file, '--partnership', 'koege', '--month', month, '--source', 'actor', '--data', stack.dataDir]);
    expect(result.code, result.stderr).toBe(0);
  };
  await upload('2024-01', ['A,2024-01-08,12,ordinary', `${CPR},2024-01-09,4.5,training`, `${CPR},2024-01-16,5.25,training`]);
  await pbr('recalc', '--as-of', '2024-01');
  await upload('2024-02', [`${CPR},2024-02-06,14,ordinary`, 'A,2024-02-07,7.5,internship']);
  await pbr('recalc', '--as-of', '2024-02');
  tokens.holder = await pbr('token', '--role', 'holder');
  tokens.koege = await pbr('token', '--role', 'municipality', '--municipality', 'Køge');
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

beforeEach(async () => {
  ({ context, page, errors: pageErrors } = await openPage(browser, { acceptDownloads: true }));
});

afterEach(async () => {
  await context?.close();
  expect(pageErrors, 'errors in the page').toEqual([]);
});

const signIn = (as: 'holder' | string) => signInWithPicker(page, stack.endpoints.api, as);

/** Clicks a download button; the saved file's name and bytes. */
async function download(testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { name: file.suggestedFilename(), bytes: await readFile((await file.path())!) };
}

type Cell = ExcelJS.CellValue;
/** Every sheet of a workbook as rows of values (exceljs reading the downloaded bytes). */
async function sheetsOf(bytes: Buffer): Promise<Map<string, Cell[][]>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as never);
  return new Map(workbook.worksheets.map((sheet) => [sheet.name, sheet.getSheetValues().map((row) => (Array.isArray(row) ? row.slice(1) : []))]));
}

/** The rows under the header row whose first cells are `header`, to the next row with fewer than 2 values. */
function rowsUnder<T>(rows: T[][], ...header: T[]): T[][] {
  const start = rows.findIndex((row) => header.every((h, i) => row?.[i] === h));
  expect(start, `a table headed ${header.join(', ')}`).toBeGreaterThanOrEqual(0);
  const end = rows.findIndex((row, i) => i > start && (row ?? []).filter((c) => c !== undefined && c !== null && c !== '').length < 2);
  return rows.slice(start + 1, end < 0 ? undefined : end);
}

/** Every text a file holds, for the CPR scan. */
const textOf = (sheets: Map<string, Cell[][]>) => [...sheets.values()].flat(2).map((c) => (c instanceof Date ? c.toISOString() : String(c ?? ''))).join('\n');
const danishNumber = (text: string) => Number(text.replace(',', '.'));

async function expectNoAxeViolations(selector: string): Promise<void> {
  expect((await axeViolations(page, selector)).violations).toEqual({});
}

interface Figures {
  outcomePayments: number;
  fees: number;
  net: number;
}
interface StatementJson {
  month: Figures;
  totals: Figures;
  outcomes: { participant: string; week: string; amount: number; label: string }[];
  projection: { probabilityNetNonNegative: number };
  adjustments?: { since: string };
}

describe('exports a finance officer opens', () => {
  it('the statement as Excel and as Danish CSV, from the statement page', async () => {
    const statement = await apiJson<StatementJson>('/partnerships/koege/statements/2024-02', tokens.koege!);
    expect(statement.outcomes.length).toBeGreaterThan(0);
    expect(statement.adjustments?.since).toBe('2024-01');
    await signIn('Køge');
    await page.goto(`${stack.endpoints.api}/#/statements/koege/2024-02`);
    await page.getByTestId('statement-download-xlsx').waitFor();
    await expect(page.getByTestId('statement-download-xlsx').textContent()).resolves.toContain('Hent som Excel');
    await expect(page.getByTestId('statement-download-csv').textContent()).resolves.toContain('Hent som CSV');
    await expectNoAxeViolations('.downloads');
    await page.screenshot({ path: join(SCREENSHOTS, 'exports-statement.png') });

    const xlsx = await download('statement-download-xlsx');
    expect(xlsx.name).toBe('opgoerelse-koege-2024-02.xlsx');
    const sheets = await sheetsOf(xlsx.bytes);
    expect([...sheets.keys()]).toEqual(['Oversigt', 'Resultater', 'Måneder', 'Grundlag', 'Efterregulering']);
    const amounts = rowsUnder(sheets.get('Oversigt')!, 'Post', 'Måneden februar 2024 (kr.)');
    const figure = (name: string) => amounts.find((row) => row[0] === name)!.slice(1, 3);
    expect(figure('Netto')).toEqual([statement.month.net, statement.totals.net]);
    expect(figure('Programgebyr (forfaldent)')).toEqual([statement.month.fees, statement.totals.fees]);
    expect(figure('Resultatbetalinger')).toEqual([statement.month.outcomePayments, statement.totals.outcomePayments]);
    const payments = rowsUnder(sheets.get('Resultater')!, 'Uge', 'Ugens mandag');
    expect(payments.map((row) => [row[2], row[3], row[4]])).toEqual(statement.outcomes.map((o) => [o.participant, o.label, o.amount]));
    expect(payments.every((row) => row[1] instanceof Date)).toBe(true);
    expect(textOf(sheets)).not.toMatch(new RegExp(cprSpellings([CPR]).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')));

    const csv = await download('statement-download-csv');
    expect(csv.name).toBe('opgoerelse-koege-2024-02.csv');
    const text = csv.bytes.toString('utf8');
    expect(text.startsWith('\uFEFFOversigt\r\n')).toBe(true);
    const lines = Papa.parse<string[]>(text.slice(1), { delimiter: ';', newline: '\r\n' }).data;
    const net = lines.find((cells) => cells[0] === 'Netto')!;
    expect(net.slice(1).map(danishNumber)).toEqual([statement.month.net, statement.totals.net]);
    expect(net[2]).toMatch(/^-\d+,\d\d$/); // the fee outweighs the savings: negative, with a decimal comma
    expect(lines.find((cells) => cells[0] === 'Uge')).toEqual(['Uge', 'Ugens mandag', 'Deltager', 'Resultat', 'Beløb (kr.)']);
    for (const spelling of cprSpellings([CPR])) expect(text).not.toContain(spelling);
  });

  it('the weekly hours as Excel and as Danish CSV, from the hours page (project holder)', async () => {
    // every week (the route's default is the last 13), on one page at this size
    const hours = await apiJson<{ weeks: { participant: string; week: string; activeHours: number }[]; nextCursor: string | null }>('/partnerships/koege/hours?from=2000-W01', tokens.holder!);
    expect(hours.nextCursor).toBeNull();
    await signIn('holder');
    await page.goto(`${stack.endpoints.api}/#/hours/koege`);
    await page.getByTestId('hours-table').waitFor();
    await expectNoAxeViolations('.downloads');
    await page.screenshot({ path: join(SCREENSHOTS, 'exports-hours.png') });

    const xlsx = await download('hours-download-xlsx');
    expect(xlsx.name).toBe('timer-koege.xlsx');
    const sheets = await sheetsOf(xlsx.bytes);
    expect([...sheets.keys()]).toEqual(['Ugentlige timer']);
    const rows = rowsUnder(sheets.get('Ugentlige timer')!, 'Deltager', 'Uge', 'Ugens mandag', 'Aktive timer');
    const key = (participant: unknown, active: unknown) => `${participant}|${active}`;
    expect(rows.map((row) => key(row[0], row[3])).sort()).toEqual(hours.weeks.map((w) => key(w.participant, w.activeHours)).sort());

    const csv = await download('hours-download-csv');
    expect(csv.name).toBe('timer-koege.csv');
    const text = csv.bytes.toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = Papa.parse<string[]>(text.slice(1), { delimiter: ';', newline: '\r\n' }).data;
    const table = rowsUnder(lines, 'Deltager', 'Uge', 'Ugens mandag', 'Aktive timer');
    expect(table.map((row) => key(row[0], danishNumber(row[3]!))).sort()).toEqual(hours.weeks.map((w) => key(w.participant, w.activeHours)).sort());
    expect(table.some((row) => /^\d+,\d+$/.test(row[3]!))).toBe(true); // 4,5 + 5,25 hours: decimal commas
    expect(table.every((row) => /^\d\d\.\d\d\.\d{4}$/.test(row[2]!))).toBe(true);
    for (const spelling of cprSpellings([CPR])) expect(text).not.toContain(spelling);
  });
});
