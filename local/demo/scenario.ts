import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative as relativePath } from 'node:path';
import { seededRandom } from '../../shared/random.ts';
import { type Contract, parseContract } from '../../shared/simulation/contract.ts';
import { formatDay, monthRange } from '../../shared/weeks/iso-week.ts';
import { Calendar, day } from './calendar.ts';
import { mix } from './draws.ts';
import { nationalScenario } from './national.ts';
import { ACTIVITY_INDEX as A, simulatePerson } from './participant-path.ts';
import type { MistakeKind, PartnershipPlan, ScenarioPlan } from './plan.ts';
import { sjaellandScenario } from './sjaelland.ts';
import type { Source } from './sources.ts';
import { type Cell, csvText, injectMistake, monthlyTotals, type Row, tableOf } from './timesheet-files.ts';
import { WORLD_SHAPES, worldScenario, type WorldShape } from './worlds.ts';
import { xlsxBytes } from './xlsx-file.ts';

/*
 * Scenario data: contracts, rosters and monthly timesheets for the local demo
 * (`npm start`) and for benchmarks and load tests (`pbr generate`). This file
 * writes a scenario; what it models lives beside it:
 *
 *   sjaelland.ts, national.ts   the two scenarios' plans (partnerships, sources, people)
 *   worlds.ts, worlds-people.ts test worlds in several shapes, to judge projections
 *   plan.ts                     what a plan holds
 *   calendar.ts                 days, the COVID pauses, holidays
 *   sources.ts                  who sends timesheets, and how they write them
 *   people.ts                   participants and their planned paths
 *   participant-path.ts         one participant's hours, day by day
 *   contracts.ts                the contract documents
 *   timesheet-files.ts          rows into CSV cells and text; xlsx-file.ts: workbooks
 *   draws.ts                    seeded draws
 *
 * Everything is drawn from seededRandom: the same seed gives byte-identical files.
 */

/** Which scenario: the Region Sjælland demo, the national one for benchmarks and load tests, or a test world for backtests. */
export type ScenarioScale = 'sjaelland' | 'national' | 'world';
export const SCENARIO_SCALES: readonly ScenarioScale[] = ['sjaelland', 'national', 'world'];

/** What to write: `seed` makes the files (the same seed and shape, the same bytes). */
export interface ScenarioOptions {
  seed: number;
  scale: ScenarioScale;
  /** The world's shape (scale `world` only; default `steady`). */
  shape?: WorldShape;
  /** Called after each partnership is written. */
  onProgress?: (progress: ScenarioProgress) => void;
}

/** Progress so far, for a command line's progress line. */
export interface ScenarioProgress {
  partnershipsDone: number;
  partnerships: number;
  files: number;
  rows: number;
}

/** A partnership in the manifest, with the files of its contract and roster. */
export interface ScenarioPartnership {
  id: string;
  municipality: string;
  cluster: 1 | 2;
  contractFile: string;
  rosterFile: string;
}

/** A row put in on purpose, so statements show rejected rows. */
export interface ScenarioMistake {
  /** 1-based, the header is line 1 (as rejections report it). */
  line: number;
  kind: MistakeKind;
}

/** One upload: a file and the report identity (spec 2.2) it is uploaded as. */
export interface ScenarioTimesheet {
  file: string;
  partnership: string;
  month: string;
  source: string;
  /** What the file shows, for demo output. */
  note: string;
  /** The deliberate mistakes in the file: exactly these rows should be rejected. */
  mistakes: ScenarioMistake[];
  /** True for an upload that replaces an earlier one with the same partnership, month and source. */
  correction: boolean;
}

/** What a scenario wrote, in upload order; also written as `manifest.json`. */
export interface ScenarioManifest {
  seed: number;
  scale: ScenarioScale;
  /** A world's shape (scale `world` only). */
  shape?: string;
  partnerships: ScenarioPartnership[];
  /** In upload order: month ascending; a correction comes after the version it replaces. */
  timesheets: ScenarioTimesheet[];
  participants: number;
  /** Data rows over all timesheet files (replaced first versions included). */
  rows: number;
  /** Bytes over all files written. */
  bytes: number;
}

/** The manifest's file name in a scenario's folder. */
export const MANIFEST_FILE = 'manifest.json';

/** A manifest timesheet with its place in upload order. */
type OrderedTimesheet = ScenarioTimesheet & { order: number };

