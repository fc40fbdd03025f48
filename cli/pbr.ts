import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXIT, EXIT_CODES_HELP, InputError, runCommand, UsageError, type Command } from './command.ts';

/** One line of `pbr --help`, and how to load the command: its module is imported only when it runs. */
interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

/**
 * Every `pbr` command. Each is imported on use, so `pbr --help`, `pbr --version`
 * and `pbr hours` do not pay for the AWS SDK, the local stack or the simulation.
 */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'hours', summary: 'weekly active hours per participant from timesheet files (no AWS)', load: async () => (await import('./commands/hours.ts')).hours },
  { name: 'simulate', summary: 'payment-by-results statement and Monte Carlo projection from files (no AWS)', load: async () => (await import('./commands/simulate.ts')).simulateCommand },
  { name: 'stack', summary: 'the local stack in the foreground: DynamoDB Local, s3rver, the handlers, the API and portal, the monthly schedule', load: async () => (await import('./commands/stack.ts')).stack },
  { name: 'demo', summary: 'the local stack with the Region Sjælland demo loaded through S3 (what npm start runs)', load: async () => (await import('./commands/demo.ts')).demo },
  { name: 'upload', summary: 'upload a monthly timesheet as reports/P/YYYY-MM/S.csv|.xlsx and wait for its validation', load: async () => (await import('./commands/upload.ts')).upload },
  { name: 'load', summary: 'a generated scenario folder into a stack: contracts, rosters, timesheets; then every statement current', load: async () => (await import('./commands/load.ts')).load },
  { name: 'upload-contract', summary: "validate and upload a partnership's contract (contracts/P.json)", load: async () => (await import('./commands/upload-input.ts')).uploadContract },
  { name: 'upload-roster', summary: "validate and upload a partnership's roster (rosters/P.csv)", load: async () => (await import('./commands/upload-input.ts')).uploadRoster },
  { name: 'export-hours', summary: 'weekly hours of a partnership as stored in DynamoDB (same CSV as pbr hours)', load: async () => (await import('./commands/export-hours.ts')).exportHours },
  { name: 'reports', summary: "each report's versions: when, accepted, rejected or failed rows, every reason", load: async () => (await import('./commands/reports.ts')).reports },
  { name: 'recalc', summary: 'recalculate every partnership’s statement as of a month (what the monthly schedule does)', load: async () => (await import('./commands/statements.ts')).recalc },
  { name: 'statement', summary: 'a stored statement of a partnership as of a month (json, Danish text or csv)', load: async () => (await import('./commands/statements.ts')).statement },
  { name: 'token', summary: 'a development token for the local stack’s API (holder or a municipality user)', load: async () => (await import('./commands/token.ts')).token },
  { name: 'admin', summary: 'portal users of a deployed stack: pbr admin user add|list|remove (Cognito)', load: async () => (await import('./commands/admin.ts')).admin },
  { name: 'generate', summary: 'scenario data: contracts, rosters and monthly timesheets (demo, benchmarks, load tests)', load: async () => (await import('./commands/generate.ts')).generate },
  { name: 'backtest', summary: 'calibration of the projection: project from past months, compare with the realised end', load: async () => (await import('./commands/backtest.ts')).backtestCommand },
  { name: 'prior', summary: 'programme-wide projection prior pooled from a scenario folder (for pbr simulate --prior)', load: async () => (await import('./commands/prior.ts')).priorCommand },
];

function overview(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    'Usage: pbr COMMAND [options]   (pbr COMMAND --help for details)',
    '       pbr --version',
    '',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Results go to stdout, logs, warnings and progress to stderr. Commands with more than one',
    'output take --format json|text|csv (the ones each supports; --json is a deprecated alias).',
    '',
    EXIT_CODES_HELP,
    '',
  ].join('\n');
}

/** `pbr 0.1.0 (git abc1234)`: the package version, and the revision when run from a git checkout. */
async function versionLine(): Promise<string> {
  const root = join(import.meta.dirname, '..');
  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
  // Only our own checkout: installed inside another project's repository, git would name that project's revision.
  if (!existsSync(join(root, '.git'))) return `pbr ${version}\n`;
  const { gitRevision } = await import('../shared/code-version.ts');
  const revision = gitRevision(root);
  return `pbr ${version}${revision === 'unknown' ? '' : ` (git ${revision})`}\n`;
}

/** The exit code of an error a command threw (see EXIT_CODES_HELP). */
async function exitCodeOf(error: unknown): Promise<number> {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof InputError) return EXIT.inputRejected;
  // Imported here, not up front: after a contract or roster error they are loaded already.
  const [{ ContractError }, { RosterError }] = await Promise.all([import('../shared/simulation/contract.ts'), import('../shared/partnerships/roster-csv.ts')]);
  return error instanceof ContractError || error instanceof RosterError ? EXIT.inputRejected : EXIT.failure;
}

/** Entry point of the `pbr` command line (bin/pbr.js): runs one command and returns its exit code. */
export async function main(args: readonly string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === '--version' || name === '-V') {
    process.stdout.write(await versionLine());
    return EXIT.ok;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(overview());
    return EXIT.ok;
  }
  if (name === undefined) {
    process.stderr.write(overview());
    return EXIT.usage;
  }
  const entry = COMMANDS.find((candidate) => candidate.name === name);
  if (!entry) {
    process.stderr.write(`pbr: unknown command "${name}"\n\n${overview()}`);
    return EXIT.usage;
  }
  try {
    return await runCommand(await entry.load(), rest);
  } catch (error) {
    const code = await exitCodeOf(error);
    const hint = code === EXIT.usage ? `\n(see pbr ${name} --help)` : '';
    process.stderr.write(`pbr ${name}: ${(error as Error).message}${hint}\n`);
    return code;
  }
}
