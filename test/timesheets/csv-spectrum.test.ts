/**
 * The csv-spectrum conformance fixtures (node_modules/csv-spectrum: csvs/NAME.csv and
 * the records it must give, json/NAME.json) through CsvParser, fed whole and split
 * into chunks at random places.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvParser } from '../../shared/timesheets/csv-parser.ts';

const SPECTRUM = fileURLToPath(new URL('../../node_modules/csv-spectrum/', import.meta.url));
const names = readdirSync(join(SPECTRUM, 'csvs'))
  .filter((file) => file.endsWith('.csv'))
  .map((file) => basename(file, '.csv'))
  .sort();

/**
 * Upstream's location_coordinates.json is wrong twice: it is one object, not an array
 * of records like every other fixture, and its phone number (1234567890) is not the
 * one in location_coordinates.csv (2095257564). The fixture's point is the `"` inside
 * an unquoted field (`37.8"N`), an ordinary character (spec 2.1), and that part of the
 * expectation is right; this is the expectation with both mistakes corrected.
 */
const CORRECTED: Record<string, Record<string, string>[]> = {
  location_coordinates: [
    {
      'Contact Phone Number': '2095257564',
      'Location Coordinates': '37\uFFFD36\'37.8"N 121\uFFFD2\'17.9"W',
      Cities: 'Modesto',
      Counties: 'Stanislaus',
    },
  ],
};

function expected(name: string): Record<string, string>[] {
  return CORRECTED[name] ?? (JSON.parse(readFileSync(join(SPECTRUM, 'json', `${name}.json`), 'utf8')) as Record<string, string>[]);
}

/** The records of `chunks` parsed in order, as objects keyed by the header's fields. */
function objects(chunks: string[]): Record<string, string>[] {
  const records: string[][] = [];
  const parser = new CsvParser((fields) => records.push([...fields]));
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  const [header, ...rows] = records;
  return rows.map((row) => Object.fromEntries(header!.map((column, i) => [column, row[i] ?? ''])));
}

/** `text` cut at the given positions (taken modulo its length + 1). */
function cut(text: string, positions: number[]): string[] {
  const at = [...new Set(positions.map((p) => p % (text.length + 1)))].sort((a, b) => a - b);
  return [...at, text.length].map((end, i) => text.slice(i === 0 ? 0 : at[i - 1], end));
}

describe('csv-spectrum fixtures', () => {
  it('are all there (the test would pass vacuously without them)', () => {
    expect(names.length).toBeGreaterThanOrEqual(12);
    expect(names).toContain('location_coordinates');
    expect(Array.isArray(JSON.parse(readFileSync(join(SPECTRUM, 'json', 'location_coordinates.json'), 'utf8')))).toBe(false);
  });

  describe.each(names)('%s', (name) => {
    const text = readFileSync(join(SPECTRUM, 'csvs', `${name}.csv`), 'utf8');

    it('parses whole to the expected records', () => {
      expect(objects([text])).toEqual(expected(name));
    });

    it('parses to the same records split into chunks anywhere (property)', () => {
      fc.assert(
        fc.property(fc.array(fc.nat(), { maxLength: 8 }), (positions) => {
          expect(objects(cut(text, positions))).toEqual(expected(name));
        }),
        { numRuns: 200 },
      );
    });
  });
});
