import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PIPELINE_IDLE_PATH } from '../../local/api-server.ts';
import type { ScenarioManifest } from '../../local/demo/scenario.ts';
import type { ReportVersionStatus } from '../../shared/ingest/ports.ts';
import type { InputVersionStatus } from '../../shared/partnerships/ports.ts';
import { reportsCounted } from '../../shared/statements/manifest.ts';
import { formatOfName } from '../../shared/timesheets/read-timesheet.ts';
import { inputKey } from '../../shared/uploads/input-key.ts';
import { reportKey } from '../../shared/uploads/report-key.ts';
import { monthAfter } from '../../shared/weeks/iso-week.ts';
import { EXIT, UsageError, wholeNumber, type Command } from '../command.ts';
import { LoadProgress } from '../load-progress.ts';
import { readScenarioManifest } from '../scenario-folder.ts';
import { DEFAULT_DATA_DIR, resolveTarget, TARGET_OPTIONS, TARGET_USAGE, type Target } from '../target.ts';
import { contentMd5, DEFAULT_WAIT_SECONDS, isStatusOf, openUploadLog, storedMd5, uploadFile, type LoggedUpload, type UploadLog } from '../uploads.ts';

/** PUTs in flight at once: enough to keep a stack's ingest fed, few enough not to swamp it. */
export const DEFAULT_CONCURRENCY = 8;
/** Threads computing statements: one per core, as the projections are CPU-bound. */
export const DEFAULT_THREADS = availableParallelism();

/** How often the stores are asked for verdicts while a load waits. */
const POLL_MS = 2000;
/** Files uploaded ahead of their verdicts at most. */
const MAX_AHEAD = 400;
/** A poll asks about the partnerships of this many of the oldest uploads still waiting for their verdict. */
const POLL_FRONTIER = 40;

/** What a load does beyond its folder and target. */
export interface LoadOptions {
  /** PUTs in flight at once. */
  concurrency: number;
  /** The resumable log (JSON lines of key, MD5 and version per upload). */
  logFile: string;
  /** Give up when nothing progressed for this long while waiting (seconds). */
  idleSeconds: number;
  /** Threads that compute the statements (each partnership in one, months in order). */
  threads: number;
  progress: LoadProgress;
}

/** What a load did, for its summary and the national benchmark. */
export interface LoadSummary {
  files: number;
  uploaded: number;
  /** Already in the log with the same content: not uploaded again. */
  skipped: number;
  rows: number;
  acceptedRows: number;
  rejectedRows: number;
  /** Timesheets, contracts or rosters refused whole. */
  rejectedFiles: number;
  failedFiles: number;
  statements: number;
  statementsComputed: number;
  /** Milliseconds from the start to: every verdict in, every statement computed, every statement current. */
  elapsed: { verdicts: number; statements: number; current: number };
}

/** One file of the scenario and where it goes. */
interface PlannedUpload {
  file: string;
  key: string;
  partnership: string;
  kind: 'contract' | 'roster' | 'report';
}

/** A planned upload once it is in the bucket (uploaded now or found in the log). */
interface DoneUpload extends PlannedUpload {
  uploaded: LoggedUpload;
  verdict?: ReportVersionStatus | InputVersionStatus;
}

/** Every month from `first` to `last` (YYYY-MM). */
export function monthsBetween(first: string, last: string): string[] {
  const months: string[] = [];
  for (let month = first; month <= last; month = monthAfter(month)) months.push(month);
  return months;
}

/** Where a load's log lives by default: beside the stack's data, named by the scenario folder and the target. */
export function defaultLogFile(dataDir: string, scenarioDir: string, target: Pick<Target, 'bucket' | 'table'>): string {
  const digest = createHash('sha256').update(`${resolve(scenarioDir)}\u0000${target.bucket}\u0000${target.table}`).digest('hex').slice(0, 16);
  return join(dataDir, 'loads', `${digest}.jsonl`);
}

/**
 * Uploads a scenario folder (pbr generate; its manifest as readScenarioManifest
 * gives it) to a stack and brings it to rest:
 * contracts and rosters, then timesheets in manifest order, `concurrency` PUTs at
 * a time (two versions of one key never overlap, so a correction lands after the
 * version it replaces); waits for every verdict; computes each partnership's
 * statements for every month of the scenario that has none (as the monthly
 * schedule would have, through the same handler); and waits until every
 * statement is current. Resumable and idempotent: a file whose key and content the
 * log already holds, in the same place of that key's versions, is not uploaded
 * again while the bucket holds that key's last logged content, and statements that
 * exist are left to the pipeline.
 */