interface Written {
  partnership: ScenarioPartnership;
  timesheets: OrderedTimesheet[];
  rows: number;
  bytes: number;
}

/** Writes files below `dir`, creating each folder once (`made` is shared by concurrent writers), counting bytes. */
function fileWriter(dir: string, made: Set<string>) {
  const writer = {
    bytes: 0,
    async put(relative: string, content: string | Uint8Array): Promise<string> {
      const file = join(dir, relative);
      const folder = dirname(file);
      if (!made.has(folder)) {
        await mkdir(folder, { recursive: true });
        made.add(folder);
      }
      await writeFile(file, content);
      writer.bytes += typeof content === 'string' ? Buffer.byteLength(content) : content.length;
      return file;
    },
  };
  return writer;
}
type FileWriter = ReturnType<typeof fileWriter>;

/**
 * The roster CSV (rosters/<id>.csv) of a partnership's people. An exit is dated on
 * the person's last day with reported hours (`lastHours`, a day number; -Infinity: none),
 * less a planned late report's days, never before the referral nor after the contract;
 * an exit planned `ifLeft` is written only if the path ended (`ended`) within the contract.
 */
function rosterCsv(plan: PartnershipPlan, lastHours: Float64Array, ended: Float64Array, contractLast: number): string {
  const written = (d: number) => (plan.rosterDates === 'dmy' ? formatDay(d).split('-').reverse().join('-') : formatDay(d));
  const roster = ['participant,partnership,referral_date,prior_weeks_on_benefit,weekly_benefit,exit_date,exit_reason'];
  plan.people.forEach((person, pi) => {
    const exit = person.exit?.ifLeft && ended[pi]! > contractLast ? undefined : person.exit;
    const exitDay = exit ? Math.min(contractLast, Math.max(person.referral, lastHours[pi]! - exit.daysBeforeLastHours)) : undefined;
    const exitCells = exit ? `${written(exitDay!)},${exit.reason}` : ',';
    roster.push(`${person.written},${plan.id},${written(person.referral)},${person.priorWeeks},${person.weeklyBenefit ?? ''},${exitCells}`);
  });
  return roster.join('\n') + '\n';
}

/** True when a source's files hold monthly totals (no date column): their hours are spread over the whole month. */
const reportsMonthlyTotals = (source: Source) => !source.style.columns.some(([column]) => column === 'date');

/**
 * Everyone's hours within the contract, in buckets keyed `monthIndex * sources + sourceIndex`
 * (one bucket, one file), each person's last day with reported hours (-Infinity: none;
 * for monthly totals that is the month's last day, as the totals are spread over the month)
 * and the day after their path ended (Infinity: still going at the calendar's end).
 */
function hoursByMonthAndSource(plan: PartnershipPlan, contract: Contract, cal: Calendar, seed: number, index: number): { buckets: Map<number, Row[]>; lastHours: Float64Array; ended: Float64Array } {
  const buckets = new Map<number, Row[]>();
  const nSources = plan.sources.length;
  const contractFirst = day(contract.start);
  const contractLast = day(contract.end);
  const lastHours = new Float64Array(plan.people.length).fill(-Infinity);
  const ended = new Float64Array(plan.people.length).fill(Infinity);
  const totals = plan.sources.map(reportsMonthlyTotals);
  plan.people.forEach((person, pi) => {
    const random = seededRandom(mix(seed, index, pi, 0x5e));
    ended[pi] = simulatePerson(person, plan, cal, random, (d, centi, activity, source) => {
      if (d < contractFirst || d > contractLast) return;
      const key = cal.monthOf(d) * nSources + source;
      let bucket = buckets.get(key);
      if (!bucket) buckets.set(key, (bucket = []));
      bucket.push({ person: pi, day: d, centi, activity });
      const reported = totals[source] ? Math.min(contractLast, monthRange(cal.months[cal.monthOf(d)]!).last) : d;
      lastHours[pi] = Math.max(lastHours[pi]!, reported);
    }) ?? Infinity;
  });
  return { buckets, lastHours, ended };
}

/** A file's rows in the order its source writes them: actors by day, companies by person, totals per person and activity. */
function fileRows(rows: Row[], source: Source, totals: boolean): Row[] {
  if (totals) return monthlyTotals(rows);
  return source.role === 'actor' ? rows.sort((a, b) => a.day - b.day || a.person - b.person) : rows.sort((a, b) => a.person - b.person || a.day - b.day);
}

