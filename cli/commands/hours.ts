import { once } from 'node:events';
import { EXIT, localPseudonymKey, UsageError, type Command } from '../command.ts';
import { readTimesheetFiles } from '../timesheet-files.ts';
import { createPseudonymiser } from '../../shared/cpr-numbers.ts';
import { hoursCsvChunks } from '../../shared/weekly-hours/hours-csv.ts';
import { mergeWeeklyHours } from '../../shared/weekly-hours/weekly-hours.ts';

/** `pbr hours`: the weekly-hours CSV from timesheet files, without any stack. */
export const hours: Command = {
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
    if (files.length === 0) throw new UsageError('name at least one timesheet file');
    const read = await readTimesheetFiles(files, values.month as string | undefined, createPseudonymiser(localPseudonymKey()));
    // Written as it is made, a piece at a time: a large result is never held, as rows or as text.
    for (const chunk of hoursCsvChunks(mergeWeeklyHours(read.weeksByFile))) {
      if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
    }
    return read.fileRejected ? EXIT.inputRejected : read.rowsRejected ? EXIT.rowsRejected : EXIT.ok;
  },
};
