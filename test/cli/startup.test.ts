import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { stripTypeScriptTypes } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { redactCpr } from '../../shared/cpr-numbers.ts';
import { REPO, runNode, runPbr, type PbrResult } from '../support/pbr-process.ts';

/* Issue 12: `pbr` starts fast (commands load on use) and runs from a system Node older than 22. */

const PBR = join(REPO, 'bin', 'pbr.js');
const RECORDER = join(REPO, 'test', 'cli', 'record-modules.mjs');
const SYSTEM_NODE = '/usr/bin/node';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pbr-startup-'));
});


/** The repository files and packages `pbr ARGS` loads, repository-relative (packages as node_modules/NAME). */
async function modulesLoadedBy(args: string[]): Promise<{ result: PbrResult; files: string[]; packages: string[] }> {
  const record = join(dir, `modules-${args[0]}.json`);
  const result = await runNode(process.execPath, ['--import', RECORDER, PBR, ...args], { PBR_RECORD_MODULES: record });
  const urls = (JSON.parse(await readFile(record, 'utf8')) as string[]).filter((url) => url.startsWith('file:'));
  const paths = urls.map((url) => new URL(url).pathname.slice(REPO.length));
  const packages = new Set(paths.filter((path) => path.startsWith('node_modules/')).map((path) => path.split('/').slice(0, path.startsWith('node_modules/@') ? 3 : 2).join('/')));
  return { result, files: paths.filter((path) => !path.startsWith('node_modules/') && !path.startsWith('test/')), packages: [...packages] };
}

describe('commands load what they need only when they run', () => {
  it('pbr --help loads the command table and nothing else', async () => {
    const { result, files, packages } = await modulesLoadedBy(['--help']);
    expect(result.code).toBe(0);
    expect(files.sort()).toEqual(['bin/pbr.js', 'bin/stripped-sources.js', 'cli/command.ts', 'cli/pbr.ts']);
    expect(packages).toEqual([]);
  });

  it('pbr --version adds only the git revision reader', async () => {
    const { result, files, packages } = await modulesLoadedBy(['--version']);
    expect(result.code).toBe(0);
    expect(files.sort()).toEqual(['bin/pbr.js', 'bin/stripped-sources.js', 'cli/command.ts', 'cli/pbr.ts', 'shared/code-version.ts']);
    expect(packages).toEqual([]);
  });

  it('pbr hours on a CSV loads its own command and the timesheet reader: no other command, no local stack, no package', async () => {
    const file = join(dir, '2024-03-small.csv');
    await writeFile(file, 'participant,date,hours,activity\nA,2024-03-04,4,training\n');
    const { result, files, packages } = await modulesLoadedBy(['hours', file]);
    expect(result.code, result.stderr).toBe(0);
    expect(files.filter((path) => path.startsWith('cli/commands/'))).toEqual(['cli/commands/hours.ts']);
    expect(files.filter((path) => path.startsWith('local/') || path.startsWith('shared/adapters/') || path.startsWith('shared/simulation/'))).toEqual([]);
    expect(files).toContain('shared/timesheets/read-timesheet.ts');
    expect(packages).toEqual([]);
  });
});

describe('stripped sources (bin/stripped-sources.js): a start without loading the TypeScript stripper', () => {
  const source = 'const hours: number = 7.5;\nexport const weekly = (days: number): number => hours * days;\n';

  it("strips as Node's own stripper does, keeping lines and columns, and keeps the result", async () => {
    const { strippedSource } = await import('../../bin/stripped-sources.js');
    const cache = await mkdtemp(join(tmpdir(), 'stripped-'));
    const code = strippedSource(source, cache);
    expect(code).toBe(stripTypeScriptTypes(source, { mode: 'strip' }));
    expect(code.split('\n').map((line) => line.length)).toEqual(source.split('\n').map((line) => line.length));
    const [kept] = await readdir(cache);
    // Read back, not stripped again: a marked copy comes back as it is.
    await writeFile(join(cache, kept!), '// from the cache');
    expect(strippedSource(source, cache)).toBe('// from the cache');
    // Other content, another entry.
    strippedSource(`${source}// changed\n`, cache);
    expect(await readdir(cache)).toHaveLength(2);
  });

  it('still strips where it cannot keep anything', async () => {
    const { strippedSource } = await import('../../bin/stripped-sources.js');
    const file = join(dir, 'not-a-folder');
    await writeFile(file, '');
    expect(strippedSource(source, join(file, 'cache'))).toBe(stripTypeScriptTypes(source, { mode: 'strip' }));
  });

  it('runs pbr from a cold and then a warm cache alike, with nothing on stderr', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'stripped-'));
    const run = `import { useStrippedSources } from './bin/stripped-sources.js';
      useStrippedSources(${JSON.stringify(cache)});
      const { main } = await import('./cli/pbr.ts');
      process.exitCode = await main(['--version']);`;
    const cold = await runNode(process.execPath, ['--input-type=module', '-e', run]);
    const kept = (await readdir(cache)).length;
    const warm = await runNode(process.execPath, ['--input-type=module', '-e', run]);
    expect(cold).toEqual({ code: 0, stdout: (await runPbr(['--version'])).stdout, stderr: '' });
    expect(warm).toEqual(cold);
    expect(kept).toBeGreaterThanOrEqual(3); // cli/pbr.ts, cli/command.ts, shared/code-version.ts
    expect(await readdir(cache)).toHaveLength(kept);
  });
});

/** The system Node, when it is one that cannot run the TypeScript sources itself (the case bin/pbr.js re-runs). */
function olderSystemNode(): boolean {
  if (!existsSync(SYSTEM_NODE)) return false;
  return execFileSync(SYSTEM_NODE, ['-p', 'Boolean(process.features.typescript)'], { encoding: 'utf8' }).trim() === 'false';
}

describe.skipIf(!olderSystemNode())(`bin/pbr.js started by the system Node (${SYSTEM_NODE}, older than 22.18)`, () => {
  it('re-runs itself under the project\'s Node 22: --version works', async () => {
    const viaSystem = await runNode(SYSTEM_NODE, [PBR, '--version']);
    const direct = await runNode(process.execPath, [PBR, '--version']);
    expect(viaSystem).toEqual({ code: 0, stdout: direct.stdout, stderr: '' });
    expect(viaSystem.stdout).toMatch(/^pbr \d+\.\d+\.\d+/);
  });

  it('passes arguments, stdout, stderr and the exit code through (pbr hours with a rejected row: exit 3)', async () => {
    const file = join(dir, '2024-03-bad.csv');
    await writeFile(file, 'participant,date,hours,activity\nA,2024-03-04,4,training\nA,2024-03-05,x,training\n');
    const result = await runNode(SYSTEM_NODE, [PBR, 'hours', file]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('A,2024-W10,4,0,4,');
    expect(result.stderr).toBe(`${redactCpr(file)}:3: column "hours": "x" is not a number of hours\n`);
    expect((await runNode(SYSTEM_NODE, [PBR, 'frobnicate'])).code).toBe(64);
  });

  it('says what to do, exit 1, when no Node 22 can be used (and never loops)', async () => {
    const result = await runNode(SYSTEM_NODE, [PBR, '--version'], { PBR_RERUN_UNDER_NODE_22: '1' });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^pbr needs Node\.js 22\.18 or newer .*; this is Node \d+\./);
  });
});
