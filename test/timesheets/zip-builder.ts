/**
 * Hand-made zip archives and workbooks for the XLSX reader's tests: parts exceljs
 * never writes (prefixed XML, inline strings, shared strings in any order) and
 * archives that lie (declared sizes, zip bombs).
 */
import { crc32, deflateRawSync } from 'node:zlib';

/** A part's content as deflated bytes, with the size and CRC-32 of what they inflate to. */
export interface Deflated {
  bytes: Uint8Array;
  size: number;
  crc: number;
}

export interface ZipPart {
  name: string;
  data: Uint8Array | string | Deflated;
  /** The uncompressed size to declare, if not the true one. */
  declaredSize?: number;
}

/** `data` deflated, with its size and CRC-32. */
export function deflated(data: Uint8Array | string): Deflated {
  const bytes = Buffer.from(data);
  return { bytes: deflateRawSync(bytes), size: bytes.length, crc: crc32(bytes) };
}

/** A zip archive of the parts, deflated, with a central directory. */
export function zipOf(parts: ZipPart[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const content = typeof part.data === 'string' || part.data instanceof Uint8Array ? deflated(part.data) : part.data;
    const compressed = Buffer.from(content.bytes);
    const name = Buffer.from(part.name);
    const size = part.declaredSize ?? content.size;
    const crc = content.crc;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

const RELS_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const DOC_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

/** The parts of a one-sheet workbook around the given sheet XML (and optional shared strings and styles). */
export function workbookParts(sheetData: string, extra: { sharedStrings?: string; styles?: string; date1904?: boolean } = {}): ZipPart[] {
  const rels = [`<Relationship Id="rId1" Type="${DOC_NS}/worksheet" Target="worksheets/sheet1.xml"/>`];
  const parts: ZipPart[] = [
    { name: '_rels/.rels', data: `<?xml version="1.0"?><Relationships xmlns="${RELS_NS}"><Relationship Id="rId1" Type="${DOC_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>` },
    {
      name: 'xl/workbook.xml',
      data: `<?xml version="1.0"?><workbook xmlns="${MAIN_NS}" xmlns:r="${DOC_NS}">${extra.date1904 ? '<workbookPr date1904="1"/>' : ''}<sheets><sheet name="Ark1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    },
    { name: 'xl/worksheets/sheet1.xml', data: `<?xml version="1.0"?><worksheet xmlns="${MAIN_NS}"><sheetData>${sheetData}</sheetData></worksheet>` },
  ];
  if (extra.sharedStrings !== undefined) {
    rels.push(`<Relationship Id="rId2" Type="${DOC_NS}/sharedStrings" Target="sharedStrings.xml"/>`);
    parts.push({ name: 'xl/sharedStrings.xml', data: `<?xml version="1.0"?><sst xmlns="${MAIN_NS}">${extra.sharedStrings}</sst>` });
  }
  if (extra.styles !== undefined) {
    rels.push(`<Relationship Id="rId3" Type="${DOC_NS}/styles" Target="styles.xml"/>`);
    parts.push({ name: 'xl/styles.xml', data: `<?xml version="1.0"?><styleSheet xmlns="${MAIN_NS}">${extra.styles}</styleSheet>` });
  }
  parts.push({ name: 'xl/_rels/workbook.xml.rels', data: `<?xml version="1.0"?><Relationships xmlns="${RELS_NS}">${rels.join('')}</Relationships>` });
  return parts;
}

/** A row of inline-string cells (`null` leaves a cell out). */
export function inlineRow(line: number, cells: (string | null)[]): string {
  const xml = cells.map((text, i) => (text === null ? '' : `<c r="${String.fromCharCode(65 + i)}${line}" t="inlineStr"><is><t>${text}</t></is></c>`));
  return `<row r="${line}">${xml.join('')}</row>`;
}
