/**
 * `npm run bench`, first part: what users run, as whole processes. `node bin/pbr.js
 * hours FILE` (stdout piped to this process, as `> out.csv` would take it) against
 * `node bench/duckdb-hours.ts FILE` (DuckDB: read_csv + GROUP BY participant, ISO
 * week, the same CSV) on one-month files of 10k, 100k and 1M rows, run in pairs whose
 * order alternates, so both sides see the same machine load; wall time, CPU time and
 * peak RSS of each process. Fails on any difference between the two answers. Then the
 * ingest on the local stack: upload → weekly hours readable for a 5,000-row report,
 * and the table's hours items per participant-week. Writes the generated section of
 * BENCHMARKS.md; tables also go to stdout, progress to stderr.
 *
 * BENCH_RUNS=<n> pairs per file (default 5); BENCH_UPLOADS=<n> stack uploads (default 5).
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CACHE_DIR } from '../bin/stripped-sources.js';
import { createPseudonymiser } from '../shared/cpr-numbers.ts';
import { host as describeHost, loads, writeGeneratedSection } from './bench-report.ts';
import { compareHours } from './compare-hours.ts';
import { DATA_DIR, ensureDanishExcelCopy, ensureTimesheets, MONTH } from './generate-timesheet.ts';
import { measureStack } from './stack-latency.ts';
import { timedProcess, type ProcessRun } from './whole-process.ts';

const RUNS = Number.parseInt(process.env.BENCH_RUNS ?? '5', 10);
const UPLOADS = Number.parseInt(process.env.BENCH_UPLOADS ?? '5', 10);
const TARGET_RATIO = 1;
const STRETCH_RATIO = 0.5;
const TARGET_RSS_MIB = 250;
const TARGET_LATENCY_MS = 2000;
const PSEUDONYM_KEY = 'bench-key';
const NODE = process.execPath;
const PBR = fileURLToPath(new URL('../bin/pbr.js', import.meta.url));
const DUCKDB_HOURS = fileURLToPath(new URL('./duckdb-hours.ts', import.meta.url));
/** What the figures depend on, for the "uncommitted changes" note. */
const MEASURED = [
  'bin/pbr.js', 'bin/stripped-sources.js', 'cli/pbr.ts', 'cli/command.ts', 'cli/commands/hours.ts', 'cli/timesheet-files.ts',
  'shared/timesheets', 'shared/weekly-hours', 'shared/weeks', 'shared/cpr-numbers.ts', 'shared/spreadsheet-cells.ts',
  ...['bench-report.ts', 'compare-hours.ts', 'duckdb-hours.ts', 'generate-timesheet.ts', 'ingest.bench.ts', 'stack-latency.ts', 'whole-process.ts'].map((file) => `bench/${file}`),
];

const log = (line: string) => process.stderr.write(`${line}\n`);
const mib = (bytes: number) => (bytes / 1_048_576).toFixed(0);
const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const seconds = (ms: number) => (ms / 1000).toFixed(2);
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const env = { ...process.env, PBR_PSEUDONYM_KEY: PSEUDONYM_KEY };
const pseudonymise = createPseudonymiser(PSEUDONYM_KEY);
const problems: string[] = [];

/** One side's run, checked: exit 0 and nothing on stderr (no row rejected, no warning) but `stderr`. */
async function run(label: string, command: string, args: string[], stderr = ''): Promise<ProcessRun> {
  const result = await timedProcess(command, args, env);
  if (result.code !== 0 || result.stderr.trim() !== stderr) problems.push(`${label}: exit ${result.code}, stderr: ${result.stderr.trim().slice(0, 500)}`);
  return result;
}

interface Race {
  rows: number;
  megabytes: number;
  ours: ProcessRun[];
  duckdb: ProcessRun[];
  participantWeeks: number;
  totalCentiHours: number;
}

/** RUNS pairs of runs of `a` and `b`, the first side alternating, so both see the same machine load. */
async function pairs(label: string, a: () => Promise<ProcessRun>, b: () => Promise<ProcessRun>): Promise<[ProcessRun[], ProcessRun[]]> {
  const as: ProcessRun[] = [];
  const bs: ProcessRun[] = [];
  for (let i = 0; i < RUNS; i++) {
    if (i % 2 === 0) {
      as.push(await a());
      bs.push(await b());
    } else {
      bs.push(await b());
      as.push(await a());
    }
    log(`  ${label}, pair ${i + 1}/${RUNS}: ${as.at(-1)!.ms.toFixed(0)} ms ${mib(as.at(-1)!.maxRssBytes)} MiB, then ${bs.at(-1)!.ms.toFixed(0)} ms ${mib(bs.at(-1)!.maxRssBytes)} MiB`);
  }
  return [as, bs];
}

