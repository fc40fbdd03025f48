/**
 * Cells of the files the project writes for people to open in a spreadsheet
 * (CSV and XLSX; spec 2.4): the one home for quoting and for formula-injection
 * escaping, so every writer escapes the same way.
 *
 * A writer tells text from numbers by where the value comes from, never by how
 * it looks: a value from a text field (participant, outcome id, section, week
 * label, …) goes through `textCell`; a number the writer formats itself from a
 * JS number (`-1234.50`, `7.5`) goes through `numberCell` and is written as is,
 * so negative amounts stay numeric cells. `numberCell` passes only a plain
 * decimal and writes anything else as text, so no text can skip the escape by
 * being called a number. Rows take only `CsvField`s, which only these two
 * functions make, so a writer cannot forget either.
 */

/** A CSV field ready to be joined into a row: made by `textCell` or `numberCell` only. */
export type CsvField = string & { readonly __brand: 'CsvField' };

/** What a spreadsheet reads as the start of a formula (spec 2.4). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** Quoted when it holds a delimiter (`,`, or `;` for Danish Excel), a quote or a line break. */
const NEEDS_QUOTES = /[",;\n\r]/;
/** A number as the project formats it: `-1234.50`, `7.5`, `0.123`, `1e-7`. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/;
/** A number as the Danish CSV writes it: decimal comma, no thousands separator, `%` after a space for shares (`-1234,50`, `12,5 %`). */
const DANISH_NUMBER = /^-?\d+(,\d+)?( %)?$/;

/** Text with a leading `'` when a spreadsheet would take it for a formula (`=`, `+`, `-`, `@`, tab, CR). */
export function escapeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function quoted(field: string): CsvField {
  return (NEEDS_QUOTES.test(field) ? `"${field.replaceAll('"', '""')}"` : field) as CsvField;
}

/** A text value (from a text field: participant, id, label) as a CSV field: formula-escaped, then quoted if needed. */
export function textCell(text: string): CsvField {
  return quoted(escapeFormula(text));
}

/** A number the writer formatted itself, as a CSV field: kept as is (`-1234.50` stays a number); anything else is text. */
export function numberCell(formatted: string): CsvField {
  return PLAIN_NUMBER.test(formatted) ? (formatted as CsvField) : textCell(formatted);
}

/** A number the writer formatted itself the Danish way (`-1234,50`, `12,5 %`), for `;`-separated CSV: kept as is; anything else is text. */
export function danishNumberCell(formatted: string): CsvField {
  return DANISH_NUMBER.test(formatted) ? (formatted as CsvField) : textCell(formatted);
}

/** One CSV line (comma-separated, no line end) from fields made by `textCell`/`numberCell`. */
export function csvRow(fields: readonly CsvField[]): string {
  return fields.join(',');
}

/** One Danish CSV line (`;`-separated, no line end) from fields made by `textCell`/`danishNumberCell`. */
export function danishCsvRow(fields: readonly CsvField[]): string {
  return fields.join(';');
}
