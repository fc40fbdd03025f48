import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, type ScenarioManifest, type ScenarioTimesheet } from '../local/demo/scenario.ts';
import { parseRoster } from '../shared/partnerships/roster-csv.ts';
import { redactCpr } from '../shared/cpr-numbers.ts';
import { parseContract, parseContractJson, type Contract } from '../shared/simulation/contract.ts';
import type { RejectedReport, StatementInput } from '../shared/simulation/statement.ts';
import type { WeeklyHours } from '../shared/weekly-hours/weekly-hours.ts';
import { InputError } from './command.ts';
import { allWeeks, readTimesheetFiles } from './timesheet-files.ts';

/* Reading what `pbr generate` writes, for the commands that work on a whole scenario (pbr backtest, pbr prior, pbr load). */

type Pseudonymise = (participant: string) => string;

/** A contract file, validated; errors name the file and field. */
export async function readContractFile(file: string): Promise<Contract> {
  return parseContract(parseContractJson(await readFile(file, 'utf8'), file), file);
}

/** A contract's full input: as of its end month, so `asOf` says how far the data goes. */
export const fullInput = (contract: Contract, rest: Omit<StatementInput, 'contract' | 'asOf'>): StatementInput => ({ contract, asOf: contract.end.slice(0, 7), ...rest });

/**
 * The manifest of a scenario folder (pbr generate), its paths joined to `dir` as
 * writeScenario returns them; an InputError when `dir` holds none.
 */
export async function readScenarioManifest(dir: string): Promise<ScenarioManifest> {
  let manifest: ScenarioManifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as ScenarioManifest;
  } catch (error) {
    throw new InputError(`${redactCpr(dir)}: no readable ${MANIFEST_FILE}, so not a scenario folder from pbr generate (${(error as Error).message})`);
  }
  return {
    ...manifest,
    partnerships: manifest.partnerships.map((p) => ({ ...p, contractFile: join(dir, p.contractFile), rosterFile: join(dir, p.rosterFile) })),
    timesheets: manifest.timesheets.map((t) => ({ ...t, file: join(dir, t.file) })),
  };
}

/**
 * Every partnership of a scenario folder (pbr generate) with all its data: the
 * manifest's contract and roster, and each report in its last uploaded version
 * (a correction replaces the one before it), read with the manifest's month.
 */
export async function readScenarioFolder(dir: string, pseudonymise: Pseudonymise): Promise<StatementInput[]> {
  const manifest = await readScenarioManifest(dir);
  const latest = new Map<string, ScenarioTimesheet>();
  for (const timesheet of manifest.timesheets) latest.set(`${timesheet.partnership}\u0000${timesheet.month}\u0000${timesheet.source}`, timesheet);
  const inputs: StatementInput[] = [];
  for (const partnership of manifest.partnerships) {
    const contract = await readContractFile(partnership.contractFile);
    const rosterFile = partnership.rosterFile;
    const roster = parseRoster(await readFile(rosterFile, 'utf8'), pseudonymise, redactCpr(rosterFile));
    const filesByMonth = new Map<string, string[]>();
    for (const timesheet of latest.values()) {
      if (timesheet.partnership !== partnership.id) continue;
      let files = filesByMonth.get(timesheet.month);
      if (!files) filesByMonth.set(timesheet.month, (files = []));
      files.push(timesheet.file);
    }
    const weeks: WeeklyHours[] = [];
    const rejectedReports: RejectedReport[] = [];
    for (const [month, files] of filesByMonth) {
      const read = await readTimesheetFiles(files, month, pseudonymise);
      for (const week of allWeeks(read)) weeks.push(week);
      rejectedReports.push(...read.rejectedReports);
    }
    inputs.push(fullInput(contract, { weeks, roster, rejectedReports }));
  }
  return inputs;
}