/** RUNS pairs on one file, `pbr hours` against DuckDB; every output checked against the first pair's. */
async function race(path: string, rows: number, bytes: number): Promise<Race> {
  const [ours, duckdb] = await pairs(
    `${fmtInt(rows)} rows, pbr hours then DuckDB`,
    () => run(`pbr hours (${fmtInt(rows)} rows)`, NODE, [PBR, 'hours', path]),
    () => run(`DuckDB (${fmtInt(rows)} rows)`, NODE, [DUCKDB_HOURS, path]),
  );
  const agreement = compareHours(ours[0]!.stdout.toString('utf8'), duckdb[0]!.stdout.toString('utf8'), pseudonymise);
  for (const problem of agreement.problems) problems.push(`${fmtInt(rows)} rows: ${problem}`);
  for (const [who, list] of [['pbr hours', ours], ['DuckDB', duckdb]] as const) {
    if (list.some((r) => !r.stdout.equals(list[0]!.stdout))) problems.push(`${fmtInt(rows)} rows: ${who} did not print the same every run`);
  }
  for (const r of [...ours, ...duckdb]) r.stdout = Buffer.alloc(0); // the outputs are checked: let them go
  return { rows, megabytes: bytes / 1e6, ours, duckdb, ...agreement };
}

// ---------------------------------------------------------------------------

const files = await ensureTimesheets(DATA_DIR, log);
const [stackFile, ...raced] = files;
const host = describeHost(MEASURED);
const loadBefore = loads();
const started = new Date();
log(`${RUNS} pairs per file; load average (1/5/15 min) before: ${loadBefore}`);

log('start-up alone:');
const nodeAlone: ProcessRun[] = [];
const help: ProcessRun[] = [];
// The first run after a change strips the sources' types (bin/stripped-sources.js): measured once, then warm as users meet it.
rmSync(DEFAULT_CACHE_DIR, { recursive: true, force: true });
const coldHelp = await run('pbr --help (cold)', NODE, [PBR, '--help']);
for (let i = 0; i < RUNS; i++) {
  nodeAlone.push(await run('node -e ""', NODE, ['-e', '']));
  help.push(await run('pbr --help', NODE, [PBR, '--help']));
}
await run('pbr hours (warm-up)', NODE, [PBR, 'hours', stackFile!.path]);
log('pbr hours against DuckDB:');
const races: Race[] = [];
for (const file of raced) races.push(await race(file.path, file.rows, file.bytes));

// The largest file again as Danish Excel saves it, against the file itself: pbr alone (DuckDB reads UTF-8 only).
const danishFile = await ensureDanishExcelCopy(raced.at(-1)!, log);
const readAs1252 = `${danishFile.path}: not UTF-8: read as Windows-1252 (Danish Excel's "CSV (semikolonsepareret)")`;
const [danish, original] = await pairs(
  'Danish Excel copy, then its source',
  () => run('pbr hours (Danish Excel copy)', NODE, [PBR, 'hours', danishFile.path], readAs1252),
  () => run('pbr hours (its source)', NODE, [PBR, 'hours', raced.at(-1)!.path]),
);
if ([...danish, ...original].some((r) => !r.stdout.equals(original[0]!.stdout))) problems.push('the Danish Excel copy did not give the same weekly hours as its source');
for (const r of [...danish, ...original]) r.stdout = Buffer.alloc(0);
const loadAfterRaces = loads();

log(`local stack (${UPLOADS} uploads of ${fmtInt(stackFile!.rows)} rows):`);
const stackWeeks = await run('pbr hours (stack file)', NODE, [PBR, 'hours', stackFile!.path]);
const stackParticipantWeeks = stackWeeks.stdout.toString('utf8').trim().split('\n').length - 1;
const stack = await measureStack(stackFile!.path, MONTH, UPLOADS, stackParticipantWeeks, PSEUDONYM_KEY, log);
if (stack.hoursItems.some((n) => n !== stackParticipantWeeks) || stack.hoursItemsAfterCorrection !== stackParticipantWeeks) {
  problems.push(`local stack: hours items ${stack.hoursItems.join(', ')} (after a correction ${stack.hoursItemsAfterCorrection}), expected ${stackParticipantWeeks} each`);
}
const loadAfter = loads();

if (problems.length > 0) {
  for (const problem of problems) log(`PROBLEM: ${problem}`);
  throw new Error(`${problems.length} problem(s), see above; no figures written`);
}

// ---------------------------------------------------------------------------

const ms = (list: ProcessRun[]) => list.map((r) => r.ms);
const cpu = (list: ProcessRun[]) => list.map((r) => r.cpuMs);
const maxRss = (list: ProcessRun[]) => Math.max(...list.map((r) => r.maxRssBytes));
const ratios = (r: Race) => r.ours.map((ours, i) => ours.ms / r.duckdb[i]!.ms);
const timeCell = (list: ProcessRun[]) => `${seconds(median(ms(list)))} s (${seconds(Math.min(...ms(list)))})`;

