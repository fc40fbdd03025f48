import { readFile } from 'node:fs/promises';
import { EXIT, FORMAT_OPTIONS, InputError, localPseudonymKey, outputFormat, UsageError, wholeNumber, type Command } from '../command.ts';
import { allWeeks, readTimesheetFiles } from '../timesheet-files.ts';
import { ContractError, parseContract, parseContractJson, type Contract } from '../../shared/simulation/contract.ts';
import { applyOverrides, type Override } from '../../shared/simulation/overrides.ts';
import { parseRoster } from '../../shared/partnerships/roster-csv.ts';
import type { RosterEntry } from '../../shared/simulation/roster-entry.ts';
import { parsePrior, type ProjectionPrior } from '../../shared/simulation/projection-prior.ts';
import { DEFAULT_RUNS, DEFAULT_SEED, simulate } from '../../shared/simulation/simulate.ts';
import { formatStatementCsv, formatStatementText } from '../../shared/statements/statement-format.ts';
import { createPseudonymiser } from '../../shared/cpr-numbers.ts';
import { MONTH_LABEL } from '../../shared/weeks/iso-week.ts';

/**
 * The `--set path=value` options as what-if overrides: a value is JSON when it
 * parses as JSON (so lists and objects can be replaced whole), else a string.
 */
export function parseSetOptions(options: readonly string[]): Override[] {
  return options.map((option) => {
    const eq = option.indexOf('=');
    if (eq <= 0) throw new ContractError('--set', [`"${option}" is not path=value`]);
    const [path, text] = [option.slice(0, eq), option.slice(eq + 1)];
    try {
      return { path, value: JSON.parse(text) };
    } catch {
      return { path, value: text };
    }
  });
}

/** Reads, overrides and validates a contract file; errors name each field (`--set` for an unknown path). */
async function readContract(file: string, setOptions: readonly string[]): Promise<Contract> {
  const document = parseContractJson(await readFile(file, 'utf8'), file);
  return parseContract(applyOverrides(document, parseSetOptions(setOptions), '--set'), file);
}

/** `pbr simulate`: a statement and its projection from files, the pipeline's kernel without a stack. */
export const simulateCommand: Command = {
  usage: `
Usage: pbr simulate --contract FILE --as-of YYYY-MM [--roster FILE] [--prior FILE] [--runs N] [--seed N]
                    [--set path=value]... [--format json|text|csv] TIMESHEET...

Computes a partnership's statement as of a month (outcomes, capped payments,
municipal savings, net) from its contract and timesheets (read as in pbr hours),
and projects it to the contract's end with a seeded Monte Carlo simulation.
  --runs N            projection runs (default ${DEFAULT_RUNS}; 0 leaves the projection out)
  --seed N            PRNG seed (default ${DEFAULT_SEED}); the same seed gives the same projection
  --prior FILE        programme-wide prior from pbr prior (default: the source programme's, see README)
  --set path=value    what-if override of a contract or benefit parameter, e.g.
                      --set benefit.weeklyRate=3100 --set outcomes.job_start.price=20000
  --format            json (default), text (Danish statement) or csv`,
  options: {
    contract: { type: 'string' },
    'as-of': { type: 'string' },
    roster: { type: 'string' },
    prior: { type: 'string' },
    runs: { type: 'string' },
    seed: { type: 'string' },
    set: { type: 'string', multiple: true },
    ...FORMAT_OPTIONS,
  },
  async run(values, files) {
    const contractFile = values.contract as string | undefined;
    const asOf = values['as-of'] as string | undefined;
    if (!contractFile) throw new UsageError('--contract is required');
    if (!asOf || !MONTH_LABEL.test(asOf)) throw new UsageError('--as-of YYYY-MM is required');
    const format = outputFormat(values, ['json', 'text', 'csv']);
    const runs = wholeNumber(values, 'runs', DEFAULT_RUNS);
    const seed = wholeNumber(values, 'seed', DEFAULT_SEED);
    const contract = await readContract(contractFile, (values.set as string[] | undefined) ?? []);
    const pseudonymise = createPseudonymiser(localPseudonymKey());
    let roster: RosterEntry[] | undefined;
    if (values.roster) roster = parseRoster(await readFile(values.roster as string, 'utf8'), pseudonymise, values.roster as string);
    let prior: ProjectionPrior | undefined;
    if (values.prior) {
      const file = values.prior as string;
      try {
        prior = parsePrior(await readFile(file, 'utf8'), file);
      } catch (error) {
        throw new InputError((error as Error).message);
      }
    }
    const read = await readTimesheetFiles(files, undefined, pseudonymise);
    const statement = simulate({ contract, weeks: allWeeks(read), roster, asOf, rejectedReports: read.rejectedReports }, { runs, seed, prior });
    if (format === 'text') process.stdout.write(formatStatementText(statement));
    else if (format === 'csv') process.stdout.write(formatStatementCsv(statement));
    else process.stdout.write(JSON.stringify(statement, null, 2) + '\n');
    return EXIT.ok;
  },
};
