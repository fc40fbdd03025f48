import { execFile } from 'node:child_process';
import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { instrumentAwsClients } from '../shared/adapters/aws-clients.ts';
import { inputKey } from '../shared/uploads/input-key.ts';
import { startLocalStack } from '../local/local-stack.ts';
import { instrumentClient, startInvocationMetrics, type InvocationMetrics } from '../local/invocation-metrics.ts';
import { writeScenario } from '../local/demo/scenario.ts';
import { DEFAULT_CONCURRENCY, DEFAULT_THREADS, loadScenario, formatLoadSummary, type LoadSummary } from '../cli/commands/load.ts';
import { LoadProgress } from '../cli/load-progress.ts';
import { readScenarioManifest } from '../cli/scenario-folder.ts';
import { resolveTarget, stackFile, type Target } from '../cli/target.ts';
import { uploadFile } from '../cli/uploads.ts';
import { localPseudonymKey } from '../cli/command.ts';

/*
 * The national load, measured (issue 14): `pbr generate --scale national` (unless
 * --scenario names a folder) through `pbr load`'s code path into a local stack
 * started in this process, so every handler invocation and AWS request can be
 * counted (local/invocation-metrics.ts). Then one partnership's roster is uploaded
 * again (same content, a new version): the recalculation of that partnership's
 * full history it causes is timed. Prints a Markdown table. Run by hand:
 *
 *   node bench/national-load.ts [--scenario DIR] [--data DIR] [--concurrency N] [--in-memory] [--api-load-test [--api-requests N]]
 *
 * --in-memory keeps DynamoDB Local in memory (its on-disk store writes several
 * times slower); --api-load-test runs bench/api-load-test.ts on the loaded stack.
 *
 * Not part of npm test: it keeps both cores busy for many minutes.
 */

const { values } = parseArgs({ options: { scenario: { type: 'string' }, data: { type: 'string' }, concurrency: { type: 'string' }, 'in-memory': { type: 'boolean' }, 'api-load-test': { type: 'boolean' }, 'api-requests': { type: 'string' } } });
const realStderr = process.stderr.write.bind(process.stderr);
const logs = { lines: 0, bytes: 0, statementLines: [] as { time: number; partnership: string }[] };
// Lambda's default level: the log bytes are what CloudWatch would ingest (the handlers' JSON lines, counted, not shown).
process.env.POWERTOOLS_LOG_LEVEL ??= 'INFO';
process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  if (!text.startsWith('{"time"')) return realStderr(chunk, ...rest);
  for (const line of text.split('\n').filter(Boolean)) {
    logs.lines++;
    logs.bytes += Buffer.byteLength(line) + 1;
    if (line.includes('"statement computed"')) {
      const { time, partnership } = JSON.parse(line) as { time: string; partnership: string };
      logs.statementLines.push({ time: Date.parse(time), partnership });
    }
  }
  return true;
}) as typeof process.stderr.write;

localPseudonymKey();
const metrics = startInvocationMetrics();
instrumentAwsClients(instrumentClient);
const work = await mkdtemp(join(tmpdir(), 'pbr-national-'));
const scenario = values.scenario ?? join(work, 'scenario');
const data = values.data ?? join(work, 'data');
const generateStarted = performance.now();
if (!values.scenario) await writeScenario(scenario, { seed: 1, scale: 'national' });
const generateMs = performance.now() - generateStarted;
const manifest = await readScenarioManifest(scenario);
const loadBefore = loadavg();

const started = performance.now();
const stack = await startLocalStack({ dataDir: data, inMemoryTable: values['in-memory'], stackFile: stackFile(data), onProgress: () => {} });
const startMs = performance.now() - started;
let summary: LoadSummary;
let target: Target;
try {
  target = await resolveTarget({ data });
  summary = await loadScenario(manifest, target, { concurrency: Number(values.concurrency ?? DEFAULT_CONCURRENCY), threads: DEFAULT_THREADS, logFile: join(data, 'load.jsonl'), idleSeconds: 900, progress: new LoadProgress('national', process.stderr) });
  await stack.settled();
} catch (error) {
  await stack.stop();
  throw error;
}
const endToEndMs = performance.now() - started;
const cpu = process.cpuUsage(); // this process with its threads (the stack, the load); DynamoDB Local's Java is not in it
const loadDuring = loadavg();
realStderr(formatLoadSummary(summary));