const raceTable = [
  '| Rows | File | Participant-weeks | `pbr hours`: median (best) | DuckDB: median (best) | Ratio pbr ÷ DuckDB: median of pairs (range) | CPU, pbr / DuckDB (median) | Peak RSS, pbr / DuckDB (max) |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...races.map((r) => {
    const each = ratios(r);
    return `| ${fmtInt(r.rows)} | ${r.megabytes.toFixed(1)} MB | ${fmtInt(r.participantWeeks)} | ${timeCell(r.ours)} | ${timeCell(r.duckdb)} | **${median(each).toFixed(2)}** (${Math.min(...each).toFixed(2)}–${Math.max(...each).toFixed(2)}) | ${seconds(median(cpu(r.ours)))} s / ${seconds(median(cpu(r.duckdb)))} s | ${mib(maxRss(r.ours))} / ${mib(maxRss(r.duckdb))} MiB |`;
  }),
].join('\n');

const startupTable = [
  '| Process | Median (best) | Peak RSS (max) |',
  '|---|---:|---:|',
  `| \`node -e ""\` (Node alone) | ${timeCell(nodeAlone)} | ${mib(maxRss(nodeAlone))} MiB |`,
  `| \`node bin/pbr.js --help\` | ${timeCell(help)} | ${mib(maxRss(help))} MiB |`,
  `| \`node bin/pbr.js --help\`, the first run after a change (types stripped, not from the cache) | ${seconds(coldHelp.ms)} s (one run) | ${mib(coldHelp.maxRssBytes)} MiB |`,
].join('\n');

const danishTable = [
  '| File | `pbr hours`: median (best) | Ratio to its source: median of pairs (range) | CPU (median) | Peak RSS (max) |',
  '|---|---:|---:|---:|---:|',
  `| ${fmtInt(danishFile.rows)} rows as Danish Excel saves them, ${(danishFile.bytes / 1e6).toFixed(1)} MB | ${timeCell(danish)} | **${median(danish.map((r, i) => r.ms / original[i]!.ms)).toFixed(2)}** (${Math.min(...danish.map((r, i) => r.ms / original[i]!.ms)).toFixed(2)}–${Math.max(...danish.map((r, i) => r.ms / original[i]!.ms)).toFixed(2)}) | ${seconds(median(cpu(danish)))} s | ${mib(maxRss(danish))} MiB |`,
  `| its source, ${(raced.at(-1)!.bytes / 1e6).toFixed(1)} MB (UTF-8, \`,\`, LF) | ${timeCell(original)} | 1 | ${seconds(median(cpu(original)))} s | ${mib(maxRss(original))} MiB |`,
].join('\n');

const stackTable = [
  '| Uploads | Rows each | Participant-weeks each | Upload → hours visible: median (max) | Hours items per report | After a correction (same report again) |',
  '|---:|---:|---:|---:|---:|---:|',
  `| ${UPLOADS} | ${fmtInt(stackFile!.rows)} | ${fmtInt(stackParticipantWeeks)} | ${median(stack.latencies).toFixed(0)} ms (${Math.max(...stack.latencies).toFixed(0)} ms) | ${stack.hoursItems.map(fmtInt).join(', ')} | ${fmtInt(stack.hoursItemsAfterCorrection)} hours items, ${stack.statusItemsAfterCorrection} status items |`,
].join('\n');