/** A file's bytes (workbook) or text (CSV) in its source's style. */
function fileContent(rows: Row[], plan: PartnershipPlan, source: Source, cal: Calendar, month: string): Promise<string | Uint8Array> {
  const table: Cell[][] = tableOf(rows, plan.people, source, cal);
  return source.style.file === 'xlsx' ? xlsxBytes(table, month) : Promise.resolve(csvText(table, source.style));
}

/** The wrong first version of a corrected report: the last participant forgotten, sick days filed as training. */
function firstVersion(rows: readonly Row[], people: ReadonlySet<number>): Row[] {
  const forgotten = Math.max(...people);
  return rows.filter((row) => row.person !== forgotten).map((row) => (row.activity === A.absence ? { ...row, activity: A.training } : row));
}

/** One partnership's contract, roster and timesheets. */
async function writePartnership(dir: string, made: Set<string>, plan: PartnershipPlan, cal: Calendar, seed: number, index: number, scenario: ScenarioPlan): Promise<Written> {
  const contract = parseContract(plan.contract, `scenario contract ${plan.id}`);
  const files = fileWriter(dir, made);
  const contractFile = await files.put(`contracts/${plan.id}.json`, JSON.stringify(contract, null, 2) + '\n');
  const { buckets, lastHours, ended } = hoursByMonthAndSource(plan, contract, cal, seed, index);
  const rosterFile = await files.put(`rosters/${plan.id}.csv`, rosterCsv(plan, lastHours, ended, day(contract.end)));
  const { timesheets, rows } = await writeTimesheets(files, plan, cal, buckets, seed, index, scenario);
  return { partnership: { id: plan.id, municipality: plan.municipality, cluster: plan.cluster, contractFile, rosterFile }, timesheets, rows, bytes: files.bytes };
}

/** One file per bucket; a planned mistake or correction goes into the first fitting file from its month on. */
async function writeTimesheets(files: FileWriter, plan: PartnershipPlan, cal: Calendar, buckets: Map<number, Row[]>, seed: number, index: number, scenario: ScenarioPlan): Promise<{ timesheets: OrderedTimesheet[]; rows: number }> {
  const timesheets: OrderedTimesheet[] = [];
  let rowCount = 0;
  const nSources = plan.sources.length;
  const pending = scenario.mistakes.filter((m) => m.partnership === plan.id);
  let correctionPending = scenario.correction?.partnership === plan.id ? scenario.correction : undefined;
  for (const key of [...buckets.keys()].sort((a, b) => a - b)) {
    const monthIndex = Math.floor(key / nSources);
    const month = cal.months[monthIndex]!;
    const sourceIndex = key % nSources;
    const source = plan.sources[sourceIndex]!;
    const style = source.style;
    const totals = reportsMonthlyTotals(source);
    const rows = fileRows(buckets.get(key)!, source, totals);
    const found: ScenarioMistake[] = [];
    const mistake = pending.find((m) => m.month <= month && m.role === source.role && !totals && rows.length >= 3);
    if (mistake) {
      pending.splice(pending.indexOf(mistake), 1);
      found.push({ kind: mistake.kind, line: injectMistake(rows, mistake.kind, month, seededRandom(mix(seed, index, key, 0xbad))) });
    }
    const order = monthIndex * 1_000_000 + index * 1000 + sourceIndex;
    const people = new Set(rows.map((row) => row.person));
    const corrected = correctionPending !== undefined && correctionPending.month <= month && correctionPending.role === source.role && found.length === 0 && people.size >= 2;
    if (corrected) {
      correctionPending = undefined;
      const first = firstVersion(rows, people);
      const file = await files.put(`timesheets/${plan.id}/${month}/first-version/${source.id}.${style.file}`, await fileContent(first, plan, source, cal, month));
      timesheets.push({ file, partnership: plan.id, month, source: source.id, note: `${style.note}; first version, corrected later`, mistakes: [], correction: false, order });
      rowCount += first.length;
    }
    const file = await files.put(`timesheets/${plan.id}/${month}/${source.id}.${style.file}`, await fileContent(rows, plan, source, cal, month));
    const note = corrected ? `${style.note}; correction: replaces the first version` : found.length > 0 ? `${style.note}; a row is rejected` : style.note;
    // A correction is uploaded after everything else of its month.
    timesheets.push({ file, partnership: plan.id, month, source: source.id, note, mistakes: found, correction: corrected, order: corrected ? monthIndex * 1_000_000 + 999_999 : order });
    rowCount += rows.length;
  }
  if (pending.length > 0 || correctionPending) throw new Error(`scenario: ${plan.id} has no file for a planned mistake or correction`);
  return { timesheets, rows: rowCount };
}

