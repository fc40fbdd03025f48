import { endProgress, EXIT, FORMAT_OPTIONS, outputFormat, progressLine, required, UsageError, type Command } from '../command.ts';
import { resolveTarget, TARGET_OPTIONS, TARGET_USAGE } from '../target.ts';
import { recalculateAll } from '../../local/recalculate-all.ts';
import { formatStatementCsv, formatStatementExplanation, formatStatementText } from '../../shared/statements/statement-format.ts';
import { previousMonth } from '../../shared/statements/schedule.ts';
import { MONTH_LABEL } from '../../shared/weeks/iso-week.ts';

/** `pbr statement`: a statement the pipeline stored, in the format its reader needs. */
export const statement: Command = {
  usage: `
Usage: pbr statement --partnership P --month YYYY-MM [--format json|text|csv] [--explain] [target]

Prints the statement the pipeline computed for the partnership as of the month
(see pbr recalc). --format text is the Danish statement; csv the long table;
json includes the manifest and adjustments. --explain prints, in Danish, what
the statement rests on (contract, roster and report versions, seed, code
version, when), its efterregulering against the previous month's statement, and
each payment's qualifying weeks with their hours.
${TARGET_USAGE}`,
  options: { partnership: { type: 'string' }, month: { type: 'string' }, explain: { type: 'boolean' }, ...FORMAT_OPTIONS, ...TARGET_OPTIONS },
  async run(values) {
    const partnership = required(values, 'partnership');
    const month = required(values, 'month');
    const format = outputFormat(values, ['json', 'text', 'csv']);
    const target = await resolveTarget(values);
    const stored = await target.partnerships.statement(partnership, month);
    if (!stored) {
      const months = await target.partnerships.statementMonths(partnership);
      const known = months.length > 0 ? `statements exist for ${months[0]} … ${months.at(-1)}` : 'none exist yet';
      process.stderr.write(`no statement for ${partnership} as of ${month} (${known}); compute it with: pbr recalc --as-of ${month}\n`);
      return EXIT.failure;
    }
    const s = stored.statement;
    if (values.explain) process.stdout.write(formatStatementExplanation(stored));
    else if (format === 'text') process.stdout.write(formatStatementText(s));
    else if (format === 'csv') process.stdout.write(formatStatementCsv(s));
    else process.stdout.write(JSON.stringify({ ...s, manifest: stored.manifest, adjustments: stored.adjustments }, null, 2) + '\n');
    return EXIT.ok;
  },
};

/** `pbr recalc`: the monthly recalculation, now, against a stack. */
export const recalc: Command = {
  usage: `
Usage: pbr recalc [--as-of YYYY-MM] [target]

Runs the per-partnership recalculation handler (the one the monthly schedule
fans out to in AWS) for every partnership with a valid contract, as of the
month (default: the month before now, Copenhagen time). Statements whose inputs
did not change are left as they are. STATEMENT_RUNS sets the projection runs
(default 1000).
${TARGET_USAGE}`,
  options: { 'as-of': { type: 'string' }, ...TARGET_OPTIONS },
  async run(values) {
    const asOf = (values['as-of'] as string | undefined) ?? previousMonth(new Date());
    if (!MONTH_LABEL.test(asOf)) throw new UsageError(`--as-of must be YYYY-MM, not "${asOf}"`);
    const target = await resolveTarget(values);
    Object.assign(process.env, { TABLE_NAME: target.table, BUCKET_NAME: target.bucket });
    const { partnerships, failed } = await recalculateAll(asOf, (done, total) => progressLine(`recalculated ${done}/${total} partnerships`));
    endProgress();
    process.stdout.write(`recalculated ${partnerships.length - failed.length} of ${partnerships.length} partnerships as of ${asOf}\n`);
    if (failed.length > 0) process.stderr.write(`failed: ${failed.join(', ')} (see the log lines above)\n`);
    return failed.length > 0 ? EXIT.failure : EXIT.ok;
  },
};
