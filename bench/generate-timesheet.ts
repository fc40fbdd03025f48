/**
 * Deterministic one-month benchmark timesheets, shaped like a monthly system export:
 * N participants × 20 weekdays of March 2021 (each participant has 3 of the month's
 * 23 weekdays off, chosen at random, so most touch all 5 ISO weeks W09–W13), one row
 * per participant and day, sorted by date then participant. Sizes: 250, 500, 5,000
 * and 50,000 participants (5k, 10k, 100k and 1M rows). Every 10th participant is a CPR-shaped
 * value (`DDMMYY-XXXX`, every other one without the dash) so the pseudonymiser's HMAC
 * path runs too; the rest are project ids (P000001…). No quoted fields.
 *
 * Streams straight to disk (never the whole file in memory) and skips the work when
 * bench/data/manifest.json says files of the same parameters and sizes are there.
 *
 * Run alone: node bench/generate-timesheet.ts
 */
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../shared/random.ts';

/** Participants per file: × 20 days gives 5k (the local stack's upload), 10k, 100k and 1M rows. */
export const PARTICIPANTS = [250, 500, 5_000, 50_000] as const;
/** The report month of every file (its name carries it, so `pbr hours` needs no --month). */
export const MONTH = '2021-03';
const DAYS_WORKED = 20;
const SEED = 0x5eed_2021;
/** Bump when the generated content changes, so old files are regenerated. */
const FORMAT_VERSION = 2;
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

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Participant ids: P000001…, every 10th a distinct CPR-shaped DDMMYY + 4-digit serial. */
function participantIds(count: number, random: () => number): string[] {
  return Array.from({ length: count }, (_, i) => {
    if (i % 10 !== 9) return `P${pad(i + 1, 6)}`;
    const birth = `${pad(1 + Math.floor(random() * 28), 2)}${pad(1 + Math.floor(random() * 12), 2)}${pad(Math.floor(random() * 100), 2)}`;
    const serial = pad(Math.floor(i / 10) % 10_000, 4);
    return i % 20 === 9 ? `${birth}-${serial}` : `${birth}${serial}`;
  });
}

/** The weekdays of MONTH as YYYY-MM-DD. */
function weekdaysOfMonth(): string[] {
  const [year, month] = MONTH.split('-').map(Number) as [number, number];
  const dates: string[] = [];
  for (let day = 1; ; day++) {
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCMonth() !== month - 1) return dates;
    const weekday = date.getUTCDay();
    if (weekday !== 0 && weekday !== 6) dates.push(date.toISOString().slice(0, 10));
  }
}

/** Hours between 0.25 and 8.00 in steps of 0.05, written with one or two decimals. */
function hoursText(random: () => number): string {
  const centi = 25 + 5 * Math.floor(random() * 156);
  const whole = Math.floor(centi / 100);
  const fraction = centi % 100;
  return fraction % 10 === 0 ? `${whole}.${fraction / 10}` : `${whole}.${pad(fraction, 2)}`;
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

/** `month-2021-03-1m.csv`, `month-2021-03-100k.csv`, …: the month in the name is what `pbr hours` reads. */
function fileName(rows: number): string {
  return rows >= 1_000_000 ? `month-${MONTH}-${rows / 1_000_000}m.csv` : `month-${MONTH}-${rows / 1000}k.csv`;
}

/** The files as the manifest describes them, if they are all there with their recorded sizes. */
function existingFiles(dir: string): TimesheetFile[] | undefined {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) return undefined;
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    if (manifest.version !== FORMAT_VERSION || manifest.seed !== SEED) return undefined;
    const files = manifest.files.map((file) => ({ ...file, path: join(dir, fileName(file.rows)) }));
    const wanted = PARTICIPANTS.map((count) => count * DAYS_WORKED);
    const intact = files.length === wanted.length && files.every((file, i) => file.rows === wanted[i] && existsSync(file.path) && statSync(file.path).size === file.bytes);
    return intact ? files : undefined;
  } catch {
    return undefined;
  }
}

