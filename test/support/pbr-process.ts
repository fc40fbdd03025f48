import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { localEnvironment, type StackEndpoints } from '../../local/local-stack.ts';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
const PBR = join(REPO, 'bin', 'pbr.js');
export const TEST_PSEUDONYM_KEY = 'integration-test-key';

export interface PbrResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `pbr` command line in a child process. */
export function runPbr(args: string[], env: Record<string, string> = {}): Promise<PbrResult> {
  return runNode(process.execPath, [PBR, ...args], env);
}

/**
 * `pbr ARGS --data <the stack's folder>` with `runs` projection runs per statement;
 * a non-zero exit fails the test with the command and its stderr. Its stdout, trimmed.
 */
export async function pbrOnStack(stack: StackProcess, runs: number, ...args: string[]): Promise<string> {
  const result = await runPbr([...args, '--data', stack.dataDir], { STATEMENT_RUNS: String(runs) });
  expect(result.code, `pbr ${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result.stdout.trim();
}

/** Runs `node ARGS` (any Node binary) in the repository with the test pseudonym key, and collects what it printed and its exit code. */
export function runNode(node: string, args: string[], env: Record<string, string> = {}): Promise<PbrResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, args, {
      cwd: REPO,
      env: { ...process.env, PBR_PSEUDONYM_KEY: TEST_PSEUDONYM_KEY, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface StackProcess {
  dataDir: string;
  endpoints: StackEndpoints;
  /** Everything the stack printed so far (stdout and stderr): its logs. */
  output(): string;
  stop(): Promise<void>;
  /** SIGKILLs the stack and all it started (DynamoDB Local): a crash. Only for a stack started on a `dataDir`. */
  crash(): Promise<void>;
}

/**
 * Starts `pbr stack --in-memory` as a child process (the way a user runs it) and
 * resolves once it prints `readyLine`; points this process's AWS SDK at it. With
 * `dataDir`, the stack keeps its data there (start it again on the same folder
 * after a crash) and runs in a process group of its own, so crash() kills it whole.
 */
export async function startStackProcess(command = 'stack', readyLine = /^ready /m, dataDir?: string): Promise<StackProcess> {
  const persistent = dataDir !== undefined;
  dataDir ??= await mkdtemp(join(tmpdir(), 'pbr-it-'));
  const child: ChildProcess = spawn(process.execPath, [PBR, command, ...(persistent ? [] : ['--in-memory']), '--data', dataDir], {
    cwd: REPO,
    env: { ...process.env, PBR_PSEUDONYM_KEY: TEST_PSEUDONYM_KEY },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: persistent,
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (readyLine.test(output)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`pbr ${command} exited (${code}) before ready:\n${output}`)));
  });
  await ready;
  const endpoints: StackEndpoints = JSON.parse(await readFile(join(dataDir, 'stack.json'), 'utf8'));
  Object.assign(process.env, localEnvironment(endpoints), { PBR_PSEUDONYM_KEY: TEST_PSEUDONYM_KEY });
  return {
    dataDir,
    endpoints,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }),
    crash: () =>
      new Promise<void>((resolve) => {
        if (!persistent) throw new Error('crash() needs a stack started on a dataDir');
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        process.kill(-child.pid!, 'SIGKILL');
      }),
  };
}

/** Every way a CPR number may be written: what a leak scan looks for (one home: cpr-spellings.ts). */
export { cprSpellings } from './cpr-spellings.ts';

/** A one-year contract with one outcome and one refusion step: enough for API and access tests. */
export function smallContract(partnership: string, municipality: string) {
  return {
    partnership,
    name: `Vækstpartnerskab ${municipality}`,
    municipality,
    start: '2024-01-01',
    end: '2024-12-31',
    programmeFee: 1000,
    cap: 100000,
    maxPerParticipant: 50000,
    deadweight: 0.2,
    outcomes: [{ id: 'job_start', rule: 'first_week', activities: ['ordinary'], minHours: 10, price: 5000 }],
    benefit: { weeklyRate: 2900, hourlyWage: 150, disregardPerHour: 30, educationOffBenefitHours: 15, priorWeeksOnBenefit: 0, refusion: [{ fromWeek: 1, rate: 0.5 }] },
  };
}

/**
 * `pbr ARGS` against the stack `stack()` returns, with `statementRuns` projection runs;
 * fails the test on a non-zero exit and gives the trimmed stdout.
 */
export function pbrOn(stack: () => StackProcess, statementRuns: number) {
  return async (...args: string[]): Promise<string> => {
    const result = await runPbr([...args, '--data', stack().dataDir], { STATEMENT_RUNS: String(statementRuns) });
    expect(result.code, result.stderr).toBe(0);
    return result.stdout.trim();
  };
}
