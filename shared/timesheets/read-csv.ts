import { Buffer, isAscii, isUtf8 } from 'node:buffer';
import { CsvParser, CsvSyntaxError, type BytesText, type PlainRecordHandler } from './csv-parser.ts';

/** The text encodings a CSV timesheet may be in (spec 2.1). */
export type TextEncoding = 'utf-8' | 'windows-1252';

/** A file's content as a stream of chunks, as from S3 or a file. */
export type Body = AsyncIterable<Uint8Array | string>;

/** A CSV file's bytes, and a way to read them again from the start (see {@link readCsv}). */
export interface CsvSource {
  body: Body;
  reopen?: () => Body | Promise<Body>;
}

/**
 * Bytes decoded at a time. Small slices keep the peak low, and their text (at most
 * 64 KiB even as two-byte characters) stays below V8's large-object size: a 256 KiB
 * slice's string is a large object of its own, which made decoding ~30× slower.
 */
const DECODE_SLICE = 32 * 1024;
const LF = 10;
const SAVE_AS = 'save it as "CSV UTF-8" (Excel) or as .xlsx';
/**
 * What is neither UTF-8 nor Windows-1252 text: NUL (no text file holds one; UTF-16
 * "Unicode text" and binary files do) and the five bytes Windows-1252 leaves undefined
 * (0x81, 0x8D, 0x8F, 0x90, 0x9D), which its decoder passes through as C1 controls.
 */
const NOT_WINDOWS_1252_BYTES = [0x00, 0x81, 0x8d, 0x8f, 0x90, 0x9d];
/** The same, as the characters its decoder gives them (code points equal to the bytes). */
const NOT_WINDOWS_1252 = new RegExp(`[${NOT_WINDOWS_1252_BYTES.map((byte) => `\\x${byte.toString(16).padStart(2, '0')}`).join('')}]`);
const NOT_ASCII = /[^\0-\x7f]/;

/** The second pass must start over: the file is not UTF-8 but UTF-8 text was already read. */
const READ_AGAIN = Symbol('read again');

/**
 * Reads CSV bytes into `records` (see {@link CsvParser}) and returns the encoding they
 * were read in. A file that is valid UTF-8 (with or without BOM) is read as UTF-8;
 * any other as Windows-1252 (Danish Excel's "CSV (semikolonsepareret)"), the whole file
 * one way. When the first byte that is not UTF-8 comes after ASCII only, the decoder
 * switches there (ASCII reads the same in both); when UTF-8 text beyond ASCII came
 * before it, the records read so far are void: `records.restart` is called and the file is read
 * again from `source.reopen()`. Without `reopen`, such a file is rejected.
 *
 * Rejected whole ({@link CsvSyntaxError}, naming line and field): a NUL byte (binary or
 * UTF-16 files), a byte Windows-1252 leaves undefined, and a file that starts with a
 * UTF-8 byte order mark but is not UTF-8 (it mixes encodings: read either way, part
 * of it would be wrong). String chunks are taken as already decoded.
 */
export async function readCsv(source: CsvSource, records: CsvRecords): Promise<TextEncoding> {
  const first = await readAs('utf-8', source.body, records);
  if (first !== READ_AGAIN) return first;
  if (!source.reopen) throw new CsvSyntaxError(`not UTF-8 text, and it cannot be read again as Windows-1252: ${SAVE_AS}`);
  records.restart();
  // Only a UTF-8 read can ask to read again.
  return (await readAs('windows-1252', await source.reopen(), records)) as TextEncoding;
}

/** Where {@link readCsv} puts what it reads. */
export interface CsvRecords {
  /** Each record as text (see {@link CsvParser}). */
  onRecord: (fields: string[], line: number) => void;
  /** Plain records as bytes (see {@link CsvParser.readPlainRecords}); without it, they come as text too. */
  onPlainRecord?: PlainRecordHandler;
  /** The records so far are void: the file is being read again from the start. */
  restart: () => void;
}

