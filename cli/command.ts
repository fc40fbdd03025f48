import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Wrong arguments: printed with the command's usage, exit code 1. */
export class UsageError extends Error {}

/** A value the command refuses (e.g. an identifier that could hold a CPR number): `pbr COMMAND: reason`, exit code 2. */
export class InputError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | string[] | undefined>;

/** One `pbr` subcommand: its help text, its options and what it does. */
export interface Command {
  name: string;
  summary: string;
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
    process.stdout.write(`${command.usage.trim()}\n`);
    return 0;
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

/** Progress on a terminal only, so piped stderr stays one message per line. */
export function progressLine(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\u001b[2K${text}`);
}

/** Ends a progress line before normal output continues. */
export function endProgress(): void {
  if (process.stderr.isTTY) process.stderr.write('\r\u001b[2K');
}

const DEV_KEY = 'pbr-local-development-key';

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
