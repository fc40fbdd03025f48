/**
 * Before/after for a change on the ingest path: the same measurement
 * (bench/run-ingest.ts: readTimesheet on the benchmark files, each run in a fresh
 * process) from an earlier revision and from the working tree, alternated run by
 * run so both sides see the same machine load. Prints a markdown table.
 *
 *   node bench/compare-revision.ts REV [runs]     (default 5 runs per side and file)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTimesheets } from './generate-timesheet.ts';
import type { IngestMeasurement } from './run-ingest.ts';

const [rev, runsArg] = process.argv.slice(2);
if (!rev) throw new Error('usage: node bench/compare-revision.ts REV [runs]');
const RUNS = Number.parseInt(runsArg ?? '5', 10);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

const before = mkdtempSync(join(tmpdir(), 'pbr-before-'));
execFileSync('git', ['-C', ROOT, 'worktree', 'add', '--detach', before, rev], { stdio: 'ignore' });
try {
  if (!existsSync(join(before, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules'), join(before, 'node_modules'));
  const files = await ensureTimesheets(undefined, (line) => process.stderr.write(line + '\n'));
  const measure = (tree: string, file: string): IngestMeasurement => {
    const out = execFileSync(process.execPath, ['--expose-gc', join(tree, 'bench/run-ingest.ts'), file], { encoding: 'utf8', maxBuffer: 1 << 20 });
    return JSON.parse(out.trim().split('\n').at(-1)!) as IngestMeasurement;
  };
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const loadBefore = loadavg()[0]!;
  console.log(`| rows | ${rev} best ms | now best ms | ${rev} median ms | now median ms | median ratio (now / ${rev}) | ${rev} peak RSS MB | now peak RSS MB |`);
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const { path, rows } of files) {
    const old: IngestMeasurement[] = [];
    const now: IngestMeasurement[] = [];
    for (let run = 0; run < RUNS; run++) {
      old.push(measure(before, path));
      now.push(measure(ROOT, path));
    }
    if (old.some((m) => m.totalCentiHours !== now[0]!.totalCentiHours) || now.some((m) => m.totalCentiHours !== now[0]!.totalCentiHours)) {
      throw new Error(`${path}: the two revisions count different hours`);
    }
    const ms = (list: IngestMeasurement[]) => list.map((m) => m.ms);
    const rss = (list: IngestMeasurement[]) => Math.max(...list.map((m) => m.maxRssBytes)) / 1_048_576;
    console.log(
      `| ${rows.toLocaleString('en-US')} | ${Math.min(...ms(old)).toFixed(0)} | ${Math.min(...ms(now)).toFixed(0)} | ${median(ms(old)).toFixed(0)} | ${median(ms(now)).toFixed(0)} | ${(median(ms(now)) / median(ms(old))).toFixed(3)} | ${rss(old).toFixed(0)} | ${rss(now).toFixed(0)} |`,
    );
  }
  console.log(`\n${RUNS} runs per side and file, alternated; ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}; load average ${loadBefore.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}.`);
} finally {
  execFileSync('git', ['-C', ROOT, 'worktree', 'remove', '--force', before], { stdio: 'ignore' });
  rmSync(before, { recursive: true, force: true });
}
