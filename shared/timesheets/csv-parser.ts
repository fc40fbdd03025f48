import type { Problem } from './problems.ts';

/** Thrown when a file cannot be read as CSV text at all (the file is rejected whole); `problem` is its code for the portal. */
export class CsvSyntaxError extends Error {
  readonly problem: Extract<Problem, { code: `csv-${string}` }>;

  constructor(message: string, problem: CsvSyntaxError['problem'] = { code: 'csv-encoding' }) {
    super(message);
    this.problem = problem;
  }
}

const QUOTE = 34;
const CR = 13;
const LF = 10;
const COMMA = 44;
const SEMICOLON = 59;
/** No timesheet or roster has this many columns; a record of more is an attack on memory. */
const MAX_FIELDS = 10_000;
/** A line of more fields is never read as a plain record (the text path reads it). */
const MAX_PLAIN_FIELDS = 64;

/** The text of `bytes[start, end)`, bytes that hold whole characters of the file's encoding. */
export type BytesText = (bytes: Uint8Array, start: number, end: number) => string;

/**
 * A plain record as bytes: field k is `bytes[starts[k], starts[k + 1] - 1)`, for k
 * below `fields` (`starts` is reused between records); `text` gives a field's text.
 */
export type PlainRecordHandler = (bytes: Uint8Array, starts: Int32Array, fields: number, line: number, text: BytesText) => void;

// Where the parser stands between two characters (kept across chunks).
/** At the start of a field: a `"` here opens a quoted field. */
const FIELD_START = 0;
/** Inside an unquoted field, or after a quoted field's closing quote: every character is text. */
const PLAIN = 1;
/** Inside a quoted field. */
const QUOTED = 2;
/** Just after a `"` inside a quoted field: another `"` makes one quote, anything else closed the field. */
const QUOTE_IN_QUOTED = 3;

/**
 * A push parser for CSV text (spec 2.1): feed it decoded chunks as they stream in
 * and it calls `onRecord` for each complete record with the 1-based physical line it
 * starts on. The fields array is reused between records, so the callback must copy
 * what it keeps.
 *
 * Grammar (RFC 4180, relaxed the way spreadsheets write it):
 * - records end at LF, CRLF or a lone CR (old Mac exports); empty lines are skipped
 *   but counted; a leading BOM is dropped; the last record needs no line end;
 * - the delimiter, `,` or `;`, is detected from the header (the first non-empty line);
 * - a field that starts with `"` is quoted: `""` inside is one quote, delimiters and
 *   line breaks inside are text, and the field may span lines (they still count, so
 *   later records keep their physical line numbers). Text after the closing quote,
 *   up to the next delimiter, is appended as written (`"a"b` is `ab`);
 * - a `"` anywhere else is an ordinary character (`12" skærm`);
 * - a quoted field still open at the end of the text is a {@link CsvSyntaxError}
 *   naming the line (and field) where it opened; so is a record of more than
 *   MAX_FIELDS fields (it would hold memory without bound).
 *
 * Every character is looked at once, whatever the chunking: the state at a chunk's end
 * (partial field, open quote, a CR that a LF may follow) is kept, never the text to
 * re-parse. Plain text is split with `indexOf` searches for the next LF, CR and
 * delimiter, each repeated only once the parse has passed its last hit.
 */
export class CsvParser {
  readonly #onRecord: (fields: string[], line: number) => void;
  #delimiter = '';
  /** Text held until the header line is complete (the delimiter is not known before). */
  #head = '';
  /** The header line so far (after leading empty lines), for delimiter detection. */
  #headerLine: string | undefined;
  #first = true;
  readonly #fields: string[] = [];
  #field = '';
  #state = FIELD_START;
  /** The physical line the parse is on. */
  #line = 1;
  /** The line the record being parsed starts on. */
  #recordLine = 1;
  /** The line and field (1-based) where the open quoted field opened. */
  #openLine = 0;
  #openField = 0;
  /** The last chunk ended with the CR of a line end: a LF starting the next one belongs to it. */
  #afterCR = false;
  /** The last character of the previous chunk, to count a CRLF split between chunks once. */
  #previous = 0;
  readonly #onPlainRecord: PlainRecordHandler | undefined;
  readonly #plainStarts = new Int32Array(MAX_PLAIN_FIELDS + 1);

  /** `onPlainRecord`, when given, takes the records {@link readPlainRecords} reads (else they go to `onRecord` as text). */
  constructor(onRecord: (fields: string[], line: number) => void, onPlainRecord?: PlainRecordHandler) {
    this.#onRecord = onRecord;
    this.#onPlainRecord = onPlainRecord;
  }

  /** The detected delimiter, once the header line has been seen. */
  get delimiter(): string {
    return this.#delimiter;
  }

  /**
   * Where the text pushed so far ends, for messages about what comes next: `line N`
   * (physical, 1-based) and, once the delimiter is known, `field M` (1-based).
   */
  get position(): string {
    return this.#delimiter === '' ? `line ${this.#line}` : `line ${this.#line}, field ${this.#fields.length + 1}`;
  }

