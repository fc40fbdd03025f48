/**
 * The ingest's fast path (issue 13): rows without quotes are counted from their bytes
 * (CsvParser.readPlainRecords, RowAggregator.addPlainRow, each distinct spelling of a
 * value read once), in ASCII, UTF-8 and Windows-1252 files alike. Whatever the rows, a
 * file read from bytes must give exactly what the same text gives read as text, which
 * never takes it: the same weekly hours, the same rejections with the same lines and reasons.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accepted, read } from '../fixtures/timesheets/helpers.ts';

/** Values of every kind the checks tell apart: valid, refused, or spelled so that only the long way reads them. */
const participant = fc.constantFrom('P1', 'P2', 'P3', 'p1', ' P1', 'P1 ', '', '#REF!', '010190-1234', '0101901234', 'Åse');
const date = fc.constantFrom('2024-02-01', '2024-02-02', '2024-02-05', '2024-02-29', '01-02-2024', '02.02.2024', '2024-03-01', '2024-02-30', ' 2024-02-01', 'x', '');
const hours = fc.constantFrom('7.5', '7,5', '8', '24', '24.01', '12', '0', '-1', '25', 'abc', ' 3', '3 ', '1e1', '007.50', '');
const activity = fc.constantFrom('ordinary', 'ORDINARY', 'praktik', 'training', ' absence', 'løn', 'xyz', '');
const organisation = fc.constantFrom('Org 1', 'Org "2"', 'Aktør', '', 'a;b', 'a,b');

const row = fc.tuple(participant, date, hours, activity, organisation);

/** A field as a spreadsheet writes it: quoted when it must be (or sometimes anyway). */
function field(value: string, delimiter: string, quote: boolean): string {
  const must = value.includes('"') || value.includes(delimiter) || value.includes('\n') || value.includes('\r');
  return must || quote ? `"${value.replaceAll('"', '""')}"` : value;
}

const timesheet = fc.record({
  delimiter: fc.constantFrom(',', ';'),
  eol: fc.constantFrom('\n', '\r\n'),
  rows: fc.array(fc.tuple(row, fc.boolean()), { maxLength: 60 }),
  shortRows: fc.boolean(),
  chunkSize: fc.integer({ min: 1, max: 400 }),
});

describe('plain rows read from bytes', () => {
  it('give the same weekly hours and rejections as the same text read as text (property)', async () => {
    await fc.assert(
      fc.asyncProperty(timesheet, async ({ delimiter, eol, rows, shortRows, chunkSize }) => {
        const lines = [['participant', 'date', 'hours', 'activity', 'organisation'].join(delimiter)];
        for (const [values, quoted] of rows) {
          const cells = values.map((value, i) => field(value, delimiter, quoted && i === 4));
          lines.push((shortRows && values[4] === '' ? cells.slice(0, 3) : cells).join(delimiter));
        }
        const text = lines.join(eol) + eol;
        const asText = accepted(await read(text, { month: '2024-02', chunkSize }));
        const asBytes = accepted(await read(new TextEncoder().encode(text), { month: '2024-02', chunkSize }));
        expect(asBytes).toEqual(asText);
        // Danish Excel's own CSV: Windows-1252 (every character here is in Latin-1, which it extends).
        const windows1252 = accepted(await read(Buffer.from(text, 'latin1'), { month: '2024-02', chunkSize }));
        expect(windows1252.encoding).toBe(/[^\0-\x7f]/.test(text) ? 'windows-1252' : 'utf-8');
        expect({ ...windows1252, encoding: 'utf-8' }).toEqual(asText);
      }),
      { numRuns: 400 },
    );
  });

  it('count a large plain file from its bytes the same as from its text', async () => {
    const lines = ['participant;date;hours;activity;organisation'];
    for (let i = 0; i < 20_000; i++) {
      // Each participant-day twice at most (400 × 29 < 20,000); 23 h on some, so their day goes over 24 h.
      const hours = i % 1000 === 0 ? 23 : (i % 9) + 0.25;
      const activity = i % 997 === 0 ? 'xyz' : ['ordinary', 'training', 'absence'][i % 3];
      lines.push(`P${i % 400};2024-02-${String((i % 29) + 1).padStart(2, '0')};${hours};${activity};Org ${i % 5}`);
    }
    const text = lines.join('\r\n');
    const asText = accepted(await read(text, { month: '2024-02', chunkSize: 65_536 }));
    const asBytes = accepted(await read(new TextEncoder().encode(text), { month: '2024-02', chunkSize: 65_536 }));
    expect(asBytes.weeks.length).toBeGreaterThan(1500);
    expect(new Set(asBytes.rejected.flatMap((r) => r.problems.map((p) => p.code)))).toEqual(new Set(['day-over-limit', 'activity-unknown']));
    expect(asBytes).toEqual(asText);
  });
});
