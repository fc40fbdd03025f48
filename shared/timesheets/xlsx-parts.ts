/**
 * The parts of an XLSX workbook around its sheets, parsed whole (each is small and
 * size-checked by the caller): relationships, the workbook part, shared strings and
 * the styles that make a number a date. Also the streaming XML parser the sheet
 * reader uses.
 */
import { SaxesParser } from 'saxes';
import { XlsxError } from './zip-archive.ts';

type Attributes = Record<string, string>;
interface XmlHandlers {
  open?(name: string, attributes: Attributes): void;
  text?(text: string): void;
  close?(name: string): void;
}

/**
 * A streaming XML parser that reports local names (`x:row` → `row`). Malformed
 * text or XML throws XlsxError naming the part; what the handlers throw passes
 * through unchanged (an XlsxError, or a bug of ours that must stay visible).
 */
export function xmlParser(label: string, handlers: XmlHandlers): { write(bytes: Uint8Array): void; end(): void } {
  const parser = new SaxesParser({ position: false });
  let thrown: unknown;
  const mark = <A extends unknown[]>(handler: (...args: A) => void) => (...args: A) => {
    try {
      handler(...args);
    } catch (error) {
      thrown = error;
      throw error;
    }
  };
  const local = (name: string) => name.slice(name.indexOf(':') + 1);
  const { open, text, close } = handlers;
  if (open) parser.on('opentag', mark((tag) => open(local(tag.name), tag.attributes as Attributes)));
  if (close) parser.on('closetag', mark((tag) => close(local(tag.name))));
  if (text) {
    parser.on('text', mark(text));
    parser.on('cdata', mark(text));
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const feed = (decode: () => string, end: boolean) => {
    let chunk: string;
    try {
      chunk = decode();
    } catch {
      throw new XlsxError(`${label} is not UTF-8 text`);
    }
    try {
      parser.write(chunk);
      if (end) parser.close();
    } catch (error) {
      if (error === thrown) throw error;
      throw new XlsxError(`${label} is not well-formed XML`);
    }
  };
  return {
    write: (bytes) => feed(() => decoder.decode(bytes, { stream: true }), false),
    end: () => feed(() => decoder.decode(), true),
  };
}

/** Parses a part held whole. */
function parseXml(bytes: Buffer, label: string, handlers: XmlHandlers): void {
  const parser = xmlParser(label, handlers);
  parser.write(bytes);
  parser.end();
}

/** Spreadsheet strings escape characters XML cannot hold as `_xHHHH_` (`_x000D_` is a CR). */
export function unescapeText(text: string): string {
  return text.includes('_x') ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
}

/** Where the package's main document (the workbook) is. */
export function officeDocument(rels: Buffer | undefined): string {
  if (!rels) return 'xl/workbook.xml';
  return relationships(rels, '').byType.get('officeDocument') ?? 'xl/workbook.xml';
}

/** `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`. */
export function relsNameOf(name: string): string {
  const slash = name.lastIndexOf('/');
  return `${name.slice(0, slash + 1)}_rels/${name.slice(slash + 1)}.rels`;
}

/** A relationship target as a zip entry name, relative to the part that holds it. */
function resolveTarget(target: string, from: string): string {
  const segments = target.startsWith('/') ? [] : from.split('/').slice(0, -1);
  for (const segment of target.split('/')) {
    if (segment === '..') segments.pop();
    else if (segment !== '' && segment !== '.') segments.push(segment);
  }
  return segments.join('/');
}

/** A part's relationships: targets by id, and by the last word of their type (`styles`). */
export function relationships(bytes: Buffer, from: string) {
  const byId = new Map<string, string>();
  const byType = new Map<string, string>();
  parseXml(bytes, 'the workbook relationships', {
    open(name, attributes) {
      if (name !== 'Relationship' || attributes.Target === undefined || attributes.TargetMode === 'External') return;
      const target = resolveTarget(attributes.Target, from);
      if (attributes.Id !== undefined) byId.set(attributes.Id, target);
      const type = attributes.Type?.slice(attributes.Type.lastIndexOf('/') + 1);
      if (type && !byType.has(type)) byType.set(type, target);
    },
  });
  return { byId, byType };
}

/** The relationship id of the first sheet (in tab order) and the date system. */
export function parseWorkbook(bytes: Buffer): { firstSheet: string | undefined; date1904: boolean } {
  let firstSheet: string | undefined;
  let date1904 = false;
  parseXml(bytes, 'the workbook part', {
    open(name, attributes) {
      if (name === 'workbookPr') date1904 = attributes.date1904 === '1' || attributes.date1904 === 'true';
      else if (name === 'sheet' && firstSheet === undefined) {
        // The id attribute sits in the relationships namespace, whatever its prefix.
        const key = Object.keys(attributes).find((k) => k.includes(':') && k.slice(k.indexOf(':') + 1) === 'id');
        firstSheet = key === undefined ? '' : attributes[key];
      }
    },
  });
  return { firstSheet, date1904 };
}

/** The shared strings table: plain and rich text flattened, phonetic guides left out. */
export function sharedStrings(bytes: Buffer | undefined): string[] {
  const strings: string[] = [];
  if (!bytes) return strings;
  let text = '';
  let inText = false;
  let phonetic = 0;
  parseXml(bytes, 'the shared strings', {
    open(name) {
      if (name === 'si') text = '';
      else if (name === 'rPh') phonetic++;
      else if (name === 't' && phonetic === 0) inText = true;
    },
    text(value) {
      if (inText) text += value;
    },
    close(name) {
      if (name === 'si') strings.push(unescapeText(text));
      else if (name === 'rPh') phonetic--;
      else if (name === 't') inText = false;
    },
  });
  return strings;
}

/** Excel's built-in number formats that are dates or times. */
const BUILT_IN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** A custom format code shows a date or time when, outside quotes, escapes and brackets, it has y, m, d, h, s or b. */
function isDateFormat(code: string): boolean {
  const bare = code.replace(/"[^"]*"|\\.|[_*].|\[[^\]]*\]/g, '');
  return /[ymdhsb]/i.test(bare) && !/^general$/i.test(bare.trim());
}

/** For each cell style (`s` attribute), whether its number format is a date. */
export function dateStyles(bytes: Buffer | undefined): boolean[] {
  if (!bytes) return [];
  const custom = new Map<number, string>();
  const formats: number[] = [];
  let inCellXfs = false;
  parseXml(bytes, 'the styles', {
    open(name, attributes) {
      if (name === 'numFmt') custom.set(Number(attributes.numFmtId), attributes.formatCode ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) formats.push(Number(attributes.numFmtId ?? 0));
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return formats.map((id) => (custom.has(id) ? isDateFormat(custom.get(id)!) : BUILT_IN_DATE_FORMATS.has(id)));
}

