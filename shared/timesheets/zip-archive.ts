import { crc32, createInflateRaw, inflateRawSync } from 'node:zlib';

/**
 * Reading entries of a zip archive (an XLSX workbook) held in memory, through its
 * central directory at the end of the file: entries can be in any order (exceljs
 * writes the workbook after its sheets), and every entry's uncompressed size is
 * known before anything is inflated, so oversized parts and zip bombs are refused
 * cheaply. Inflation never outgrows the declared size: a bomb that lies about its
 * size is stopped at the size it declared.
 */

/** A workbook that cannot be read: the message is ours, for a person, and quotes no content; `code` is the portal's. */
export class XlsxError extends Error {
  readonly code: 'xlsx-unreadable' | 'xlsx-encrypted' | 'xlsx-too-large';

  constructor(message: string, code: XlsxError['code'] = 'xlsx-unreadable') {
    super(message);
    this.code = code;
  }
}

/** One file in the archive, as its central directory describes it. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  /** The uncompressed size the archive declares; inflation is held to it. */
  size: number;
  /** CRC-32 of the uncompressed bytes: a damaged file is refused, not read wrong. */
  crc: number;
  /** Offset of the local header, whose length is known only once it is read. */
  localOffset: number;
}

const END_RECORD = 0x06054b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const END_RECORD_SIZE = 22;
/** The end record may be followed by a comment of up to 64 KiB. */
const MAX_COMMENT = 0xffff;
/** An OLE2 compound file: a password-protected workbook or an old .xls. */
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0];

/** The entries of an archive by name; throws XlsxError for anything that is not a readable zip. */
export function zipEntries(zip: Uint8Array): Map<string, ZipEntry> {
  if (OLE2.every((byte, i) => zip[i] === byte)) {
    throw new XlsxError('it is password-protected or an old .xls workbook: save it as .xlsx without a password', 'xlsx-encrypted');
  }
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - END_RECORD_SIZE;
  const stop = Math.max(0, end - MAX_COMMENT);
  while (end >= stop && view.getUint32(end, true) !== END_RECORD) end--;
  if (end < stop) throw new XlsxError('it is not a zip archive, as an .xlsx file is (if it is CSV text, name it .csv)');
  const count = view.getUint16(end + 10, true);
  const directoryOffset = view.getUint32(end + 16, true);
  if (view.getUint16(end + 4, true) !== 0 || count === 0xffff || directoryOffset === 0xffffffff) {
    throw new XlsxError('it is a split or ZIP64 archive, which a workbook never needs');
  }
  const entries = new Map<string, ZipEntry>();
  const names = new TextDecoder();
  let at = directoryOffset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > end || view.getUint32(at, true) !== CENTRAL_HEADER) throw new XlsxError('its zip directory is damaged');
    const flags = view.getUint16(at + 8, true);
    const nameLength = view.getUint16(at + 28, true);
    const entry: ZipEntry = {
      name: names.decode(zip.subarray(at + 46, at + 46 + nameLength)).replace(/^\//, ''),
      method: view.getUint16(at + 10, true),
      crc: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      localOffset: view.getUint32(at + 42, true),
    };
    if (flags & 1) throw new XlsxError('it is encrypted: save it as .xlsx without a password', 'xlsx-encrypted');
    if (entry.localOffset + 30 + entry.compressedSize > directoryOffset) throw new XlsxError('its zip directory is damaged');
    entries.set(entry.name, entry);
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return entries;
}

/** The compressed bytes of an entry (after its local header). */
function dataOf(zip: Uint8Array, entry: ZipEntry, part: string): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const local = entry.localOffset;
  if (view.getUint32(local, true) !== LOCAL_HEADER) throw new XlsxError(`${part} is damaged`);
  const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
  if (start + entry.compressedSize > zip.length) throw new XlsxError(`${part} is damaged`);
  if (entry.method !== 0 && entry.method !== 8) throw new XlsxError(`${part} uses an unsupported compression`);
  if (entry.method === 0 && entry.size !== entry.compressedSize) throw new XlsxError(`${part} is damaged`);
  return zip.subarray(start, start + entry.compressedSize);
}

/**
 * An entry's bytes, whole: for the small parts of a workbook (the caller checks
 * entry.size first). `part` names it in messages (entry names are not quoted:
 * anyone can write them).
 */
export function inflateEntry(zip: Uint8Array, entry: ZipEntry, part: string): Buffer {
  const data = dataOf(zip, entry, part);
  let bytes: Buffer;
  if (entry.method === 0) bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  else {
    try {
      // One byte more than declared tells a lie apart from an exact fit.
      bytes = inflateRawSync(data, { maxOutputLength: entry.size + 1 });
    } catch {
      throw new XlsxError(`${part} is damaged or larger than it declares`);
    }
  }
  if (bytes.length !== entry.size || crc32(bytes) !== entry.crc) throw new XlsxError(`${part} is damaged or larger than it declares`);
  return bytes;
}

/** An entry's bytes in chunks as they inflate, so a large sheet never sits in memory whole. */
export async function* streamEntry(zip: Uint8Array, entry: ZipEntry, part: string): AsyncGenerator<Buffer> {
  const data = dataOf(zip, entry, part);
  if (entry.method === 0) {
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    if (crc32(bytes) !== entry.crc) throw new XlsxError(`${part} is damaged`);
    yield bytes;
    return;
  }
  const inflater = createInflateRaw({ chunkSize: 256 * 1024 });
  inflater.end(data);
  let size = 0;
  let crc = 0;
  const chunks = (inflater as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next;
      try {
        next = await chunks.next();
      } catch {
        throw new XlsxError(`${part} is damaged`);
      }
      if (next.done) break;
      size += next.value.length;
      if (size > entry.size) throw new XlsxError(`${part} is larger than it declares`);
      crc = crc32(next.value, crc);
      yield next.value;
    }
  } finally {
    inflater.destroy();
  }
  // Rows already read are void: the caller rejects the whole file.
  if (size !== entry.size || crc !== entry.crc) throw new XlsxError(`${part} is damaged`);
}
