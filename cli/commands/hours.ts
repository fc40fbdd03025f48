import { createReadStream } from 'node:fs';
import { endProgress, localPseudonymKey, progressLine, type Command } from '../command.ts';
import { createPseudonymiser } from '../../shared/timesheets/pseudonym.ts';
import { readTimesheet } from '../../shared/timesheets/read-timesheet.ts';
import { formatHoursCsv } from '../../shared/weekly-hours/hours-csv.ts';
import { sumWeeklyHours, type WeeklyHours } from '../../shared/weekly-hours/weekly-hours.ts';

const MONTH_IN_PATH = /\d{4}-(0[1-9]|1[0-2])/;

export const EXIT_ROWS_REJECTED = 3;
export const EXIT_FILE_REJECTED = 2;

export const hours: Command = {
  name: 'hours',
  summary: 'weekly active hours per participant from timesheet files (no AWS)',
  usage: `
Usage: pbr hours [--month YYYY-MM] FILE...

Reads monthly timesheets (CSV or XLSX) and prints weekly hours per participant
and ISO week as CSV on stdout. Rejected rows go to stderr as FILE:LINE: reason.
A file's month is --month, else the first YYYY-MM in its path.
CPR numbers are replaced by pseudonyms keyed by PBR_PSEUDONYM_KEY.

Exit codes: 0 all rows counted, 3 some rows rejected, 2 some file rejected whole
(the other files are still counted; 2 wins over 3).`,
  options: { month: { type: 'string' } },
  async run(values, files) {
    if (files.length === 0) {
      process.stderr.write('pbr hours: name at least one timesheet file (see pbr hours --help)\n');
      return 1;
    }
    const pseudonymise = createPseudonymiser(localPseudonymKey());
    const weeks: WeeklyHours[] = [];
    let fileRejected = false;
    let rowsRejected = false;
    for (const file of files) {
      const month = (values.month as string | undefined) ?? MONTH_IN_PATH.exec(file)?.[0];
      if (!month) {
        process.stderr.write(`${file}: cannot tell the report's month: pass --month YYYY-MM or put YYYY-MM in the path\n`);
        fileRejected = true;
        continue;
      }
      let result;
      try {
        const body = createReadStream(file, { highWaterMark: 1 << 20 });
        result = await readTimesheet({ name: file, body, month }, { pseudonymise, onProgress: (rows) => progressLine(`${file}: ${rows.toLocaleString('en')} rows`) });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (!code) throw error;
        result = { ok: false as const, reason: `cannot be read (${code})` };
      } finally {
        endProgress();
      }
      if (!result.ok) {
        process.stderr.write(`${file}: ${result.reason}\n`);
        fileRejected = true;
        continue;
      }
      for (const { line, reason } of result.rejected) process.stderr.write(`${file}:${line}: ${reason}\n`);
      rowsRejected ||= result.rejected.length > 0;
      for (const week of result.weeks) weeks.push(week);
    }
    process.stdout.write(formatHoursCsv(sumWeeklyHours(weeks)));
    return fileRejected ? EXIT_FILE_REJECTED : rowsRejected ? EXIT_ROWS_REJECTED : 0;
  },
};
