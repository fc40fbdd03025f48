import { redactCpr } from './cpr-numbers.ts';

/**
 * Structured log lines (one JSON object per line), the shape CloudWatch Logs Insights
 * queries. The one logging interface of the use cases: in Lambda it is implemented by
 * Powertools (functions/middleware/powertools.ts, with request id and cold start), in the
 * local stack and the CLI by {@link createLogger}. Both pass every value through
 * {@link redactLogValue}, so no CPR number reaches a log line whatever a caller passes.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Log levels as Powertools names them (POWERTOOLS_LOG_LEVEL), least severe first. */
const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;

/** Nesting beyond this is not logged (and a cycle ends here). */
const MAX_DEPTH = 8;

/** A number that, written out, could be a CPR number (9 or more digits) is logged as text, redacted. */
function redactNumber(value: number | bigint): number | bigint | string {
  const written = String(value);
  const redacted = redactCpr(written);
  return redacted === written ? value : redacted;
}

/**
 * `value` with every CPR spelling blanked out (redactCpr on every string, object key,
 * long number, error message and stack), at any depth. Errors become `{ name, message,
 * stack }`. What both loggers apply to messages and fields: CPR-safe by construction.
 */
export function redactLogValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactCpr(value);
  if (typeof value === 'number' || typeof value === 'bigint') return redactNumber(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  if (value instanceof Error) {
    return { name: value.name, message: redactCpr(value.message), ...(value.stack ? { stack: redactCpr(value.stack) } : {}) };
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => redactLogValue(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [redactCpr(key), redactLogValue(item, depth + 1)]));
}

/** The index in LEVELS of POWERTOOLS_LOG_LEVEL (INFO when unset or unknown), as Powertools reads it in Lambda. */
function threshold(env: NodeJS.ProcessEnv): number {
  const at = LEVELS.indexOf((env.POWERTOOLS_LOG_LEVEL ?? '').toUpperCase() as (typeof LEVELS)[number]);
  return at < 0 ? LEVELS.indexOf('INFO') : at;
}

/** Outside Lambda stdout carries results (CLI output, `pbr stack`'s ready line): logs go to stderr. */
const stderrSink = (line: string) => process.stderr.write(line + '\n');

/**
 * The local logger: JSON lines (`time`, `level`, `service`, `message`, fields) to
 * `write` (stderr by default), levels below POWERTOOLS_LOG_LEVEL dropped, every
 * message and field redacted ({@link redactLogValue}).
 */
export function createLogger(service: string, write: (line: string) => void = stderrSink, env: NodeJS.ProcessEnv = process.env): Logger {
  const minimum = threshold(env);
  const emit = (level: (typeof LEVELS)[number]) => (message: string, fields: Record<string, unknown> = {}) => {
    if (LEVELS.indexOf(level) < minimum) return;
    const redacted = redactLogValue(fields) as Record<string, unknown>;
    write(JSON.stringify({ time: new Date().toISOString(), level, service, message: redactCpr(message), ...redacted }));
  };
  return { info: emit('INFO'), warn: emit('WARN'), error: emit('ERROR') };
}
