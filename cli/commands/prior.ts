import { writeFile } from 'node:fs/promises';
import { createPseudonymiser } from '../../shared/cpr-numbers.ts';
import { formatPrior, learnPrior } from '../../shared/simulation/projection-prior.ts';
import { MONTH_LABEL } from '../../shared/weeks/iso-week.ts';
import { EXIT, localPseudonymKey, UsageError, type Command } from '../command.ts';
import { readScenarioFolder } from '../scenario-folder.ts';

/** `pbr prior`: the pooled prior of a scenario folder, for simulate and backtest. */
export const priorCommand: Command = {
  usage: `
Usage: pbr prior DIR [--as-of YYYY-MM] [--out FILE]

Pools the careers observed in every partnership of DIR (a folder written by pbr
generate: manifest.json, contracts/, rosters/, timesheets/) into a projection
prior: transition counts by state and weeks in it, pauses by week of the year,
how often pauses resume, typical hours per state (spec 8, "borrowed strength").
It holds counts only, no participant. Use it with
pbr simulate --prior FILE, so a partnership with little data leans on the others.
  --as-of YYYY-MM   use only the weeks up to this month (default: each contract's end)
  --out FILE        write the prior there (default: standard output)`,
  options: { 'as-of': { type: 'string' }, out: { type: 'string' } },
  async run(values, positionals) {
    if (positionals.length !== 1) throw new UsageError('give one scenario folder');
    const asOf = values['as-of'] as string | undefined;
    if (asOf !== undefined && !MONTH_LABEL.test(asOf)) throw new UsageError(`--as-of must be YYYY-MM, not "${asOf}"`);
    const inputs = await readScenarioFolder(positionals[0]!, createPseudonymiser(localPseudonymKey()));
    const text = formatPrior(learnPrior(asOf === undefined ? inputs : inputs.map((input) => ({ ...input, asOf: asOf < input.asOf ? asOf : input.asOf }))));
    if (values.out) await writeFile(values.out as string, text);
    else process.stdout.write(text);
    return EXIT.ok;
  },
};