/** What one pass knows between slices: where the text goes and how the bytes are being decoded. */
interface Pass {
  parser: CsvParser;
  encoding: TextEncoding;
  decoder: InstanceType<typeof TextDecoder>;
  /** Whether all text read as UTF-8 so far was ASCII (then a switch to Windows-1252 needs no second reading). */
  asciiOnly: boolean;
  /** Whether the text starts with a byte order mark; undefined before the first text. */
  bom: boolean | undefined;
  /** The last (up to) three bytes read as UTF-8, to find a character cut at a slice's edge. */
  tail: Uint8Array;
}

/** One pass over the bytes, starting in `start`; READ_AGAIN when UTF-8 failed too late to switch. */
async function readAs(start: TextEncoding, body: Body, records: CsvRecords): Promise<TextEncoding | typeof READ_AGAIN> {
  const pass: Pass = {
    parser: new CsvParser(records.onRecord, records.onPlainRecord), encoding: start, decoder: decoderFor(start),
    asciiOnly: true, bom: undefined, tail: new Uint8Array(0),
  };
  for await (const chunk of body) {
    if (typeof chunk === 'string') {
      pushText(pass, chunk);
      continue;
    }
    for (let at = 0; at < chunk.length; at += DECODE_SLICE) {
      let slice = chunk.subarray(at, at + DECODE_SLICE);
      const direct = readableDirectly(pass, slice);
      if (direct !== undefined) {
        pushBytes(pass, slice.subarray(0, direct.end), direct.text);
        if (direct.end === slice.length) continue;
        slice = slice.subarray(direct.end); // the start of a character the next slice ends: the decoder holds it
      }
      const text = decode(pass, slice);
      if (text === READ_AGAIN) return READ_AGAIN;
      pushText(pass, text);
    }
  }
  const last = decode(pass);
  if (last === READ_AGAIN) return READ_AGAIN;
  pushText(pass, last);
  pass.parser.end();
  return pass.encoding;
}

/** Hands decoded text to the parser, refusing it at the first character that is not text (see {@link readCsv}). */
function pushText(pass: Pass, text: string): void {
  if (text.length === 0) return;
  const { parser } = pass;
  pass.bom ??= text.charCodeAt(0) === 0xfeff;
  const bad = pass.encoding === 'utf-8' ? text.indexOf('\0') : text.search(NOT_WINDOWS_1252);
  if (bad !== -1) {
    parser.push(text.slice(0, bad));
    const what = text.charCodeAt(bad) === 0 ? 'a NUL byte' : `byte 0x${text.charCodeAt(bad).toString(16).toUpperCase()}`;
    throw new CsvSyntaxError(`${parser.position}: ${what}: not text in UTF-8 or Windows-1252 (binary, or UTF-16 "Unicode text"?): ${SAVE_AS}`);
  }
  parser.push(text);
}

/** Decodes `slice` (the end of the file when undefined) in the pass's encoding, switching or giving up as {@link leaveUtf8} says. */
function decode(pass: Pass, slice?: Uint8Array): string | typeof READ_AGAIN {
  if (pass.encoding === 'windows-1252') return slice ? pass.decoder.decode(slice) : '';
  try {
    const text = slice ? pass.decoder.decode(slice, { stream: true }) : pass.decoder.decode();
    if (slice) readAsUtf8(pass, slice, !NOT_ASCII.test(text));
    return text;
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_ENCODING_INVALID_ENCODED_DATA') throw error;
    return leaveUtf8(pass, slice);
  }
}

/** Notes a slice read as UTF-8 (`ascii`: all it gave was ASCII), keeping its last bytes (a copy: the reader may reuse its buffer). */
function readAsUtf8(pass: Pass, slice: Uint8Array, ascii: boolean): void {
  if (!ascii) pass.asciiOnly = false;
  pass.tail = slice.length >= 3 ? slice.slice(-3) : concat(pass.tail, slice).subarray(-3);
}

/**
 * How much of `slice`, from its start, can be read without the decoder (several
 * times faster, and plain records then need no string per field), and how its
 * bytes read: ASCII in either encoding; valid UTF-8 up to the last whole character
 * in a UTF-8 pass; any Windows-1252 text in a Windows-1252 pass. Undefined when the
 * decoder must read it: it holds the start of a character, or the bytes are not
 * valid in the pass's encoding (the decoder then switches, or words the rejection).
 */
