/**
 * One whole process as a user runs it, timed from spawn to exit, with its peak RSS
 * as the kernel counts it (GNU time's `%M`, the maximum resident set size of the
 * process): what a user waits for and what a Lambda of that size would need.
 * Its stdout is kept in memory (never written to disk: DuckDB's output holds the
 * raw CPR-shaped ids of the generated file).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** GNU time: how the benchmark reads a child's peak RSS (apt-get install time). */
export const GNU_TIME = '/usr/bin/time';

/** What one process did: wall time, CPU time (user + system, all threads), peak RSS, exit code and output. */
export interface ProcessRun {
  ms: number;
  cpuMs: number;
  maxRssBytes: number;
  code: number;
  stdout: Buffer;
  stderr: string;
}

let runs = 0;

/** Runs `command args` under GNU time and resolves when it has exited. */
export async function timedProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<ProcessRun> {
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} (GNU time) is needed to measure peak RSS: sudo apt-get install -y time`);
  const rssFile = join(tmpdir(), `pbr-bench-rss-${process.pid}-${runs++}.txt`);
  const started = performance.now();
  const child = spawn(GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, command, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode) => resolve(exitCode ?? 1));
  });
  const ms = performance.now() - started;
  // The last line: GNU time puts "Command exited with non-zero status" before it.
  const [kilobytes, user, system] = readFileSync(rssFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number) as [number, number, number];
  rmSync(rssFile, { force: true });
  return { ms, cpuMs: (user + system) * 1000, maxRssBytes: kilobytes * 1024, code, stdout: Buffer.concat(stdout), stderr };
}
