import { createReadStream } from 'node:fs';
import { basename, extname } from 'node:path';
import { readTimesheet } from '../shared/timesheets/read-timesheet.ts';
import type { RejectedReport } from '../shared/simulation/statement.ts';
import type { WeeklyHours } from '../shared/weekly-hours/weekly-hours.ts';
import { endProgress, progressLine } from './command.ts';

const MONTH_IN_PATH = /\d{4}-(0[1-9]|1[0-2])/;

export interface TimesheetFiles {
  weeks: WeeklyHours[];
  rejectedReports: RejectedReport[];
  fileRejected: boolean;
  rowsRejected: boolean;
}

/**
 * Reads timesheet files for `pbr hours` and `pbr simulate`: each file's month is
 * `month`, else the first YYYY-MM in its path. Rejections go to stderr as
 * `FILE:LINE: reason` (or `FILE: reason` for a file rejected whole).
 */
export async function readTimesheetFiles(files: readonly string[], month: string | undefined, pseudonymise: (participant: string) => string): Promise<TimesheetFiles> {
  const read: TimesheetFiles = { weeks: [], rejectedReports: [], fileRejected: false, rowsRejected: false };
  for (const file of files) {
    const fileMonth = month ?? MONTH_IN_PATH.exec(file)?.[0];
    const report = { key: file, month: fileMonth ?? '', source: basename(file, extname(file)) };
    if (!fileMonth) {
      process.stderr.write(`${file}: cannot tell the report's month: pass --month YYYY-MM or put YYYY-MM in the path\n`);
      read.fileRejected = true;
      read.rejectedReports.push({ ...report, outcome: 'rejected', rejectedRows: 0, reasons: 1 });
      continue;
    }
    let result;
    try {
      const body = createReadStream(file, { highWaterMark: 1 << 20 });
      result = await readTimesheet({ name: file, body, month: fileMonth }, { pseudonymise, onProgress: (rows) => progressLine(`${file}: ${rows.toLocaleString('en')} rows`) });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!code) throw error;
      result = { ok: false as const, reason: `cannot be read (${code})` };
    } finally {
      endProgress();
    }
    if (!result.ok) {
      process.stderr.write(`${file}: ${result.reason}\n`);
      read.fileRejected = true;
      read.rejectedReports.push({ ...report, outcome: 'rejected', rejectedRows: 0, reasons: 1 });
      continue;
    }
    for (const { line, reason } of result.rejected) process.stderr.write(`${file}:${line}: ${reason}\n`);
    if (result.rejected.length > 0) {
      read.rowsRejected = true;
      read.rejectedReports.push({ ...report, outcome: 'accepted', rejectedRows: result.rejected.length, reasons: result.rejected.length });
    }
    for (const week of result.weeks) read.weeks.push(week);
  }
  return read;
}
