/**
 * Deterministic benchmark timesheet: 5,000 participants × 200 consecutive weekdays,
 * one row per participant and day (1,000,000 rows), sorted by date then participant
 * like a system export. Every 10th participant is written as a 10-digit CPR-shaped
 * number so the pseudonymiser's HMAC path runs too; the rest are project ids
 * (P00001…). Also writes prefix files holding the first 10k and 100k rows.
 *
 * Streams straight to disk (never the whole file in memory) and skips the work when
 * bench/data/manifest.json says files of the same parameters and sizes are there.
 *
 * Run alone: node bench/generate-timesheet.ts
 */
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../shared/random.ts';

export const PARTICIPANTS = 5_000;
export const WEEKDAYS = 200;
export const TOTAL_ROWS = PARTICIPANTS * WEEKDAYS;
export const PREFIX_ROWS = [10_000, 100_000] as const;
const SEED = 0x5eed_2024;
/** Monday 2024-01-01: 200 weekdays are exactly 40 ISO weeks, 2024-W01 to 2024-W40. */
const FIRST_DAY = Date.UTC(2024, 0, 1) / 86_400_000;
/** Bump when the generated content changes, so old files are regenerated. */
const FORMAT_VERSION = 1;
const HEADER = 'participant,date,hours,activity,organisation\n';
const ACTIVITIES = ['training', 'internship', 'ordinary', 'flexjob', 'wage_subsidy', 'education', 'absence'] as const;
/** Cumulative weights (out of 100) for the activities above. */
const ACTIVITY_WEIGHTS = [25, 45, 70, 78, 88, 95, 100];
const ORGANISATIONS = Array.from({ length: 20 }, (_, i) => `Org ${String(i + 1).padStart(2, '0')}`);

export const DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url));

export interface TimesheetFile {
  path: string;
  rows: number;
  bytes: number;
}

/** Participant ids: P00001…, every 10th a distinct CPR-shaped DDMMYY + 4-digit serial. */
function participantIds(random: () => number): string[] {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return Array.from({ length: PARTICIPANTS }, (_, i) => {
    if (i % 10 !== 9) return `P${pad(i + 1, 5)}`;
    const day = 1 + Math.floor(random() * 28);
    const month = 1 + Math.floor(random() * 12);
    const year = Math.floor(random() * 100);
    return `${pad(day, 2)}${pad(month, 2)}${pad(year, 2)}${pad(i, 4)}`;
  });
}

/** The 200 weekdays from FIRST_DAY as YYYY-MM-DD. */
function weekdayDates(): string[] {
  const dates: string[] = [];
  for (let day = FIRST_DAY; dates.length < WEEKDAYS; day++) {
    const weekday = (day + 3) % 7; // 0 = Monday
    if (weekday < 5) dates.push(new Date(day * 86_400_000).toISOString().slice(0, 10));
  }
  return dates;
}

/** Hours between 0.25 and 8.00 in steps of 0.05, written with one or two decimals. */
function hoursText(random: () => number): string {
  const centi = 25 + 5 * Math.floor(random() * 156);
  const whole = Math.floor(centi / 100);
  const fraction = centi % 100;
  return fraction % 10 === 0 ? `${whole}.${fraction / 10}` : `${whole}.${String(fraction).padStart(2, '0')}`;
}

function activityText(random: () => number): string {
  const r = random() * 100;
  let i = 0;
  while (r >= ACTIVITY_WEIGHTS[i]!) i++;
  return ACTIVITIES[i]!;
}

interface Manifest {
  version: number;
  seed: number;
  files: TimesheetFile[];
}

function fileName(rows: number): string {
  return rows === TOTAL_ROWS ? 'timesheet-1m.csv' : `timesheet-${rows / 1000}k.csv`;
}

/** The files as the manifest describes them, if they are all there with their recorded sizes. */
function existingFiles(dir: string): TimesheetFile[] | undefined {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) return undefined;
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    if (manifest.version !== FORMAT_VERSION || manifest.seed !== SEED) return undefined;
    const wanted = [...PREFIX_ROWS, TOTAL_ROWS];
    if (manifest.files.length !== wanted.length) return undefined;
    const files = manifest.files.map((file, i) => ({ ...file, path: join(dir, fileName(wanted[i]!)) }));
    const intact = files.every((file, i) => file.rows === wanted[i] && existsSync(file.path) && statSync(file.path).size === file.bytes);
    return intact ? files : undefined;
  } catch {
    return undefined;
  }
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

async function close(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'finish');
}

/**
 * Makes sure the benchmark files exist (10k, 100k and 1M rows, in that order),
 * generating them in one streaming pass when they do not.
 */
export async function ensureTimesheets(dir: string = DATA_DIR, log: (line: string) => void = () => {}): Promise<TimesheetFile[]> {
  const existing = existingFiles(dir);
  if (existing) {
    log(`using existing ${existing.map((file) => file.path).join(', ')}`);
    return existing;
  }
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const random = seededRandom(SEED);
  const participants = participantIds(random);
  const dates = weekdayDates();
  const targets = [...PREFIX_ROWS, TOTAL_ROWS].map((rows) => {
    const path = join(dir, fileName(rows));
    return { rows, path, temp: `${path}.tmp`, bytes: 0, stream: createWriteStream(`${path}.tmp`) };
  });
  let open = targets;
  const emit = async (text: string) => {
    const bytes = Buffer.byteLength(text);
    for (const target of open) {
      target.bytes += bytes;
      await write(target.stream, text);
    }
  };
  await emit(HEADER);
  let rows = 0;
  let batch = '';
  for (const date of dates) {
    for (const participant of participants) {
      const organisation = ORGANISATIONS[Math.floor(random() * ORGANISATIONS.length)]!;
      batch += `${participant},${date},${hoursText(random)},${activityText(random)},${organisation}\n`;
      rows++;
      // Flush at every prefix boundary (so each prefix file ends exactly there) and every 2,000 rows.
      if (rows % 2_000 === 0) {
        await emit(batch);
        batch = '';
        const done = open.filter((target) => target.rows === rows);
        for (const target of done) await close(target.stream);
        open = open.filter((target) => target.rows !== rows);
      }
    }
  }
  if (batch !== '' || open.length > 0) throw new Error('generator bug: rows left over');
  const files = targets.map(({ rows, path, temp, bytes }) => {
    renameSync(temp, path);
    return { path, rows, bytes };
  });
  const manifest: Manifest = { version: FORMAT_VERSION, seed: SEED, files };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  log(`generated ${files.map((f) => `${f.path} (${f.rows} rows, ${(f.bytes / 1e6).toFixed(1)} MB)`).join(', ')} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await ensureTimesheets(DATA_DIR, (line) => console.log(line));
}