export async function loadScenario(manifest: ScenarioManifest, target: Target, options: LoadOptions): Promise<LoadSummary> {
  const started = performance.now();
  const log = await openUploadLog(options.logFile);
  const { progress } = options;
  const summary: LoadSummary = { files: 0, uploaded: 0, skipped: 0, rows: 0, acceptedRows: 0, rejectedRows: 0, rejectedFiles: 0, failedFiles: 0, statements: 0, statementsComputed: 0, elapsed: { verdicts: 0, statements: 0, current: 0 } };
  const inputs = manifest.partnerships.flatMap((p): PlannedUpload[] => [
    { file: p.contractFile, key: inputKey('contract', p.id), partnership: p.id, kind: 'contract' },
    { file: p.rosterFile, key: inputKey('roster', p.id), partnership: p.id, kind: 'roster' },
  ]);
  const reports = manifest.timesheets.map((t): PlannedUpload => ({ file: t.file, key: reportKey(t, formatOfName(t.file)!), partnership: t.partnership, kind: 'report' }));
  summary.files = inputs.length + reports.length;

  progress.phase('contracts and rosters', inputs.length, 'files');
  const doneInputs = await uploadWithVerdicts(inputs, target, log, options, summary);
  progress.phase('timesheets', reports.length, 'files', manifest.rows);
  const doneReports = await uploadWithVerdicts(reports, target, log, options, summary);
  summary.elapsed.verdicts = performance.now() - started;

  // The recalculations the uploads announced run first, so they never race the statements computed here.
  await pipelineIdle(target, options);
  await computeMissingStatements(manifest, target, options, summary);
  await pipelineIdle(target, options);
  summary.elapsed.statements = performance.now() - started;
  progress.phase('statements current', summary.statements, 'statements');
  await waitUntil(options, async () => {
    const stale = await staleStatements(manifest, target);
    return { count: summary.statements - stale, finished: stale === 0 };
  });
  summary.elapsed.current = performance.now() - started;
  progress.end();
  for (const { verdict } of [...doneInputs, ...doneReports]) tally(verdict!, summary);
  return summary;
}

/** Uploads in flight and done, shared by the uploading workers and the verdict poll. */
interface Uploads {
  done: DoneUpload[];
  verdicts: number;
  finished: boolean;
}

/**
 * Uploads in order, `concurrency` at a time, skipping what the log holds, never more
 * than MAX_AHEAD files ahead of the verdicts (as S3 would not queue a whole country's
 * files in front of its functions). Resolves when every upload is done.
 */
