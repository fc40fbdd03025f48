/**
 * One ingest measurement, meant to run in its own child process so that its peak
 * RSS is this run's alone. Prints one JSON line (IngestMeasurement) to stdout.
 *
 *   node bench/run-ingest.ts <file.csv> [chunkBytes]   time readTimesheet on the file
 *                                                      (read in 1 MiB chunks unless given)
 *   node bench/run-ingest.ts --baseline                only import the modules, report RSS
 *   node bench/run-ingest.ts --bare                    import nothing, report RSS
 */

export interface IngestMeasurement {
  file: string | null;
  chunkBytes: number;
  rows: number;
  accepted: number;
  rejected: number;
  participantWeeks: number;
  /** Sum of all hundredths of hours counted, to cross-check with DuckDB. */
  totalCentiHours: number;
  /** Wall time of readTimesheet alone (performance.now()). */
  ms: number;
  /** process.resourceUsage().maxRSS, in bytes, taken right after readTimesheet returns. */
  maxRssBytes: number;
  /**
   * V8 heap in use plus external memory after a full GC, with the result still held:
   * what the run really keeps, as opposed to garbage not yet collected. Needs --expose-gc.
   */
  liveBytes: number;
}

/** Heap used + external (Buffers, typed arrays, external strings) after a full GC. */
function liveBytes(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return NaN;
  gc();
  const memory = process.memoryUsage();
  return memory.heapUsed + memory.external;
}

const file = process.argv[2];
if (file === undefined) throw new Error('usage: run-ingest.ts <file.csv> [chunkBytes] | --baseline | --bare');
const chunkBytes = process.argv[3] === undefined ? 1 << 20 : Number.parseInt(process.argv[3], 10);

const idle = (): IngestMeasurement => ({
  file: null, chunkBytes: 0, rows: 0, accepted: 0, rejected: 0, participantWeeks: 0, totalCentiHours: 0, ms: 0,
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  liveBytes: liveBytes(),
});

let measurement: IngestMeasurement;
if (file === '--bare') measurement = idle();
else {
  // Imported here rather than at the top so that --bare measures Node alone.
  const { createReadStream } = await import('node:fs');
  const { readTimesheet } = await import('../shared/timesheets/read-timesheet.ts');
  const { createPseudonymiser } = await import('../shared/cpr-numbers.ts');
  if (file === '--baseline') measurement = idle();
  else {
    const pseudonymise = createPseudonymiser('bench-key');
    let progressCalls = 0;
    const started = performance.now();
    const result = await readTimesheet(
      { name: file, body: createReadStream(file, { highWaterMark: chunkBytes }) },
      { pseudonymise, onProgress: () => progressCalls++ },
    );
    const ms = performance.now() - started;
    const maxRssBytes = process.resourceUsage().maxRSS * 1024;
    if (!result.ok) throw new Error(`${file} rejected: ${result.reason}`);
    const live = liveBytes();
    let totalCentiHours = 0;
    for (const week of result.weeks) for (const centi of week.centiHours) totalCentiHours += centi;
    measurement = {
      file,
      chunkBytes,
      rows: result.rows,
      accepted: result.accepted,
      rejected: result.rejected.length,
      participantWeeks: result.weeks.length,
      totalCentiHours,
      ms,
      maxRssBytes,
      liveBytes: live,
    };
  }
}
process.stdout.write(JSON.stringify(measurement) + '\n');