/** Writes one file of `participants` × DAYS_WORKED rows, streamed, and returns its description. */
async function writeMonth(dir: string, participants: number, random: () => number): Promise<TimesheetFile> {
  const ids = participantIds(participants, random);
  const dates = weekdaysOfMonth();
  // Per participant, a bit per weekday: set = a day off (exactly dates.length - DAYS_WORKED of them).
  const daysOff = ids.map(() => {
    let mask = 0;
    for (let off = 0; off < dates.length - DAYS_WORKED;) {
      const bit = 1 << Math.floor(random() * dates.length);
      if ((mask & bit) === 0) {
        mask |= bit;
        off++;
      }
    }
    return mask;
  });
  const rows = participants * DAYS_WORKED;
  const path = join(dir, fileName(rows));
  const stream = createWriteStream(`${path}.tmp`);
  let bytes = 0;
  const emit = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!stream.write(text)) await once(stream, 'drain');
  };
  await emit(HEADER);
  let batch = '';
  let written = 0;
  for (const [d, date] of dates.entries()) {
    for (const [p, id] of ids.entries()) {
      if ((daysOff[p]! & (1 << d)) !== 0) continue;
      const organisation = ORGANISATIONS[Math.floor(random() * ORGANISATIONS.length)]!;
      batch += `${id},${date},${hoursText(random)},${activityText(random)},${organisation}\n`;
      if (++written % 2_000 === 0) {
        await emit(batch);
        batch = '';
      }
    }
  }
  await emit(batch);
  stream.end();
  await once(stream, 'finish');
  if (written !== rows) throw new Error(`generator bug: ${written} rows written, ${rows} meant`);
  renameSync(`${path}.tmp`, path);
  return { path, rows, bytes };
}

/**
 * Makes sure the benchmark files exist (5k, 10k, 100k and 1M rows, in that order),
 * generating them when they do not.
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
  const files: TimesheetFile[] = [];
  for (const participants of PARTICIPANTS) files.push(await writeMonth(dir, participants, random));
  const manifest: Manifest = { version: FORMAT_VERSION, seed: SEED, files };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  log(`generated ${files.map((f) => `${f.path} (${f.rows} rows, ${(f.bytes / 1e6).toFixed(1)} MB)`).join(', ')} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await ensureTimesheets(DATA_DIR, (line) => console.log(line));
}

/** The activities as Danish timesheets name them (aliases the reader knows, spec 2.1). */
const DANISH_ACTIVITIES: Record<(typeof ACTIVITIES)[number], string> = {
  training: 'opkvalificering', internship: 'praktik', ordinary: 'løn', flexjob: 'fleksjob',
  wage_subsidy: 'løntilskud', education: 'uddannelse', absence: 'fravær',
};

/**
 * The same rows as `source`, as Danish Excel saves "CSV (semikolonsepareret)":
 * Windows-1252, `;`, CRLF, Danish column names, DD-MM-YYYY dates, decimal commas,
 * Danish activity names and organisations with æ/ø/å (`Aktør 05`). Made once per
 * source file (again when the source is newer), beside it; `pbr hours` must print
 * exactly what it prints for the source.
 */
export async function ensureDanishExcelCopy(source: TimesheetFile, log: (line: string) => void = () => {}): Promise<TimesheetFile> {
  const path = source.path.replace(/\.csv$/, '-danish-excel.csv');
  if (existsSync(path) && statSync(path).mtimeMs >= statSync(source.path).mtimeMs) return { path, rows: source.rows, bytes: statSync(path).size };
  const started = performance.now();
  const lines = readFileSync(source.path, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const danish = lines.map((line, i) => {
    if (i === 0) return 'Deltager;Dato;Timer;Aktivitet;Virksomhed';
    const [participant, date, hours, activity, organisation] = line.split(',') as [string, string, string, keyof typeof DANISH_ACTIVITIES, string];
    const [year, month, day] = date.split('-');
    return `${participant};${day}-${month}-${year};${hours.replace('.', ',')};${DANISH_ACTIVITIES[activity]};${organisation.replace('Org', 'Aktør')}`;
  });
  // Every character is in Latin-1, where Windows-1252 agrees with it.
  const bytes = Buffer.from(`${danish.join('\r\n')}\r\n`, 'latin1');
  writeFileSync(`${path}.tmp`, bytes);
  renameSync(`${path}.tmp`, path);
  log(`generated ${path} (${source.rows} rows, ${(bytes.length / 1e6).toFixed(1)} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { path, rows: source.rows, bytes: bytes.length };
}
