import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runPbr, TEST_PSEUDONYM_KEY } from '../support/pbr-process.ts';

/* Issue 12: results on stdout, logs on stderr. `pbr stack`'s stdout is its machine-readable ready line only. */

describe('pbr stack', () => {
  it('prints only the ready line on stdout; the handlers\' JSON log lines go to stderr', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'pbr-streams-'));
    const child = spawn(process.execPath, [join(REPO, 'bin', 'pbr.js'), 'stack', '--in-memory', '--data', dataDir, '--api-port', '0'], {
      cwd: REPO,
      env: { ...process.env, PBR_PSEUDONYM_KEY: TEST_PSEUDONYM_KEY },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        if (stdout.includes('\n')) resolve();
      });
      void exited.then((code) => reject(new Error(`pbr stack exited (${code}) before ready:\n${stderr}`)));
    });
    try {
      const timesheet = join(dataDir, 'actor.csv');
      await writeFile(timesheet, 'participant,date,hours,activity\nA,2024-03-04,4,training\n');
      const uploaded = await runPbr(['upload', timesheet, '--partnership', 'koege', '--month', '2024-03', '--data', dataDir]);
      expect(uploaded.code, uploaded.stderr).toBe(0);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/^ready api=http:\/\/127\.0\.0\.1:\d+ s3=\S+ dynamodb=\S+ bucket=\S+ table=\S+\n$/);
    const logLines = stderr.split('\n').filter((line) => line.startsWith('{'));
    expect(logLines.map((line) => JSON.parse(line) as { level: string; message: string })).toContainEqual(expect.objectContaining({ level: 'INFO', message: expect.stringMatching(/accepted/) }));
  }, 180_000);
});