  push(chunk: string): void {
    if (chunk.length === 0) return;
    let text = chunk;
    if (this.#first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.#first = false;
    }
    if (this.#delimiter === '') {
      if (!this.#findHeader(text)) return;
      text = this.#head;
      this.#head = '';
    }
    this.#parse(text);
  }

  /** True between records, once the delimiter is known: where {@link readPlainRecords} can start. */
  get atRecordStart(): boolean {
    return this.#delimiter !== '' && this.#state === FIELD_START && this.#fields.length === 0 && this.#field === '' && !this.#afterCR;
  }

  /**
   * The fast path for bytes, the same as pushing their text: reads the complete lines
   * from `from` on that are plain records (no `"`, no control character, ended by LF
   * or CRLF) straight from the bytes into `onPlainRecord`, without a string, and
   * returns where it stopped: at the first line that is not plain or not complete,
   * which the caller pushes as text. Reads nothing unless {@link atRecordStart}.
   * The caller vouches that the bytes are whole, valid characters of an encoding that
   * writes ASCII as ASCII and never uses ASCII bytes inside other characters (UTF-8,
   * Windows-1252), decoded by `text`.
   */
  readPlainRecords(bytes: Uint8Array, from: number, text: BytesText): number {
    const onPlainRecord = this.#onPlainRecord;
    if (onPlainRecord === undefined || !this.atRecordStart) return from;
    const delimiter = this.#delimiter.charCodeAt(0);
    const starts = this.#plainStarts;
    const length = bytes.length;
    let line = this.#line;
    let at = from;
    lines: while (at < length) {
      let fields = 1;
      starts[0] = at;
      let i = at;
      for (; i < length; i++) {
        const c = bytes[i]!;
        if (c === delimiter) {
          if (fields === MAX_PLAIN_FIELDS) break lines;
          starts[fields++] = i + 1;
        } else if (c < 32 || c === QUOTE) break;
      }
      let next: number;
      if (i < length && bytes[i] === LF) next = i + 1;
      else if (i + 1 < length && bytes[i] === CR && bytes[i + 1] === LF) next = i + 2;
      else break; // the line goes on past the bytes, or is not plain
      if (i > at) {
        starts[fields] = i + 1;
        onPlainRecord(bytes, starts, fields, line, text);
      } // else an empty line: skipped, but counted
      line++;
      at = next;
    }
    if (at > from) this.#previous = bytes[at - 1]!;
    this.#line = this.#recordLine = line;
    return at;
  }

  /** Flushes the last record (a file need not end with a newline). */
  end(): void {
    if (this.#delimiter === '' && this.#headerLine !== undefined) {
      this.#delimiter = detectDelimiter(this.#headerLine);
      this.#parse(this.#head);
      this.#head = '';
    }
    if (this.#state === QUOTED) throw new CsvSyntaxError(`line ${this.#openLine}, field ${this.#openField}: a quoted field opened here is never closed`, { code: 'csv-unclosed-quote', line: this.#openLine });
    if (this.#state !== FIELD_START || this.#fields.length > 0) {
      this.#fields.push(this.#field);
      this.#field = '';
      this.#emit();
    }
    this.#state = FIELD_START;
  }

  /**
   * Holds `chunk` until the header line (the first non-empty one) is complete, then
   * detects the delimiter from it; true once it has. Looks at each chunk once.
   */
  #findHeader(chunk: string): boolean {
    this.#head += chunk;
    let from = 0;
    if (this.#headerLine === undefined) {
      while (from < chunk.length && isLineEnd(chunk.charCodeAt(from))) from++;
      if (from === chunk.length) return false;
      this.#headerLine = '';
    }
    const end = lineEndIn(chunk, from);
    if (end === -1) {
      this.#headerLine += chunk.slice(from);
      return false;
    }
    this.#delimiter = detectDelimiter(this.#headerLine + chunk.slice(from, end));
    return true;
  }

  /**
   * The grammar's state machine over one chunk. One function on purpose: it is the
   * ingest's innermost loop (benchmarked), and its states share local variables
   * that helpers would have to pass back and forth per character.
   */
  #parse(text: string): void {
    const length = text.length;
    if (length === 0) return;
    const fields = this.#fields;
    const delimiter = this.#delimiter;
    let field = this.#field;
    let state = this.#state;
    let line = this.#line;
    let recordLine = this.#recordLine;
    let i = 0;
    if (this.#afterCR) {
      this.#afterCR = false;
      if (text.charCodeAt(0) === LF) i = 1;
    }
    // The next LF, CR and delimiter at or after i (length when there is none); searched
    // again only once passed, so each search covers new text.
    let nextLF = -1;
    let nextCR = -1;
    let nextDelimiter = -1;
    parse: while (i < length) {
      if (state === QUOTED) {
        // To the closing quote or the chunk's end, counting line breaks; `""` pairs are
        // undone in one go (one string per chunk, not a piece per pair). A quote last in
        // the chunk waits for the next one to tell.
        let quote = -1;
        let doubled = false;
        let previous = i > 0 ? text.charCodeAt(i - 1) : this.#previous;
        for (let k = i; k < length; k++) {
          const c = text.charCodeAt(k);
          if (c === QUOTE) {
            if (k + 1 < length && text.charCodeAt(k + 1) === QUOTE) {
              doubled = true;
              k++;
            } else {
              quote = k;
              break;
            }
          } else if (c === CR || (c === LF && previous !== CR)) line++;
          previous = c;
        }
        const end = quote === -1 ? length : quote;
        // split/join, not replace: on dense pairs V8's replace took 7.7 s and 690 MB for 40 MB.
        field += doubled ? text.slice(i, end).split('""').join('"') : text.slice(i, end);
        if (quote === -1) break;
        i = quote + 1;
        state = QUOTE_IN_QUOTED;
      } else if (state === QUOTE_IN_QUOTED) {
        if (text.charCodeAt(i) === QUOTE) {
          field += '"';
          i++;
          state = QUOTED;
        } else state = PLAIN;
      } else if (state === FIELD_START && text.charCodeAt(i) === QUOTE) {
        state = QUOTED;
        this.#openLine = line;
        this.#openField = fields.length + 1;
        i++;
      } else {
        if (nextLF < i) nextLF = searchFrom(text, '\n', i);
        if (nextCR < i) nextCR = searchFrom(text, '\r', i);
        if (nextDelimiter < i) nextDelimiter = searchFrom(text, delimiter, i);
        const lineEnd = nextLF < nextCR ? nextLF : nextCR;
        // The fields ending at a delimiter on this line, until one starts with a quote.
        while (nextDelimiter < lineEnd) {
          fields.push(field === '' ? text.slice(i, nextDelimiter) : field + text.slice(i, nextDelimiter));
          field = '';
          state = FIELD_START;
          i = nextDelimiter + 1;
          nextDelimiter = searchFrom(text, delimiter, i);
          if (i < length && text.charCodeAt(i) === QUOTE) continue parse;
        }
        if (lineEnd === length) {
          if (i < length) {
            field += text.slice(i);
            state = PLAIN;
          }
          break;
        }
        if (state === PLAIN || lineEnd > i || fields.length > 0) {
          fields.push(field === '' ? text.slice(i, lineEnd) : field + text.slice(i, lineEnd));
          field = '';
          if (fields.length > MAX_FIELDS) throw tooManyFields(recordLine);
          this.#onRecord(fields, recordLine);
          fields.length = 0;
        }
        state = FIELD_START;
        i = lineEnd + 1;
        if (lineEnd === nextCR) {
          if (i === length) this.#afterCR = true;
          else if (text.charCodeAt(i) === LF) i++;
        }
        recordLine = ++line;
      }
    }
    this.#field = field;
    this.#state = state;
    this.#line = line;
    this.#recordLine = recordLine;
    // Also per chunk: a record still open holds at most MAX_FIELDS plus one chunk's worth.
    if (fields.length > MAX_FIELDS) throw tooManyFields(recordLine);
    this.#previous = text.charCodeAt(length - 1);
  }