function readableDirectly(pass: Pass, slice: Uint8Array): { end: number; text: BytesText } | undefined {
  if (pass.encoding === 'windows-1252') return NOT_WINDOWS_1252_BYTES.some((byte) => slice.includes(byte)) ? undefined : { end: slice.length, text: windows1252Text };
  if (heldBytes(pass.tail).length > 0) return undefined;
  if (isAscii(slice)) {
    readAsUtf8(pass, slice, true);
    return { end: slice.length, text: asciiText };
  }
  const end = slice.length - heldBytes(slice.subarray(-3)).length;
  const whole = slice.subarray(0, end);
  if (end === 0 || !isUtf8(whole)) return undefined;
  readAsUtf8(pass, whole, isAscii(whole));
  return { end, text: utf8Text };
}

/**
 * Bytes whole in the pass's encoding, read without the decoder: its plain records
 * go from the bytes straight to the parser (see {@link CsvParser.readPlainRecords}),
 * the rest as text.
 */
function pushBytes(pass: Pass, bytes: Uint8Array, text: BytesText): void {
  const { parser } = pass;
  let at = 0;
  if (!parser.atRecordStart) {
    // The end of a record the last slice left open (or the header), as text.
    const lineEnd = bytes.indexOf(LF);
    at = lineEnd === -1 ? bytes.length : lineEnd + 1;
    pushText(pass, text(bytes, 0, at));
  }
  at = parser.readPlainRecords(bytes, at, text);
  if (at < bytes.length) pushText(pass, text(bytes, at, bytes.length));
}

/** The texts of bytes, one per way {@link readableDirectly} reads them. */
const asciiText: BytesText = (bytes, start, end) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1', start, end);
const utf8Text: BytesText = (bytes, start, end) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8', start, end);
const WINDOWS_1252 = new TextDecoder('windows-1252');
const windows1252Text: BytesText = (bytes, start, end) => WINDOWS_1252.decode(bytes.subarray(start, end));

/**
 * At the first byte that is not UTF-8 (in `slice`, or in the end of the file when
 * undefined): a file that began with a BOM is refused; after ASCII only the pass
 * switches to Windows-1252 and returns the slice decoded so; after UTF-8 text
 * beyond ASCII it must start over (READ_AGAIN).
 */
function leaveUtf8(pass: Pass, slice: Uint8Array | undefined): string | typeof READ_AGAIN {
  // The decoder had held back the start of a character cut at the slice's edge.
  const held = heldBytes(pass.tail);
  const pending = concat(held, slice ?? new Uint8Array(0));
  if (pass.bom ?? startsWithBom(pending)) {
    pass.parser.push(validPrefix(pending));
    throw new CsvSyntaxError(`${pass.parser.position}: starts with a UTF-8 byte order mark but is not UTF-8 text here (mixed encodings): ${SAVE_AS}`);
  }
  if (!pass.asciiOnly) return READ_AGAIN;
  pass.encoding = 'windows-1252';
  pass.decoder = decoderFor(pass.encoding);
  return pass.decoder.decode(pending);
}

function decoderFor(encoding: TextEncoding): InstanceType<typeof TextDecoder> {
  // ignoreBOM keeps a UTF-8 BOM in the text: the parser drops it, and it tells a mixed file.
  return encoding === 'utf-8' ? new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }) : new TextDecoder('windows-1252');
}

/** The UTF-8 text of `bytes` before their first invalid byte, for naming the line of the problem. */
function validPrefix(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  const bad = text.indexOf('\uFFFD');
  return bad === -1 ? text : text.slice(0, bad);
}

function startsWithBom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(a.length + b.length);
  bytes.set(a);
  bytes.set(b, a.length);
  return bytes;
}

/** The bytes at the end of `bytes` that begin a UTF-8 character not yet complete. */
function heldBytes(bytes: Uint8Array): Uint8Array {
  for (let back = 1; back <= bytes.length; back++) {
    const byte = bytes[bytes.length - back]!;
    if (byte < 0x80) break;
    if (byte >= 0xc0) {
      const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return length > back ? bytes.subarray(-back) : new Uint8Array(0);
    }
  }
  return new Uint8Array(0);
}