/**
 * Writes a scenario into `dir` and returns its manifest, whose paths are
 * `join(dir, …)` (also written as `manifest.json`, paths relative to `dir`): `contracts/<id>.json`,
 * `rosters/<id>.csv` and `timesheets/<id>/<YYYY-MM>/<source>.csv|.xlsx`. A
 * correction's first version lives in `.../<YYYY-MM>/first-version/`, so
 * globbing `timesheets/<id>/*\/*` gives the final versions only.
 */
export async function writeScenario(dir: string, options: ScenarioOptions): Promise<ScenarioManifest> {
  if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 0xffff_ffff) throw new Error(`scenario: the seed must be a whole number from 0 to 4294967295, not ${options.seed}`);
  const scenario = scenarioPlan(options);
  const sjaelland = options.scale === 'sjaelland';
  const cal = new Calendar(scenario.firstMonth, scenario.lastMonth);
  const partnerships: ScenarioPartnership[] = [];
  const timesheets: OrderedTimesheet[] = [];
  let rows = 0;
  let bytes = 0;
  // A few partnerships at a time: file writes overlap, the output stays in plan order.
  const BATCH = sjaelland ? 1 : 8;
  const made = new Set<string>(); // directories already created
  const plans = scenario.partnerships;
  for (let at = 0; at < plans.length; at += BATCH) {
    const batch = plans.slice(at, at + BATCH);
    const written = await Promise.all(batch.map((plan, k) => writePartnership(dir, made, plan, cal, options.seed, at + k, scenario)));
    for (const w of written) {
      partnerships.push(w.partnership);
      timesheets.push(...w.timesheets);
      rows += w.rows;
      bytes += w.bytes;
    }
    options.onProgress?.({ partnershipsDone: partnerships.length, partnerships: plans.length, files: timesheets.length, rows });
  }
  timesheets.sort((a, b) => a.order - b.order);
  const manifest: ScenarioManifest = {
    seed: options.seed,
    scale: options.scale,
    ...(options.scale === 'world' ? { shape: options.shape ?? 'steady' } : {}),
    partnerships,
    timesheets: timesheets.map(({ order, ...timesheet }) => timesheet),
    participants: plans.reduce((sum, plan) => sum + plan.people.length, 0),
    rows,
    bytes,
  };
  const manifestBytes = await writeManifest(dir, manifest); // on disk without its own size, returned with it
  manifest.bytes += manifestBytes;
  return manifest;
}

/** The plan of the scenario the options name (a shape only for a world). */
function scenarioPlan(options: ScenarioOptions): ScenarioPlan {
  if (options.shape !== undefined && options.scale !== 'world') throw new Error(`scenario: a shape is for the world scale only, not "${options.scale}"`);
  if (options.shape !== undefined && !WORLD_SHAPES.includes(options.shape)) throw new Error(`scenario: unknown world shape "${String(options.shape)}"`);
  switch (options.scale) {
    case 'sjaelland':
      return sjaellandScenario(options.seed);
    case 'national':
      return nationalScenario(options.seed);
    case 'world':
      return worldScenario(options.seed, options.shape ?? 'steady');
    default:
      throw new Error(`scenario: unknown scale "${String(options.scale)}"`);
  }
}

/** Writes `manifest.json` with paths relative to `dir`; returns its size in bytes. */
async function writeManifest(dir: string, manifest: ScenarioManifest): Promise<number> {
  const relative = (file: string) => relativePath(dir, file);
  const onDisk = {
    ...manifest,
    partnerships: manifest.partnerships.map((p) => ({ ...p, contractFile: relative(p.contractFile), rosterFile: relative(p.rosterFile) })),
    timesheets: manifest.timesheets.map((t) => ({ ...t, file: relative(t.file) })),
  };
  const text = JSON.stringify(onDisk, null, 1) + '\n';
  await writeFile(join(dir, MANIFEST_FILE), text);
  return Buffer.byteLength(text);
}