  #emit(): void {
    if (this.#fields.length > MAX_FIELDS) throw tooManyFields(this.#recordLine);
    this.#onRecord(this.#fields, this.#recordLine);
    this.#fields.length = 0;
  }
}

function tooManyFields(line: number): CsvSyntaxError {
  return new CsvSyntaxError(`line ${line}: a record of more than ${MAX_FIELDS.toLocaleString('en')} fields`, { code: 'csv-too-many-fields', line });
}

function isLineEnd(c: number): boolean {
  return c === LF || c === CR;
}

/** The first LF or CR in `text` at or after `from`, or -1. */
function lineEndIn(text: string, from: number): number {
  const lf = text.indexOf('\n', from);
  const cr = text.indexOf('\r', from);
  return lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
}

/** `indexOf`, with "none" as the text's length so that it compares as "after everything". */
function searchFrom(text: string, what: string, from: number): number {
  const at = text.indexOf(what, from);
  return at === -1 ? text.length : at;
}

/**
 * `;` when the header has more semicolons than commas (Danish Excel), else `,`.
 * Delimiters inside quoted fields do not count; since the delimiter is not known yet,
 * a field is taken to start after either candidate.
 */
function detectDelimiter(header: string): string {
  let commas = 0;
  let semicolons = 0;
  let fieldStart = true;
  let inQuotes = false;
  for (let i = 0; i < header.length; i++) {
    const c = header.charCodeAt(i);
    if (inQuotes) {
      if (c === QUOTE) {
        if (header.charCodeAt(i + 1) === QUOTE) i++;
        else inQuotes = false;
      }
      continue;
    }
    if (c === QUOTE && fieldStart) inQuotes = true;
    fieldStart = c === COMMA || c === SEMICOLON;
    if (c === COMMA) commas++;
    else if (c === SEMICOLON) semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}
