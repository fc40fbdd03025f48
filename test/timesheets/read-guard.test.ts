/**
 * readTimesheet's promise: nothing it reads makes it throw. Failures of the body
 * itself (network, disk) still propagate, so the caller can retry them.
 */
import { describe, expect, it } from 'vitest';
import { readTimesheet } from '../../shared/timesheets/read-timesheet.ts';
import { bodyOf, csv, rejectedWhole } from '../fixtures/timesheets/helpers.ts';

const SHEET = csv(['deltager,dato,timer,aktivitet', 'P1,2024-01-15,7,praktik']);

describe('readTimesheet never throws for what it reads', () => {
  it.each(['csv', 'xlsx'] as const)('an unforeseen error while reading a %s becomes a rejection naming its kind and place, not its message', async (format) => {
    const secret = '010190-1234';
    const bug = (participant: string): string => {
      throw new TypeError(`bug while reading ${participant} ${secret}`);
    };
    const body = format === 'csv' ? bodyOf(SHEET) : bodyOf(await xlsxOf(SHEET));
    const reason = rejectedWhole(await readTimesheet({ name: `r.${format}`, body, month: '2024-01' }, { pseudonymise: bug }));
    expect(reason).toMatch(/^could not be read \(internal error: TypeError at read-guard\.test\.ts:\d+\); please report it$/);
    expect(reason).not.toContain(secret);
  });

  it.each(['csv', 'xlsx'] as const)('a failing %s body propagates its own error, for a retry', async (format) => {
    const failure = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    async function* broken() {
      yield new TextEncoder().encode(format === 'csv' ? 'deltager,timer,aktivitet\n' : 'PK');
      throw failure;
    }
    await expect(readTimesheet({ name: `r.${format}`, body: broken(), month: '2024-01' }, { pseudonymise: (p) => p })).rejects.toBe(failure);
  });
});

/** A workbook of the CSV's cells (as text). */
async function xlsxOf(text: string): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Ark1');
  for (const line of text.trim().split('\n')) ws.addRow(line.split(','));
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
