/** Thrown when text cannot be read as CSV at all (the file is rejected whole). */
export class CsvSyntaxError extends Error {}

const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * A push parser for CSV text: feed it decoded chunks as they stream in and it
 * calls `onRecord` for each complete record with the 1-based line it starts on.
 * The delimiter (`,` or `;`) is detected from the header line. The fields array is
 * reused between records, so the callback must copy what it keeps. Lines without
 * quotes take a fast path of plain `indexOf` splits.
 */
export class CsvParser {
  readonly #onRecord: (fields: string[], line: number) => void;
  #delimiter = '';
  #pending = '';
  #line = 1;
  #first = true;
  readonly #fields: string[] = [];

  constructor(onRecord: (fields: string[], line: number) => void) {
    this.#onRecord = onRecord;
  }

  /** The detected delimiter, once the header line has been seen. */
  get delimiter(): string {
    return this.#delimiter;
  }

  push(chunk: string): void {
    let text = chunk;
    if (this.#first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.#first = false;
    }
    if (this.#pending.length > 0) text = this.#finishPending(text);
    this.#pending = text.slice(this.#consume(text, false));
  }

  /**
   * Completes the record left over from the previous chunk with the first line of
   * this one and returns the text still to parse. A large chunk is then parsed where
   * it lies rather than copied (flattened) onto the end of the leftover.
   */
  #finishPending(chunk: string): string {
    const newline = chunk.indexOf('\n');
    if (newline === -1) return this.#pending + chunk;
    const head = this.#pending + chunk.slice(0, newline + 1);
    const used = this.#consume(head, false);
    const rest = chunk.slice(newline + 1);
    // A quoted record still open at that newline: parse it on, as one text, with the rest.
    return used === head.length ? rest : head.slice(used) + rest;
  }

  /** Flushes the last record (a file need not end with a newline). */
  end(): void {
    const text = this.#pending;
    this.#pending = '';
    this.#consume(text, true);
  }

  /** Parses complete records in `text`; returns where the unfinished rest begins. */
  #consume(text: string, final: boolean): number {
    const length = text.length;
    let pos = 0;
    // The next quote is searched for once per quoted record (once per chunk when there
    // are none), never per line: TurboFan turned a conditional re-search inside the line
    // loop into an unconditional one, rescanning the rest of the chunk on every line.
    records: while (pos < length) {
      const quote = text.indexOf('"', pos);
      const plainEnd = quote === -1 ? length : quote;
      for (;;) {
        let newline = text.indexOf('\n', pos);
        if (newline === -1) {
          if (!final) break records;
          newline = length;
        }
        if (this.#delimiter === '') {
          // The header is the first non-empty line: an empty line before it says nothing.
          const line = text.slice(pos, newline);
          if (line !== '' && line !== '\r') this.#delimiter = detectDelimiter(line);
        }
        if (newline > plainEnd) break; // this record holds a quote
        const end = newline > pos && text.charCodeAt(newline - 1) === CR ? newline - 1 : newline;
        if (end > pos) {
          this.#splitPlain(text, pos, end);
          this.#emit();
        }
        this.#line++;
        pos = newline + 1;
        if (pos >= length) break records;
      }
      const next = this.#parseQuoted(text, pos, final);
      if (next === -1) break;
      pos = next;
    }
    return Math.min(pos, length);
  }

  #splitPlain(text: string, start: number, end: number): void {
    const fields = this.#fields;
    const delimiter = this.#delimiter;
    for (;;) {
      const at = text.indexOf(delimiter, start);
      if (at === -1 || at >= end) {
        fields.push(text.slice(start, end));
        return;
      }
      fields.push(text.slice(start, at));
      start = at + 1;
    }
  }

  /**
   * Character-by-character parse of a record with quotes, which may span lines.
   * Returns the position after the record, or -1 when the chunk ends inside it.
   */
  #parseQuoted(text: string, start: number, final: boolean): number {
    const fields = this.#fields;
    const delimiter = this.#delimiter.charCodeAt(0);
    let field = '';
    let inQuotes = false;
    let lines = 0;
    let i = start;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (inQuotes) {
        if (c === QUOTE) {
          if (text.charCodeAt(i + 1) === QUOTE) {
            field += '"';
            i++;
          } else inQuotes = false;
        } else {
          if (c === LF) lines++;
          field += text[i];
        }
      } else if (c === QUOTE) inQuotes = true;
      else if (c === delimiter) {
        fields.push(field);
        field = '';
      } else if (c === LF) break;
      else if (c !== CR || text.charCodeAt(i + 1) !== LF) field += text[i];
    }
    if (i >= text.length && !final) {
      fields.length = 0;
      return -1;
    }
    if (inQuotes) throw new CsvSyntaxError(`line ${this.#line}: a quoted field is never closed`);
    fields.push(field);
    this.#emit();
    this.#line += lines + 1;
    return i + 1;
  }

  #emit(): void {
    this.#onRecord(this.#fields, this.#line);
    this.#fields.length = 0;
  }
}

/** `;` when the header has more semicolons than commas (Danish Excel), else `,`. */
function detectDelimiter(header: string): string {
  let commas = 0;
  let semicolons = 0;
  let inQuotes = false;
  for (let i = 0; i < header.length; i++) {
    const c = header[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && c === ',') commas++;
    else if (!inQuotes && c === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}
