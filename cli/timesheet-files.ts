import { open } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { redactCpr } from '../shared/cpr-numbers.ts';
import { readTimesheet } from '../shared/timesheets/read-timesheet.ts';
import type { RejectedReport } from '../shared/simulation/statement.ts';
import type { SortedWeeklyHours, WeeklyHours } from '../shared/weekly-hours/weekly-hours.ts';
import { endProgress, progressLine } from './command.ts';

const MONTH_IN_PATH = /\d{4}-(0[1-9]|1[0-2])/;
/** Bytes read from a file at a time, into reused buffers: fewer trips to libuv's thread pool than 64 KiB, and no memory churn. */
const READ_CHUNK_BYTES = 1024 * 1024;

export interface TimesheetFiles {
  /** Per file read, its weekly hours (sorted, one row per participant-week; see {@link allWeeks}). */
  weeksByFile: SortedWeeklyHours[];
  rejectedReports: RejectedReport[];
  fileRejected: boolean;
  rowsRejected: boolean;
}

/**
 * Reads timesheet files for `pbr hours` and `pbr simulate`: each file's month is
 * `month`, else the first YYYY-MM in its path. Rejections go to stderr as
 * `FILE:LINE: reason` (or `FILE: reason` for a file rejected whole), and so does a
 * note when a CSV was read as Windows-1252. A CPR number in a file's path is
 * blanked wherever the path is shown (spec 2.4).
 */
export async function readTimesheetFiles(files: readonly string[], month: string | undefined, pseudonymise: (participant: string) => string): Promise<TimesheetFiles> {
  const read: TimesheetFiles = { weeksByFile: [], rejectedReports: [], fileRejected: false, rowsRejected: false };
  for (const file of files) {
    const fileMonth = month ?? MONTH_IN_PATH.exec(file)?.[0];
    const shown = redactCpr(file);
    const report = { key: shown, month: fileMonth ?? '', source: basename(shown, extname(shown)) };
    if (!fileMonth) {
      process.stderr.write(`${shown}: cannot tell the report's month: pass --month YYYY-MM or put YYYY-MM in the path\n`);
      read.fileRejected = true;
      read.rejectedReports.push({ ...report, outcome: 'rejected', rejectedRows: 0, reasons: 1 });
      continue;
    }
    let result;
    try {
      const chunks = () => fileChunks(file);
      result = await readTimesheet({ name: shown, body: chunks(), reopen: chunks, month: fileMonth }, { pseudonymise, onProgress: process.stderr.isTTY ? (rows) => progressLine(`${shown}: ${rows.toLocaleString('en')} rows`) : undefined });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!code) throw error;
      result = { ok: false as const, reason: `cannot be read (${code})` };
    } finally {
      endProgress();
    }
    if (!result.ok) {
      process.stderr.write(`${shown}: ${result.reason}\n`);
      read.fileRejected = true;
      read.rejectedReports.push({ ...report, outcome: 'rejected', rejectedRows: 0, reasons: 1 });
      continue;
    }
    if (result.encoding === 'windows-1252') process.stderr.write(`${shown}: not UTF-8: read as Windows-1252 (Danish Excel's "CSV (semikolonsepareret)")\n`);
    for (const { line, reason } of result.rejected) process.stderr.write(`${shown}:${line}: ${reason}\n`);
    if (result.rejected.length > 0) {
      read.rowsRejected = true;
      read.rejectedReports.push({ ...report, outcome: 'accepted', rejectedRows: result.rejected.length, reasons: result.rejected.length });
    }
    read.weeksByFile.push(result.weeks);
  }
  return read;
}

/** Every file's weekly hours in one list, file after file, as a simulation takes them. */
export function allWeeks(read: TimesheetFiles): WeeklyHours[] {
  return read.weeksByFile.flatMap((weeks) => [...weeks]);
}

/**
 * A file's bytes, read into two buffers in turn (a timesheet body may reuse its
 * buffers: see TimesheetInput), the next read under way while the reader works on
 * the last. A stream's fresh Buffer per chunk lives outside the V8 heap until a
 * collection finds it: on a 40 MB file that held ~40 MB more at the peak, and the
 * pages it touched cost ~0.2 s (BENCHMARKS.md).
 */
async function* fileChunks(file: string): AsyncGenerator<Uint8Array> {
  const handle = await open(file);
  const buffers = [new Uint8Array(READ_CHUNK_BYTES), new Uint8Array(READ_CHUNK_BYTES)];
  let next = handle.read(buffers[0]!, 0, READ_CHUNK_BYTES);
  try {
    for (let turn = 1; ; turn++) {
      const { bytesRead, buffer } = await next;
      if (bytesRead === 0) return;
      next = handle.read(buffers[turn % 2]!, 0, READ_CHUNK_BYTES);
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await next.catch(() => undefined); // a read still under way must end before the file closes
    await handle.close();
  }
}
