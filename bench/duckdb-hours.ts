/**
 * DuckDB's answer to `pbr hours FILE`, as a whole process for the benchmark to race:
 * read_csv, GROUP BY participant and ISO week, one sum per activity plus active and
 * paid hours, sorted like ours, written as CSV to stdout with the same header.
 * No validation, no pseudonyms, no day cap: the arithmetic alone.
 *
 *   node bench/duckdb-hours.ts FILE.csv [threads]   (default: one thread per core)
 *
 * Hours are DECIMAL(6,2), so sums are exact like ours (integer hundredths); numbers
 * come out as DuckDB writes decimals (`7.00`), so the benchmark compares values.
 * DuckDB writes into a FIFO that this process copies to stdout: it cannot open a
 * stdout that is a socket (how Node's child processes get theirs), and the output
 * (raw CPR-shaped ids) must not be written to a file.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { ACTIVITIES, PAID_ACTIVITIES, ABSENCE } from '../shared/weekly-hours/activities.ts';

const [file, threads] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: duckdb-hours.ts FILE.csv [threads]');
const folder = mkdtempSync(join(tmpdir(), 'duckdb-hours-'));
const fifo = join(folder, 'out.csv');
execFileSync('mkfifo', [fifo]);

/** SQL string literal. */
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
const sum = (names: readonly string[]) => names.map((name) => `COALESCE(${name}, 0)`).join(' + ');

const sums = ACTIVITIES.map((a) => `SUM(hours) FILTER (WHERE activity = ${literal(a)}) AS ${a}`).join(', ');
const active = sum(ACTIVITIES.filter((_, i) => i !== ABSENCE));
const paid = sum(PAID_ACTIVITIES.map((i) => ACTIVITIES[i]!));
const query = `
  COPY (
    SELECT participant, printf('%d-W%02d', yearweek // 100, yearweek % 100) AS week,
      ${active} AS active_hours, ${paid} AS paid_hours,
      ${ACTIVITIES.map((a) => `COALESCE(${a}, 0) AS ${a}`).join(', ')}
    FROM (
      SELECT participant, yearweek(date) AS yearweek, ${sums}
      FROM read_csv(${literal(file)}, header = true, delim = ',', quote = '"',
        columns = {'participant': 'VARCHAR', 'date': 'DATE', 'hours': 'DECIMAL(6,2)', 'activity': 'VARCHAR', 'organisation': 'VARCHAR'})
      GROUP BY participant, yearweek(date)
    )
    ORDER BY participant, week
  ) TO ${literal(fifo)} (FORMAT csv, HEADER true)`;

try {
  const instance = await DuckDBInstance.create(':memory:', threads === undefined ? {} : { threads });
  const connection = await instance.connect();
  await Promise.all([pipeline(createReadStream(fifo), process.stdout, { end: false }), connection.run(query)]);
  connection.closeSync();
  instance.closeSync();
} finally {
  rmSync(folder, { recursive: true, force: true });
}