// `pbr load` again on the loaded stack: idempotent, so nothing is uploaded and no statement computed.
const rerunStarted = performance.now();
const rerun = await loadScenario(manifest, target, { concurrency: Number(values.concurrency ?? DEFAULT_CONCURRENCY), threads: DEFAULT_THREADS, logFile: join(data, 'load.jsonl'), idleSeconds: 900, progress: new LoadProgress('national again', process.stderr) });
await stack.settled();
const rerunMs = performance.now() - rerunStarted;
realStderr(`re-run of pbr load: ${rerun.uploaded} files uploaded, ${rerun.skipped} skipped, ${rerun.statementsComputed} statements computed, ${f(rerunMs / 1000, 1)} s\n`);

// One partnership's full history: its roster (the largest) again, a new version, as a correction of the roster would.
const sizes = await Promise.all(manifest.partnerships.map(async (p) => ({ p, bytes: (await stat(p.rosterFile)).size })));
const biggest = sizes.reduce((a, b) => (b.bytes > a.bytes ? b : a)).p;
const recalcBefore = [...(metrics.functions.get('recalculate-statement')?.durations ?? [])].length;
const linesBefore = logs.statementLines.length;
await uploadFile(target.s3, target.bucket, inputKey('roster', biggest.id), biggest.rosterFile);
await stack.settled();
await new Promise((resolve) => setTimeout(resolve, 500));
await stack.settled();
const historyInvocations = (metrics.functions.get('recalculate-statement')?.durations ?? []).slice(recalcBefore);
const historyMonths = logs.statementLines.slice(linesBefore).filter((line) => line.partnership === biggest.id);
const storedBytes = await bucketBytes(join(data, 's3'));
// The API under every municipality's users at once, on the loaded stack, from a process of its own (bench/api-load-test.ts), before it stops.
const apiLoad = values['api-load-test'] ? (await promisify(execFile)(process.execPath, [join(import.meta.dirname, 'api-load-test.ts'), '--data', data, '--requests', values['api-requests'] ?? '20000'], { encoding: 'utf8' })).stdout : undefined;
await stack.stop();
if (apiLoad) realStderr(apiLoad + '\n');

realStderr(report(metrics, summary, { generateMs, startMs, endToEndMs, storedBytes, historyInvocations, historyMonths, biggest: biggest.id, loadBefore, loadDuring }) + '\n');
process.exit(0);

