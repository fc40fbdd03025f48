import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * The exit codes of every command (listed by `pbr --help`), so scripts can tell a
 * refused input from a broken stack from a typo. 64 is EX_USAGE of sysexits.h.
 */
export const EXIT = { ok: 0, failure: 1, inputRejected: 2, rowsRejected: 3, usage: 64 } as const;

/** What `pbr --help` says about the exit codes. */
export const EXIT_CODES_HELP = `Exit codes:
  ${EXIT.ok}   ok
  ${EXIT.failure}   failure: no stack running, a statement not computed yet, no verdict in time, AWS refused
  ${EXIT.inputRejected}   input rejected: a file, contract, roster or value refused whole
  ${EXIT.rowsRejected}   rows rejected: some timesheet rows not counted (2 wins over 3)
  ${EXIT.usage}  usage: unknown command or option, a missing or malformed argument`;

/** Wrong arguments: `pbr COMMAND: reason` and a pointer to its --help, exit code 64. */
export class UsageError extends Error {}

/** A value the command refuses (e.g. an identifier that could hold a CPR number): `pbr COMMAND: reason`, exit code 2. */
export class InputError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | string[] | undefined>;

/**
 * What one `pbr` subcommand does: its help text, its options and its run. Its
 * name and summary live in cli/pbr.ts's table, so `pbr --help` loads no command.
 */
export interface Command {
  usage: string;
  options: Options;
  /** Returns the process exit code. */
  run(values: Values, positionals: string[]): Promise<number>;
}

/** Parses a command's arguments; `--help` prints its usage instead of running it. */
export async function runCommand(command: Command, args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.values.help) {
    process.stdout.write(`${command.usage.trim()}\n\nExit codes: 0 ok, 1 failure, 2 input rejected, 3 rows rejected, 64 usage (see pbr --help).\n`);
    return EXIT.ok;
  }
  return command.run(parsed.values, parsed.positionals);
}

/** A required string option, or a usage error naming it. */
export function required(values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/** A non-negative whole-number option, or a usage error naming it. */
export function wholeNumber(values: Values, name: string, fallback: number): number {
  const text = values[name] as string | undefined;
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number ≥ 0, not "${text}"`);
  return n;
}

/** The output formats of the one `--format` convention. */
export type Format = 'json' | 'text' | 'csv';

/** The `--format` option, and `--json`, its deprecated spelling kept working for older scripts. */
export const FORMAT_OPTIONS = { format: { type: 'string' }, json: { type: 'boolean' } } as const;

/**
 * `--format`, checked against the formats a command prints; the first is its
 * default. `--json` still means `--format json`, with a deprecation note on stderr.
 */
export function outputFormat<F extends Format>(values: Values, formats: readonly [F, ...F[]]): F {
  let given = values.format as string | undefined;
  if (values.json) {
    process.stderr.write('warning: --json is deprecated: use --format json\n');
    if (given !== undefined && given !== 'json') throw new UsageError(`--json and --format ${given} contradict each other`);
    given = 'json';
  }
  if (given === undefined) return formats[0];
  if (!(formats as readonly string[]).includes(given)) {
    const choices = formats.length === 1 ? formats[0] : `${formats.slice(0, -1).join(', ')} or ${formats.at(-1)}`;
    throw new UsageError(`--format must be ${choices}, not "${given}"`);
  }
  return given as F;
}

/** Progress on a terminal only, so piped stderr stays one message per line. */
export function progressLine(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\u001b[2K${text}`);
}

/** Ends a progress line before normal output continues. */
export function endProgress(): void {
  if (process.stderr.isTTY) process.stderr.write('\r\u001b[2K');
}

export const DEV_KEY = 'pbr-local-development-key';

/**
 * The pseudonym key for local work: PBR_PSEUDONYM_KEY, or a fixed development key
 * with a warning (pseudonyms made with it are not secret, fine for demo data).
 */
export function localPseudonymKey(): string {
  if (process.env.PBR_PSEUDONYM_KEY) return process.env.PBR_PSEUDONYM_KEY;
  process.stderr.write('warning: PBR_PSEUDONYM_KEY is not set; using the development key (pseudonyms are not secret)\n');
  process.env.PBR_PSEUDONYM_KEY = DEV_KEY;
  return DEV_KEY;
}