const big = races.at(-1)!;
const bigRatio = median(ratios(big));
const bigRss = maxRss(big.ours) / 1_048_576;
const verdict = (met: boolean) => (met ? '**met**' : '**missed**');
const reading = [
  `- **Speed:** at ${fmtInt(big.rows)} rows \`pbr hours\` takes ${seconds(median(ms(big.ours)))} s and DuckDB ${seconds(median(ms(big.duckdb)))} s (medians); the median ratio of the ${RUNS} pairs is ${bigRatio.toFixed(2)} — target ≤ ${TARGET_RATIO.toFixed(1)} ${verdict(bigRatio <= TARGET_RATIO)}, stretch ≤ ${STRETCH_RATIO} ${verdict(bigRatio <= STRETCH_RATIO)}.`,
  `- **Peak RSS:** ${bigRss.toFixed(0)} MiB for \`pbr hours\` at ${fmtInt(big.rows)} rows (max of ${RUNS}; DuckDB ${mib(maxRss(big.duckdb))} MiB) — target < ${TARGET_RSS_MIB} MiB ${verdict(bigRss < TARGET_RSS_MIB)}.`,
  `- **Flat in rows:** ${races.map((r) => `${mib(maxRss(r.ours))} MiB at ${fmtInt(r.rows)} rows (${fmtInt(r.participantWeeks)} participant-weeks)`).join(', ')}; Node alone is ${mib(maxRss(nodeAlone))} MiB. Rows are streamed; what grows is the result, one entry per participant-week.`,
  `- **Danish Excel's CSV:** the ${fmtInt(danishFile.rows)} rows as Danish Excel saves them (Windows-1252, \`;\`, CRLF, Danish dates, numbers and names) take ${seconds(median(ms(danish)))} s, ${median(danish.map((r, i) => r.ms / original[i]!.ms)).toFixed(2)}× the time of the same rows in the UTF-8 file (median of ${RUNS} pairs), with the same output.`,
  `- **Same answer:** at every size both print the same participant-weeks (${races.map((r) => fmtInt(r.participantWeeks)).join(', ')}) with the same hours in every column (DuckDB's CPR-shaped ids pseudonymised with the same key; ${(big.totalCentiHours / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })} hours at ${fmtInt(big.rows)} rows), and every run printed the same bytes; the bench fails otherwise.`,
  `- **Local stack:** upload → weekly hours visible for a ${fmtInt(stackFile!.rows)}-row report: ${median(stack.latencies).toFixed(0)} ms median of ${UPLOADS} — target < ${TARGET_LATENCY_MS} ms ${verdict(median(stack.latencies) < TARGET_LATENCY_MS)}; each: ${stack.latencies.map((ms) => `${ms.toFixed(0)} ms`).join(', ')} (the first is the stack's first ingest: cold code and connections), ${stack.latencies.every((ms) => ms < TARGET_LATENCY_MS) ? 'all' : `${stack.latencies.filter((ms) => ms < TARGET_LATENCY_MS).length} of ${UPLOADS}`} under the target. DynamoDB: ${fmtInt(stack.hoursItems[0]!)} hours items for ${fmtInt(stackParticipantWeeks)} participant-weeks (one per participant-week touched), also after a correction, which leaves the new version's items only.`,
  `- **Load:** the machine's load average (1/5/15 min) was ${loadBefore} before, ${loadAfterRaces} after the races and ${loadAfter} at the end${Number(loadBefore.split(' / ')[0]) > host.cores * 0.5 ? '; other work was running, so times are noisier than on an idle machine (the pairs share it)' : ''}.`,
].join('\n');

const markdown = [
  `## Ingest benchmark — ${started.toISOString().slice(0, 10)}`,
  '',
  'Command: `npm run bench` (runs `node bench/ingest.bench.ts`, then the projection benchmark)',
  '',
  `Machine: ${host.cpu}, ${host.cores} cores, ${host.ramGb.toFixed(1)} GiB RAM; Node ${host.node}; ${host.os}. Code: ${host.commit}. Started ${started.toISOString()}.`,
  '',
  `Data: ${files.map((f) => `\`${f.path.slice(f.path.indexOf('bench/'))}\``).join(', ')} — \`bench/generate-timesheet.ts\`, seeded: N participants × 20 of the 23 weekdays of March 2021 (5,000 to 1,000,000 rows), sorted by date then participant, every 10th participant a CPR-shaped id.`,
  '',
  `Method: whole processes as a user runs them, \`node bin/pbr.js hours FILE\` with \`PBR_PSEUDONYM_KEY\` set (its stdout piped to the bench, like \`> out.csv\`) and \`node bench/duckdb-hours.ts FILE\` (DuckDB ${'`@duckdb/node-api`'}, its default threads: read_csv, GROUP BY participant and ISO week, the same columns, sorted, CSV to stdout). ${RUNS} pairs per file, the first side alternating; wall time from spawn to exit; CPU (user + system) and peak RSS (\`%M\`) from GNU time.`,
  '',
  '### `pbr hours` against DuckDB, whole processes',
  '',
  raceTable,
  '',
  startupTable,
  '',
  `### The same rows as Danish Excel saves them (\`${danishFile.path.slice(danishFile.path.indexOf('bench/'))}\`)`,
  '',
  "Windows-1252, `;`, CRLF, Danish column names, DD-MM-YYYY dates, decimal commas, Danish activity names (`løn`, `fravær`, …) and organisations with æ/ø/å; made by `ensureDanishExcelCopy` in `bench/generate-timesheet.ts`. `pbr hours` alone, paired with the file it was made from (DuckDB reads UTF-8 only); both print the same bytes, or the bench fails.",
  '',
  danishTable,
  '',
  '### The ingest on the local stack (`pbr stack --in-memory`)',
  '',
  stackTable,
  '',
  '### Reading',
  '',
  reading,
].join('\n');

process.stdout.write(`${raceTable}\n\n${startupTable}\n\n${danishTable}\n\n${stackTable}\n\n${reading}\n`);
log(`wrote ${writeGeneratedSection(markdown)}`);