/** Bytes stored in the bucket: s3rver keeps each object as a file ending in `._S3rver_object` (the latest version only). */
async function bucketBytes(dir: string): Promise<{ objects: number; bytes: number }> {
  let objects = 0;
  let bytes = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('._S3rver_object')) continue;
    [objects, bytes] = [objects + 1, bytes + (await stat(join(entry.parentPath, entry.name))).size];
  }
  return { objects, bytes };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function f(x: number, digits = 0): string {
  return x.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

interface Extra {
  generateMs: number;
  startMs: number;
  endToEndMs: number;
  storedBytes: { objects: number; bytes: number };
  historyInvocations: number[];
  historyMonths: { time: number; partnership: string }[];
  biggest: string;
  loadBefore: number[];
  loadDuring: number[];
}

/** The Markdown tables: the load, per function, per caller and service, and the limits. */
function report(m: InvocationMetrics, s: LoadSummary, x: Extra): string {
  const lines = [
    `### National load (${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores ${cpus()[0]?.model.trim()}, load average before ${x.loadBefore.map((l) => l.toFixed(2)).join(' ')}, at the end ${x.loadDuring.map((l) => l.toFixed(2)).join(' ')})`,
    '',
    '| what | measured |',
    '|---|---|',
    `| scenario | ${f(manifest.partnerships.length)} partnerships, ${f(manifest.participants)} participants, ${f(manifest.timesheets.length)} timesheets, ${f(manifest.rows)} rows${values.scenario ? '' : ` (generated in ${f(x.generateMs / 1000, 1)} s)`} |`,
    `| stack start (DynamoDB Local, s3rver, handlers) | ${f(x.startMs / 1000, 1)} s |`,
    `| every verdict in | ${f(s.elapsed.verdicts / 1000, 1)} s after the stack was up |`,
    `| statements computed (${f(s.statementsComputed)}) | ${f((s.elapsed.statements - s.elapsed.verdicts) / 1000, 1)} s |`,
    `| **end to end: every statement current** | **${f(x.endToEndMs / 1000, 1)} s (${f(x.endToEndMs / 60000, 1)} min)** |`,
    `| rows accepted / rejected; files rejected / failed | ${f(s.acceptedRows)} / ${f(s.rejectedRows)}; ${s.rejectedFiles} / ${s.failedFiles} |`,
    `| S3 stored at the end | ${f(x.storedBytes.objects)} objects, ${f(x.storedBytes.bytes / 1e6, 1)} MB |`,
    `| log lines / bytes (local JSON logger, INFO) | ${f(logs.lines)} / ${f(logs.bytes / 1e6, 2)} MB |`,
    `| largest DynamoDB item written | ${f(m.largestItemBytes / 1024, 1)} KB (a ${m.largestItemKey} item; limit 400 KB) |`,
    `| largest API response | ${f(m.largestApiResponseBytes / 1024, 1)} KB (${m.largestApiResponseRoute || 'no API request'}; limit 6 MB) |`,
    `| full history of ${x.biggest} (roster re-uploaded) | ${x.historyInvocations.map((d) => `${f(d / 1000, 1)} s`).join(' + ') || 'none'} for ${x.historyMonths.length} months; longest month ${f(longestMonth(x.historyMonths) / 1000, 2)} s |`,
    `| peak RSS of the process (stack + load) | ${f(process.resourceUsage().maxRSS / 1024)} MB |`,
    `| CPU of the process up to "every statement current" (without DynamoDB Local's) | ${f((cpu.user + cpu.system) / 1e6, 0)} s |`,
    '',
    '| function | invocations | errors | p50 ms | p99 ms | max ms | total s |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [name, fig] of m.functions) {
    const sorted = [...fig.durations].sort((a, b) => a - b);
    lines.push(`| ${name} | ${f(fig.invocations)} | ${fig.errors} | ${f(percentile(sorted, 0.5))} | ${f(percentile(sorted, 0.99))} | ${f(sorted.at(-1) ?? 0)} | ${f(sorted.reduce((a, b) => a + b, 0) / 1000, 1)} |`);
  }
  lines.push('', '| caller, service | requests (by command) | items written / read | WCU / RCU (DynamoDB Local) | bytes put |', '|---|---|---:|---:|---:|');
  for (const [key, fig] of [...m.services].sort()) {
    const requests = Object.entries(fig.requests).map(([command, count]) => `${command.replace(/Command$/, '')} ${f(count)}`).join(', ');
    lines.push(`| ${key} | ${requests} | ${f(fig.itemsWritten)} / ${f(fig.itemsRead)} | ${f(fig.writeUnits, 1)} / ${f(fig.readUnits, 1)} | ${f(fig.bytesPut / 1e6, 2)} MB |`);
  }
  const ingest = m.services.get('ingest-report dynamodb');
  const reports = m.functions.get('ingest-report')?.invocations ?? 0;
  if (ingest && reports > 0) lines.push('', `DynamoDB writes per report (ingest): ${f(ingest.itemsWritten / reports, 1)} items, ${f(ingest.writeUnits / reports, 1)} WCU.`);
  return lines.join('\n');
}

/** The longest gap between consecutive statements of one recalculation: one month's work. */
function longestMonth(months: { time: number }[]): number {
  let longest = 0;
  for (let i = 1; i < months.length; i++) longest = Math.max(longest, months[i]!.time - months[i - 1]!.time);
  return longest;
}
