/** Structured log lines (one JSON object per line), the shape CloudWatch Logs Insights queries. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Lambda reads logs from stdout; a CLI whose stdout is its output sets PBR_LOG_TO_STDERR. */
const defaultSink = (line: string) => (process.env.PBR_LOG_TO_STDERR ? process.stderr : process.stdout).write(line + '\n');

/**
 * A logger writing JSON lines to a sink (stdout by default). Callers pass counts,
 * keys and reasons only: participant values never reach a log line.
 */
export function createLogger(service: string, write: (line: string) => void = defaultSink): Logger {
  const emit = (level: string) => (message: string, fields: Record<string, unknown> = {}) =>
    write(JSON.stringify({ time: new Date().toISOString(), level, service, message, ...fields }));
  return { info: emit('INFO'), warn: emit('WARN'), error: emit('ERROR') };
}
