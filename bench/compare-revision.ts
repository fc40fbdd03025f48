/**
 * Before/after for a change on the `pbr hours` path: whole `node bin/pbr.js hours FILE`
 * processes from an earlier revision and from the working tree, on the benchmark
 * files, alternated run by run so both sides see the same machine load. The earlier
 * revision is unpacked with `git archive` into a temporary folder (node_modules linked),
 * so the checkout's git state is never touched. Fails when the two print different
 * CSV. Prints a markdown table.
 *
 *   node bench/compare-revision.ts REV [runs]     (default 5 runs per side and file)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTimesheets } from './generate-timesheet.ts';
import { timedProcess, type ProcessRun } from './whole-process.ts';

const [rev, runsArg] = process.argv.slice(2);
if (!rev) throw new Error('usage: node bench/compare-revision.ts REV [runs]');
const RUNS = Number.parseInt(runsArg ?? '5', 10);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env, PBR_PSEUDONYM_KEY: 'bench-key' };

const before = mkdtempSync(join(tmpdir(), 'pbr-before-'));
try {
  execFileSync('sh', ['-c', 'git -C "$0" archive "$1" | tar -x -C "$2"', ROOT, rev, before]);
  symlinkSync(join(ROOT, 'node_modules'), join(before, 'node_modules'));
  const files = (await ensureTimesheets(undefined, (line) => process.stderr.write(`${line}\n`))).slice(1);
  const hours = (tree: string, file: string) => timedProcess(process.execPath, [join(tree, 'bin/pbr.js'), 'hours', file], env);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const loadBefore = loadavg()[0]!;
  console.log(`| rows | ${rev} median s | now median s | median ratio (now / ${rev}) | ${rev} peak RSS MiB | now peak RSS MiB |`);
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const { path, rows } of files) {
    const old: ProcessRun[] = [];
    const now: ProcessRun[] = [];
    for (let run = 0; run < RUNS; run++) {
      old.push(await hours(before, path));
      now.push(await hours(ROOT, path));
    }
    if ([...old, ...now].some((r) => r.code !== 0 || !r.stdout.equals(now[0]!.stdout))) throw new Error(`${path}: the two revisions print different CSV (or failed)`);
    const seconds = (list: ProcessRun[]) => list.map((r) => r.ms / 1000);
    const rss = (list: ProcessRun[]) => Math.max(...list.map((r) => r.maxRssBytes)) / 1_048_576;
    const ratio = median(now.map((r, i) => r.ms / old[i]!.ms));
    console.log(`| ${rows.toLocaleString('en-US')} | ${median(seconds(old)).toFixed(2)} | ${median(seconds(now)).toFixed(2)} | ${ratio.toFixed(2)} | ${rss(old).toFixed(0)} | ${rss(now).toFixed(0)} |`);
  }
  console.log(`\n${RUNS} runs per side and file, alternated; ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}; load average ${loadBefore.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}.`);
} finally {
  rmSync(before, { recursive: true, force: true });
}
