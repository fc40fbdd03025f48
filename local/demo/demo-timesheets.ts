import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { seededRandom } from '../../shared/random.ts';
import { formatDay, isWeekday, monthRange } from '../../shared/weeks/iso-week.ts';

/** One demo upload: a file and the report identity it is uploaded as. */
export interface DemoUpload {
  file: string;
  partnership: string;
  month: string;
  source: string;
  note: string;
}

const MONTHS = ['2019-02', '2019-03', '2019-04', '2019-05'];
/** Fictional CPR-shaped numbers: they show the pseudonymisation, they belong to no one. */
const KOEGE = ['010180-1111', '0202851222', '030390-1333', '040475-1444', '050588-1555', '060692-1666'];

const danishDate = (day: number) => formatDay(day).split('-').reverse().join('-');
const danishHours = (hours: number) => String(hours).replace('.', ',');

function weekdaysOf(month: string): number[] {
  const { first, last } = monthRange(month);
  const days: number[] = [];
  for (let day = first; day <= last; day++) if (isWeekday(day)) days.push(day);
  return days;
}

/** The employment actor's Danish Excel export: `;`, decimal comma, DD-MM-YYYY, CPR numbers. */
function actorCsv(month: string, random: () => number, correction: boolean): string {
  const lines = ['Deltager;Dato;Timer;Aktivitet;Aktør'];
  for (const [i, cpr] of KOEGE.entries()) {
    for (const day of weekdaysOf(month)) {
      if (random() < 0.15) lines.push(`${cpr};${danishDate(day)};${danishHours(7.5)};Sygdom;Jobvejen`);
      else lines.push(`${cpr};${danishDate(day)};${danishHours(i % 2 === 0 ? 3.5 : correction ? 5 : 4.5)};Opkvalificering;Jobvejen`);
    }
  }
  return lines.join('\r\n') + '\r\n';
}

/** The company's workbook: internship and paid hours, dates as date cells. */
async function companyXlsx(file: string, month: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Timer');
  sheet.addRow(['Borger', 'Dato', 'Timer', 'Type', 'Virksomhed']);
  for (const day of weekdaysOf(month)) {
    const date = new Date(formatDay(day));
    sheet.addRow([KOEGE[0], date, 4, 'Praktik', 'Køge Rør']);
    if (month >= '2019-04') sheet.addRow([KOEGE[1], date, 6, 'Løn', 'Køge Rør']);
  }
  await workbook.xlsx.writeFile(file);
}

/** A small actor reporting monthly totals only (no date column), with one bad row. */
function monthlyTotalsCsv(month: string): string {
  return [
    'participant,hours,activity',
    `HOL-001,62.5,training`,
    `HOL-002,40,internship`,
    `HOL-003,"12,5",ordinær`,
    `HOL-004,abc,training`,
  ].join('\n') + '\n';
}

/**
 * Writes the demo timesheets (deterministic) and returns them in upload order:
 * monthly reports from an actor and a company in Køge and from an actor in
 * Holbæk, then a correction, so `npm start` shows every part of the ingest.
 */
export async function writeDemoTimesheets(dir: string): Promise<DemoUpload[]> {
  await mkdir(dir, { recursive: true });
  const random = seededRandom(2019);
  const uploads: DemoUpload[] = [];
  for (const month of MONTHS) {
    const actor = join(dir, `koege-${month}-jobvejen.csv`);
    await writeFile(actor, '\uFEFF' + actorCsv(month, random, false));
    uploads.push({ file: actor, partnership: 'koege', month, source: 'jobvejen', note: 'actor timesheet (Danish CSV)' });
    const company = join(dir, `koege-${month}-koege-roer.xlsx`);
    await companyXlsx(company, month);
    uploads.push({ file: company, partnership: 'koege', month, source: 'koege-roer', note: 'company workbook (XLSX)' });
    const totals = join(dir, `holbaek-${month}-jobcenter.csv`);
    await writeFile(totals, monthlyTotalsCsv(month));
    uploads.push({ file: totals, partnership: 'holbaek', month, source: 'jobcenter', note: 'monthly totals with a bad row' });
  }
  const corrected = join(dir, 'koege-2019-03-jobvejen-corrected.csv');
  await writeFile(corrected, '\uFEFF' + actorCsv('2019-03', seededRandom(7), true));
  uploads.push({ file: corrected, partnership: 'koege', month: '2019-03', source: 'jobvejen', note: 'correction of March' });
  return uploads;
}
