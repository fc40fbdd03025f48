/**
 * Whether `pbr hours` and DuckDB gave the same answer: the same header, the same
 * participant-weeks and, for each, the same hours in every column, in hundredths.
 * DuckDB sees raw participant values, so its CPR-shaped ones are pseudonymised with
 * the key the `pbr hours` process used before comparing; no participant value, raw
 * or pseudonymised, is ever put in a message.
 */
import { compareWeeklyHours } from '../shared/weekly-hours/weekly-hours.ts';

/** What both answers hold, for the benchmark's table. */
export interface Agreement {
  participantWeeks: number;
  totalCentiHours: number;
  /** Every difference found (at most 10 described); empty when the answers agree. */
  problems: string[];
}

const MAX_DESCRIBED = 10;

interface ParsedRow {
  participant: string;
  week: string;
  centi: number[];
}

/** The rows of an hours CSV (no quoted fields: the benchmark files have none). */
function rows(csv: string, who: string, problems: string[]): { header: string; rows: ParsedRow[] } {
  const lines = csv.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const header = lines.shift() ?? '';
  if (csv.includes('"')) problems.push(`${who}'s CSV has quoted fields, which this comparison does not read`);
  return {
    header,
    rows: lines.map((line) => {
      const [participant = '', week = '', ...hours] = line.split(',');
      return { participant, week, centi: hours.map((h) => Math.round(Number(h) * 100)) };
    }),
  };
}

/** Compares our CSV with DuckDB's; `pseudonymise` maps DuckDB's participant values to ours. */
export function compareHours(ours: string, duckdb: string, pseudonymise: (participant: string) => string): Agreement {
  const problems: string[] = [];
  const mine = rows(ours, 'pbr hours', problems);
  const theirs = rows(duckdb, 'DuckDB', problems);
  if (mine.header !== theirs.header) problems.push(`headers differ: "${mine.header}" and "${theirs.header}"`);
  const described = () => problems.length < MAX_DESCRIBED;
  for (let i = 1; i < mine.rows.length; i++) {
    const order = compareWeeklyHours({ ...mine.rows[i - 1]!, centiHours: [], estimated: false }, { ...mine.rows[i]!, centiHours: [], estimated: false });
    if (order >= 0 && described()) problems.push(`pbr hours: data row ${i + 1} is not after row ${i} (participant, then week)`);
  }
  const expected = new Map<string, number[]>();
  for (const row of theirs.rows) expected.set(`${pseudonymise(row.participant)},${row.week}`, row.centi);
  let totalCentiHours = 0;
  for (const [i, row] of mine.rows.entries()) {
    totalCentiHours += row.centi.slice(2).reduce((sum, centi) => sum + centi, 0);
    const want = expected.get(`${row.participant},${row.week}`);
    if (want === undefined) {
      if (described()) problems.push(`pbr hours: data row ${i + 1} (${row.week}) is a participant-week DuckDB does not have`);
    } else if (want.join() !== row.centi.join()) {
      if (described()) problems.push(`data row ${i + 1} (${row.week}): pbr hours says ${row.centi.join(' ')} hundredths, DuckDB ${want.join(' ')}`);
    }
  }
  if (mine.rows.length !== theirs.rows.length) problems.push(`pbr hours has ${mine.rows.length} participant-weeks, DuckDB ${theirs.rows.length}`);
  return { participantWeeks: mine.rows.length, totalCentiHours, problems };
}
