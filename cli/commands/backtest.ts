import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseRoster } from '../../shared/partnerships/roster-csv.ts';
import { createPseudonymiser, redactCpr } from '../../shared/cpr-numbers.ts';
import {
  backtest,
  BACKTEST_FIGURES,
  DEFAULT_BACKTEST_EVERY,
  DEFAULT_BACKTEST_RUNS,
  FIGURE_NAMES,
  positionOf,
  type AsOfChoice,
  type BacktestResult,
} from '../../shared/simulation/backtest.ts';
import { parseContract, parseContractJson, type Contract } from '../../shared/simulation/contract.ts';
import { DEFAULT_PRIOR, parsePrior, type ProjectionPrior } from '../../shared/simulation/projection-prior.ts';
import { DEFAULT_SEED } from '../../shared/simulation/simulate.ts';
import type { RejectedReport, StatementInput } from '../../shared/simulation/statement.ts';
import { calibrationChartSvg } from '../../shared/statements/calibration-chart.ts';
import type { WeeklyHours } from '../../shared/weekly-hours/weekly-hours.ts';
import { MONTH_LABEL } from '../../shared/weeks/iso-week.ts';
import { endProgress, EXIT, FORMAT_OPTIONS, InputError, localPseudonymKey, outputFormat, progressLine, UsageError, wholeNumber, type Command, type Values } from '../command.ts';
import { fullInput, readContractFile, readScenarioFolder } from '../scenario-folder.ts';
import { textTable } from '../text-table.ts';
import { allWeeks, readTimesheetFiles } from '../timesheet-files.ts';

/** `--every N` or `--as-of LIST` (not both), checked. */
function asOfChoice(values: Values): AsOfChoice {
  const list = values['as-of'] as string | undefined;
  if (list === undefined) {
    const every = wholeNumber(values, 'every', DEFAULT_BACKTEST_EVERY);
    if (every < 1) throw new UsageError('--every must be at least 1');
    return { every };
  }
  if (values.every !== undefined) throw new UsageError('give --every or --as-of, not both');
  const months = list.split(',').map((month) => month.trim());
  const bad = months.find((month) => !MONTH_LABEL.test(month));
  if (bad !== undefined) throw new UsageError(`--as-of takes months YYYY-MM separated by commas, not "${bad}"`);
  return { months };
}

const dkk = (amount: number) => `${Math.round(amount).toLocaleString('en')} DKK`;
const percent = (share: number) => `${Math.round(share * 100)} %`;

/** The plain-text report: the calibration per figure, then each projection's position and basis. */
function formatText(result: BacktestResult, heading: string): string {
  const metrics = [
    ['figure', 'projections', 'in P10–P90', 'below P10', 'above P90', 'median |P50 error|', 'pinball loss'],
    ...BACKTEST_FIGURES.map((figure) => {
      const m = result.metrics[figure];
      return [FIGURE_NAMES[figure], String(m.projections), percent(m.coverage), percent(m.below), percent(m.above), dkk(m.medianAbsoluteError), dkk(m.pinballLoss)];
    }),
  ];
  const projections = [
    ['partnership', 'as of', 'own weeks', 'prior weight', ...BACKTEST_FIGURES.map((figure) => FIGURE_NAMES[figure]), 'net P50', 'net realised'],
    ...result.projections.map((p) => [
      p.partnership,
      p.asOf,
      p.basis.observedParticipantWeeks.toLocaleString('en'),
      percent(p.basis.priorWeight),
      ...BACKTEST_FIGURES.map((figure) => positionOf(p[figure])),
      dkk(p.net.p50),
      dkk(p.net.realised),
    ]),
  ];
  return [
    heading,
    '',
    textTable(metrics, [false, true, true, true, true, true, true]),
    'Nominal: 80 % inside P10–P90, 10 % below, 10 % above. Pinball loss: mean over q = 0.1, 0.5, 0.9.',
    '',
    textTable(projections, [false, false, true, true, false, false, false, true, true]),
  ].join('\n');
}

