/**
 * The same aggregation in DuckDB, one measurement per child process (its own peak
 * RSS). Prints one JSON line (DuckdbMeasurement) to stdout.
 *
 *   node bench/run-duckdb.ts <file.csv> [threads]   read_csv + GROUP BY participant, ISO week
 *   node bench/run-duckdb.ts --baseline             import, open an in-memory database, report RSS
 *
 * Without `threads` DuckDB keeps its default (one thread per core).
 */
import { DuckDBInstance } from '@duckdb/node-api';

export interface DuckdbMeasurement {
  file: string | null;
  version: string;
  threads: number;
  rows: number;
  participantWeeks: number;
  /** Sum of all hours counted, in hundredths, to cross-check with readTimesheet. */
  totalCentiHours: number;
  /** Wall time of the CREATE TABLE … AS SELECT alone (performance.now()). */
  ms: number;
  /** process.resourceUsage().maxRSS, in bytes, taken right after the timed query. */
  maxRssBytes: number;
}

const ACTIVITIES = ['training', 'internship', 'ordinary', 'flexjob', 'wage_subsidy', 'education', 'absence'];

/** SQL string literal. */
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

const file = process.argv[2];
if (file === undefined) throw new Error('usage: run-duckdb.ts <file.csv> [threads] | --baseline');

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const threadsArg = process.argv[3];
if (threadsArg !== undefined) await connection.run(`SET threads = ${Number.parseInt(threadsArg, 10)}`);
const settings = (await connection.runAndReadAll(`SELECT current_setting('threads')::INTEGER, version()`)).getRowsJS()[0]!;
const threads = Number(settings[0]);
const version = String(settings[1]);

if (file === '--baseline') {
  const measurement: DuckdbMeasurement = {
    file: null, version, threads, rows: 0, participantWeeks: 0, totalCentiHours: 0, ms: 0,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(JSON.stringify(measurement) + '\n');
} else {
  // Hours as DECIMAL(6,2) keep sums exact, like readTimesheet's integer hundredths.
  // yearweek() is the ISO year × 100 + ISO week; the label is formatted once per group.
  const sums = ACTIVITIES.map((a) => `SUM(hours) FILTER (WHERE activity = ${literal(a)}) AS ${a}`).join(',\n      ');
  const aggregation = `
    CREATE TEMP TABLE weekly AS
    SELECT participant,
      printf('%d-W%02d', yearweek(date) // 100, yearweek(date) % 100) AS week,
      ${sums}
    FROM read_csv(${literal(file)}, header = true, delim = ',', quote = '"',
      columns = {'participant': 'VARCHAR', 'date': 'DATE', 'hours': 'DECIMAL(6,2)', 'activity': 'VARCHAR', 'organisation': 'VARCHAR'})
    GROUP BY participant, yearweek(date)`;
  const started = performance.now();
  await connection.run(aggregation);
  const ms = performance.now() - started;
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  const total = ACTIVITIES.map((a) => `COALESCE(SUM(${a}), 0)`).join(' + ');
  const check = await connection.runAndReadAll(`SELECT COUNT(*)::BIGINT, ((${total}) * 100)::BIGINT FROM weekly`);
  const rows = await connection.runAndReadAll(`SELECT COUNT(*)::BIGINT FROM read_csv(${literal(file)}, header = true)`);
  const [participantWeeks, totalCentiHours] = check.getRowsJS()[0]!;
  const measurement: DuckdbMeasurement = {
    file,
    version,
    threads,
    rows: Number(rows.getRowsJS()[0]![0]),
    participantWeeks: Number(participantWeeks),
    totalCentiHours: Number(totalCentiHours),
    ms,
    maxRssBytes,
  };
  process.stdout.write(JSON.stringify(measurement) + '\n');
}
connection.closeSync();
instance.closeSync();
