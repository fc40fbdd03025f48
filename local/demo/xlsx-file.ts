import ExcelJS from 'exceljs';
import { monthRange } from '../../shared/weeks/iso-week.ts';
import type { Cell } from './timesheet-files.ts';

/*
 * A company's workbook (.xlsx), written by exceljs and then made deterministic:
 * exceljs stamps every zip entry with the current time, and a scenario must be
 * byte-identical for a seed.
 */

/** A workbook with one sheet "Timer" holding `table`, as sent on the 3rd of the month after `month`. */
export async function xlsxBytes(table: Cell[][], month: string): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sent = new Date(monthRange(month).last * 86_400_000 + 86_400_000 * 3 + 9 * 3_600_000); // the 3rd of the next month, 09:00
  workbook.creator = 'pbr scenario';
  workbook.lastModifiedBy = 'pbr scenario';
  workbook.created = sent;
  workbook.modified = sent;
  const sheet = workbook.addWorksheet('Timer');
  sheet.addRows(table);
  sheet.getRow(1).font = { bold: true };
  const dateColumn = table[0]!.findIndex((name) => String(name).toLowerCase() === 'dato');
  if (dateColumn >= 0) sheet.getColumn(dateColumn + 1).numFmt = 'dd-mm-yyyy';
  sheet.columns.forEach((column) => (column.width = 16));
  return stampedZip(new Uint8Array(await workbook.xlsx.writeBuffer()), sent);
}

/** One file of the archive: its local header with data, and its central directory record. */
interface RawEntry {
  name: string;
  local: Uint8Array;
  central: Uint8Array;
}

/**
 * The zip exceljs produced, with every entry's DOS time set to `when` (the times
 * are in the headers, outside the CRCs), and without the directory entries exceljs
 * adds and Excel does not. Entries stay in exceljs's order (the workbook after its
 * sheets): the ingest reads the central directory, so any order reads the same.
 */
function stampedZip(zip: Uint8Array, when: Date): Uint8Array {
  const time = (when.getUTCHours() << 11) | (when.getUTCMinutes() << 5) | Math.floor(when.getUTCSeconds() / 2);
  const date = ((when.getUTCFullYear() - 1980) << 9) | ((when.getUTCMonth() + 1) << 5) | when.getUTCDate();
  const { entries, endRecord } = rawEntries(zip);
  const out = new Uint8Array(entries.reduce((sum, e) => sum + e.local.length + e.central.length, 22));
  const writer = new DataView(out.buffer);
  const offsets: number[] = [];
  let pos = 0;
  for (const entry of entries) {
    offsets.push(pos);
    out.set(entry.local, pos);
    writer.setUint16(pos + 10, time, true);
    writer.setUint16(pos + 12, date, true);
    pos += entry.local.length;
  }
  const directory = pos;
  entries.forEach((entry, i) => {
    out.set(entry.central, pos);
    writer.setUint16(pos + 12, time, true);
    writer.setUint16(pos + 14, date, true);
    writer.setUint32(pos + 42, offsets[i]!, true);
    pos += entry.central.length;
  });
  out.set(endRecord, pos); // comment length 0 from exceljs
  writer.setUint16(pos + 8, entries.length, true);
  writer.setUint16(pos + 10, entries.length, true);
  writer.setUint32(pos + 12, pos - directory, true);
  writer.setUint32(pos + 16, directory, true);
  writer.setUint16(pos + 20, 0, true);
  return out;
}

/** The file entries of an exceljs zip (directory entries left out) and its end record. */
function rawEntries(zip: Uint8Array): { entries: RawEntry[]; endRecord: Uint8Array } {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new Error('scenario: exceljs wrote no zip end record');
  const entries: RawEntry[] = [];
  let at = view.getUint32(end + 16, true);
  for (let n = view.getUint16(end + 10, true); n > 0; n--) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new Error('scenario: unexpected zip central directory');
    if (view.getUint16(at + 8, true) & 8) throw new Error('scenario: zip entries with data descriptors are not expected');
    const nameLength = view.getUint16(at + 28, true);
    const centralLength = 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    const local = view.getUint32(at + 42, true);
    const localLength = 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true) + view.getUint32(at + 20, true);
    if (!name.endsWith('/')) entries.push({ name, local: zip.slice(local, local + localLength), central: zip.slice(at, at + centralLength) });
    at += centralLength;
  }
  return { entries, endRecord: zip.subarray(end, end + 22) };
}