/** `pbr backtest`: how well the projection's bands held the truth, from files. */
export const backtestCommand: Command = {
  usage: `
Usage: pbr backtest DIR [options]
       pbr backtest --contract FILE [--roster FILE] [--prior FILE] [options] TIMESHEET...

Measures how well the projection's bands hold the truth (spec 8): projects each
partnership from several as-of months using only the data up to each month, and
compares the bands at the contract's end with what was realised there. DIR is a
scenario folder from pbr generate (manifest.json, contracts/, rosters/,
timesheets/; a corrected report counts in its last version); or give one
partnership's contract, roster and whole timesheet history.

The data up to an as-of month M: hours of the weeks booked in M or before (the
contract's calendar, as statements book them); every roster row, since planned
referrals are known in advance, but no exit dated after M. The realised end is
the statement as of the contract's end month on all the data. The prior: in DIR,
each partnership's prior is pooled from the OTHER partnerships' data up to the
same month (leave-one-out, as the pipeline pools); with --contract, the
programme's default; --prior FILE sets one prior for every projection.

Per figure (outcome payments, municipal savings, net) it reports the share of
projections whose realised end lies inside [P10, P90] (nominal 80 %), below P10
and above P90, the median absolute error of P50 and the pinball loss averaged
over q = 0.1, 0.5, 0.9 (DKK).
  --every N         as-of months every N months from the contract's start month + N
                    to the month before its end month (default ${DEFAULT_BACKTEST_EVERY})
  --as-of LIST      these as-of months instead, e.g. 2020-06,2021-01 (a month outside a
                    contract, or from its end month on, is skipped for it)
  --runs N          projection runs per projection (default ${DEFAULT_BACKTEST_RUNS})
  --seed N          PRNG seed (default ${DEFAULT_SEED}); the same seed gives the same report
  --prior FILE      the prior for every projection (JSON, as pbr prior writes it);
                    --prior default: the programme's default for every projection, as
                    pbr simulate uses it for one partnership on its own
  --format          text (default) or json
  --chart FILE.svg  also write an SVG calibration chart: per projection its P10–P90
                    bar, P50 tick and realised value, grouped by partnership`,
  options: {
    contract: { type: 'string' },
    roster: { type: 'string' },
    prior: { type: 'string' },
    every: { type: 'string' },
    'as-of': { type: 'string' },
    runs: { type: 'string' },
    seed: { type: 'string' },
    ...FORMAT_OPTIONS,
    chart: { type: 'string' },
  },
  async run(values, positionals) {
    const format = outputFormat(values, ['text', 'json']);
    const runs = wholeNumber(values, 'runs', DEFAULT_BACKTEST_RUNS);
    if (runs < 1) throw new UsageError('--runs must be at least 1');
    const seed = wholeNumber(values, 'seed', DEFAULT_SEED);
    const asOf = asOfChoice(values);
    const contractFile = values.contract as string | undefined;
    if (!contractFile && positionals.length !== 1) throw new UsageError('give a scenario folder DIR, or --contract FILE and timesheets');
    if (!contractFile && values.roster) throw new UsageError('--roster goes with --contract (a scenario folder has its rosters)');

    const pseudonymise = createPseudonymiser(localPseudonymKey());
    let prior: ProjectionPrior | undefined;
    if (values.prior === 'default') prior = DEFAULT_PRIOR;
    else if (values.prior) {
      const file = values.prior as string;
      try {
        prior = parsePrior(await readFile(file, 'utf8'), redactCpr(file));
      } catch (error) {
        throw new InputError((error as Error).message);
      }
    }
    let inputs: StatementInput[];
    if (contractFile) {
      const contract = await readContractFile(contractFile);
      const rosterFile = values.roster as string | undefined;
      const roster = rosterFile ? parseRoster(await readFile(rosterFile, 'utf8'), pseudonymise, redactCpr(rosterFile)) : undefined;
      const read = await readTimesheetFiles(positionals, undefined, pseudonymise);
      inputs = [fullInput(contract, { weeks: allWeeks(read), ...(roster ? { roster } : {}), rejectedReports: read.rejectedReports })];
    } else {
      inputs = await readScenarioFolder(positionals[0]!, pseudonymise);
    }

    let result: BacktestResult;
    try {
      progressLine(`backtest: projecting ${inputs.length} partnership${inputs.length === 1 ? '' : 's'} from past months…`);
      result = await backtest(inputs, { runs, seed, ...(prior ? { prior } : {}), asOf });
    } finally {
      endProgress();
    }
    const priorSource = prior === DEFAULT_PRIOR ? "the programme's default" : prior ? `the file ${redactCpr(values.prior as string)}` : inputs.length > 1 ? 'pooled from the other partnerships up to each as-of month (leave-one-out)' : "the programme's default";
    if (format === 'json') {
      process.stdout.write(JSON.stringify({ runs, seed, asOf, prior: prior === DEFAULT_PRIOR ? 'default' : prior ? 'file' : inputs.length > 1 ? 'leave-one-out' : 'default', ...result }, null, 2) + '\n');
    } else {
      const months = [...new Set(result.projections.map((p) => p.asOf))].sort();
      const heading = [
        `Backtest of ${inputs.length} partnership${inputs.length === 1 ? '' : 's'}: ${result.projections.length} projections from ${months.length} as-of month${months.length === 1 ? '' : 's'} (${months[0]}${months.length > 1 ? ` … ${months.at(-1)}` : ''}), ${runs} runs, seed ${seed}`,
        `Prior: ${priorSource}`,
      ].join('\n');
      process.stdout.write(formatText(result, heading));
    }
    if (values.chart) {
      await writeFile(values.chart as string, calibrationChartSvg(result));
      process.stderr.write(`calibration chart written to ${redactCpr(values.chart as string)}\n`);
    }
    return EXIT.ok;
  },
};