async function uploadAll(plan: readonly PlannedUpload[], state: Uploads, target: Target, log: UploadLog, options: LoadOptions, summary: LoadSummary): Promise<void> {
  const inFlight = new Map<string, Promise<unknown>>(); // per key: its version in flight
  const seen = new Map<string, number>(); // per key: versions planned so far
  const checked = new Map<string, Promise<readonly LoggedUpload[]>>();
  // A key's log counts only while the bucket still holds its last logged version (not so after a fresh in-memory stack).
  const trustedLog = (key: string) => {
    if (!checked.has(key)) {
      const versions = log.versions(key);
      checked.set(key, versions.length === 0 ? Promise.resolve(versions) : storedMd5(target.s3, target.bucket, key).then((md5) => (md5 === versions.at(-1)!.md5 ? versions : [])));
    }
    return checked.get(key)!;
  };
  let next = 0;
  const worker = async () => {
    while (next < plan.length) {
      while (state.done.length - state.verdicts > MAX_AHEAD) await sleep(100);
      const upload = plan[next++]!;
      const place = seen.get(upload.key) ?? 0;
      seen.set(upload.key, place + 1);
      const earlier = inFlight.get(upload.key);
      const work = (async () => {
        await earlier;
        const md5 = await contentMd5(upload.file);
        const logged = (await trustedLog(upload.key))[place];
        if (logged?.md5 === md5) {
          summary.skipped++;
          return { ...upload, uploaded: logged };
        }
        const uploaded = { ...(await uploadFile(target.s3, target.bucket, upload.key, upload.file)), md5 };
        await log.append(uploaded);
        summary.uploaded++;
        return { ...upload, uploaded };
      })();
      inFlight.set(upload.key, work);
      state.done.push(await work);
      options.progress.uploaded(state.done.length);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  } finally {
    state.finished = true;
  }
}

/**
 * Uploads `plan` and waits until every upload has its verdict (the status of
 * exactly its version). Polls the partnerships of the oldest uploads still waiting
 * (the stack works through them roughly in order), so a poll stays cheap.
 */
async function uploadWithVerdicts(plan: readonly PlannedUpload[], target: Target, log: UploadLog, options: LoadOptions, summary: LoadSummary): Promise<DoneUpload[]> {
  const state: Uploads = { done: [], verdicts: 0, finished: false };
  const uploading = uploadAll(plan, state, target, log, options, summary);
  uploading.catch(() => {}); // awaited below; the poll stops once it has failed
  let rows = 0;
  await waitUntil(options, async () => {
    const open = state.done.filter((upload) => upload.verdict === undefined);
    for (const partnership of new Set(open.slice(0, POLL_FRONTIER).map((upload) => upload.partnership))) {
      const mine = open.filter((upload) => upload.partnership === partnership);
      const statuses: (ReportVersionStatus | InputVersionStatus)[] = mine.some((upload) => upload.kind === 'report') ? await target.store.reportStatuses(partnership) : await target.partnerships.inputStatuses(partnership);
      for (const upload of mine) {
        upload.verdict = statuses.find((status) => isStatusOf(upload.uploaded, status));
        if (!upload.verdict) continue;
        state.verdicts++;
        if ('rows' in upload.verdict) rows += upload.verdict.rows;
      }
    }
    options.progress.rows(rows);
    return { count: state.verdicts, finished: state.finished && state.verdicts === state.done.length };
  });
  await uploading;
  summary.rows += rows;
  return state.done;
}

/** Adds a verdict to the summary's counts. */
function tally(verdict: ReportVersionStatus | InputVersionStatus, summary: LoadSummary): void {
  if (verdict.outcome === 'rejected') summary.rejectedFiles++;
  if (verdict.outcome === 'failed') summary.failedFiles++;
  if ('rows' in verdict) {
    summary.acceptedRows += verdict.acceptedRows;
    summary.rejectedRows += verdict.rejectedRows;
  }
}

/**
 * Polls `check` every POLL_MS until it says `finished`, showing its count as
 * progress; fails when the count did not move for `idleSeconds`.
 */
async function waitUntil(options: LoadOptions, check: () => Promise<{ count: number; finished: boolean }>): Promise<void> {
  let best = -1;
  let movedAt = performance.now();
  for (;;) {
    const { count, finished } = await check();
    options.progress.update(count);
    if (finished) return;
    if (count > best) [best, movedAt] = [count, performance.now()];
    else if (performance.now() - movedAt > options.idleSeconds * 1000) throw new Error(`nothing moved for ${options.idleSeconds} s: the pipeline may still finish; check with pbr reports`);
    await sleep(POLL_MS);
  }
}

/**
 * Waits until a local stack has nothing queued or running (PIPELINE_IDLE_PATH); a
 * deployed stack's queue is not visible from here, so there the statements'
 * manifests alone decide (staleStatements).
 */
async function pipelineIdle(target: Target, options: LoadOptions): Promise<void> {
  if (!target.localApi) return;
  const url = `${target.localApi}${PIPELINE_IDLE_PATH}`;
  const deadline = performance.now() + options.idleSeconds * 1000;
  while (!((await (await fetch(url)).json()) as { idle: boolean }).idle) {
    if (performance.now() > deadline) throw new Error(`the local stack was still busy after ${options.idleSeconds} s`);
    await sleep(POLL_MS / 4);
  }
}

/**
 * Computes, through the recalculation handler, each partnership's statements for
 * every month of the scenario that has none yet, partnership by partnership, months
 * in order (each month's adjustments and backtest lean on the months before it).
 */
async function computeMissingStatements(manifest: ScenarioManifest, target: Target, options: LoadOptions, summary: LoadSummary): Promise<void> {
  const months = monthsBetween(manifest.timesheets[0]!.month, manifest.timesheets.at(-1)!.month);
  const requests: { partnership: string; asOf: string }[] = [];
  for (const { id } of manifest.partnerships) {
    if (!(await target.partnerships.contract(id))) continue;
    const stored = new Set(await target.partnerships.statementMonths(id));
    summary.statements += months.length;
    for (const month of months) if (!stored.has(month)) requests.push({ partnership: id, asOf: month });
  }
  options.progress.phase('statements', requests.length, 'statements');
  if (requests.length === 0) return;
  // The handler runs here, as in pbr recalc; its per-statement INFO lines would bury the progress.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  Object.assign(process.env, { TABLE_NAME: target.table, BUCKET_NAME: target.bucket });
  const { recalculateInWorkers } = await import('../../local/recalculation-workers.ts');
  const failed = await recalculateInWorkers(requests, options.threads, (done) => options.progress.update(done));
  if (failed.length > 0) throw new Error(`statements failed for ${failed.join(', ')} (see the log lines above)`);
  summary.statementsComputed = requests.length;
}

/**
 * How many stored statements of the scenario's partnerships are not current. A
 * statement is current when its manifest names exactly the input versions a
 * recalculation would read now: the current contract and roster, and the current
 * version of every report of its month or before (shared/statements/manifest.ts).
 */
async function staleStatements(manifest: ScenarioManifest, target: Target): Promise<number> {
  let stale = 0;
  for (const { id } of manifest.partnerships) {
    const [contract, roster, statuses, months] = await Promise.all([
      target.partnerships.currentInput(id, 'contract'),
      target.partnerships.currentInput(id, 'roster'),
      target.store.reportStatuses(id),
      target.partnerships.statementMonths(id),
    ]);
    for (const month of months) {
      const stored = (await target.partnerships.statement(id, month))?.manifest;
      const counted = (reports: readonly { key: string; sequencer: string }[]) => reports.map((r) => `${r.key}@${r.sequencer}`).join(',');
      const current =
        stored?.contract?.sequencer === contract?.sequencer &&
        stored?.roster?.sequencer === roster?.sequencer &&
        counted(stored?.reports ?? []) === counted(reportsCounted(statuses, month));
      if (!current) stale++;
    }
  }
  return stale;
}

/** `pbr load DIR`: a generated scenario folder into a stack, brought to rest. */
export const load: Command = {
  usage: `
Usage: pbr load DIR [--concurrency N] [--threads N] [--log FILE] [--wait SECONDS] [target]

Uploads a scenario folder written by pbr generate to a stack: every contract and
roster (contracts/P.json, rosters/P.csv), then every timesheet in the manifest's
order (reports/P/YYYY-MM/S.csv|.xlsx), N at a time; waits for each file's
verdict; computes each partnership's statements for every month of the scenario
that has none (the recalculation handler, run here as pbr recalc does, on
--threads threads); and waits
until every statement is current (its manifest names the current contract,
roster and report versions). Prints a summary on stdout; progress (files, rows,
rate, ETA) goes to stderr.
Resumable: each upload is logged (key, MD5, version) as it finishes, and a re-run
skips what the log holds with the same content while the bucket still holds it
(one HEAD per key), so running it again changes nothing: no new report versions,
no recalculation.
  --concurrency N   PUTs in flight at once (default ${DEFAULT_CONCURRENCY})
  --threads N       threads computing statements, each partnership in one
                    (default ${DEFAULT_THREADS}: one per core)
  --log FILE        the log (default: DATA/loads/<digest of DIR and target>.jsonl)
  --wait SECONDS    give up (exit 1) when nothing progressed for this long
                    (default ${DEFAULT_WAIT_SECONDS})
Exit codes as pbr upload: 2 when a file was rejected whole, 3 when rows were.
${TARGET_USAGE}`,
  options: { concurrency: { type: 'string' }, threads: { type: 'string' }, log: { type: 'string' }, wait: { type: 'string' }, ...TARGET_OPTIONS },
  async run(values, positionals) {
    if (positionals.length !== 1) throw new UsageError('name exactly one scenario folder (pbr generate --out DIR)');
    const dir = positionals[0]!;
    const concurrency = wholeNumber(values, 'concurrency', DEFAULT_CONCURRENCY);
    if (concurrency < 1) throw new UsageError('--concurrency must be at least 1');
    const threads = wholeNumber(values, 'threads', DEFAULT_THREADS);
    if (threads < 1) throw new UsageError('--threads must be at least 1');
    const idleSeconds = wholeNumber(values, 'wait', DEFAULT_WAIT_SECONDS);
    const manifest = await readScenarioManifest(dir);
    const target = await resolveTarget(values);
    const logFile = (values.log as string | undefined) ?? defaultLogFile((values.data as string | undefined) ?? DEFAULT_DATA_DIR, dir, target);
    const summary = await loadScenario(manifest, target, { concurrency, threads, logFile, idleSeconds, progress: new LoadProgress('load') });
    process.stdout.write(formatLoadSummary(summary));
    return loadExitCode(summary);
  },
};

/** The summary a load prints on stdout. */
export function formatLoadSummary(s: LoadSummary): string {
  const n = (x: number) => x.toLocaleString('en');
  return [
    `loaded ${n(s.files)} files (${n(s.uploaded)} uploaded, ${n(s.skipped)} already there), ${n(s.rows)} rows`,
    `  rows accepted ${n(s.acceptedRows)}, rejected ${n(s.rejectedRows)}; files rejected whole ${n(s.rejectedFiles)}, failed ${n(s.failedFiles)}`,
    `  statements ${n(s.statements)} current (${n(s.statementsComputed)} computed now)`,
    `  elapsed ${(s.elapsed.current / 1000).toFixed(1)} s (verdicts ${(s.elapsed.verdicts / 1000).toFixed(1)} s, statements ${((s.elapsed.statements - s.elapsed.verdicts) / 1000).toFixed(1)} s)`,
    '',
  ].join('\n');
}

/** The EXIT code of a load: failed files 1, files rejected whole 2, rows rejected 3. */
export function loadExitCode(s: LoadSummary): number {
  if (s.failedFiles > 0) return EXIT.failure;
  if (s.rejectedFiles > 0) return EXIT.inputRejected;
  return s.rejectedRows > 0 ? EXIT.rowsRejected : EXIT.ok;
}
