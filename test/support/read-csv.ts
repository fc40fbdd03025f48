import Papa from 'papaparse';

/**
 * The cells of a CSV text the project wrote (`,`, LF line ends), as an
 * independent, spreadsheet-grade reader (papaparse) sees them; throws on any
 * parse error so a malformed output cannot pass a test.
 */
export function readCsvCells(text: string): string[][] {
  const parsed = Papa.parse<string[]>(text, { delimiter: ',', newline: '\n', quoteChar: '"', skipEmptyLines: false });
  if (parsed.errors.length > 0) throw new Error(`unreadable CSV: ${parsed.errors.map((e) => `row ${e.row}: ${e.message}`).join('; ')}`);
  // a trailing line end leaves one empty row
  return parsed.data.at(-1)?.length === 1 && parsed.data.at(-1)![0] === '' ? parsed.data.slice(0, -1) : parsed.data;
}
