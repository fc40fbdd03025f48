import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { handleApiRequest, type ApiDependencies, type ApiRequest } from '../../shared/api/api.ts';
import { MAX_HOURS_EXPORT_ROWS } from '../../shared/api/exports.ts';
import { createLogger } from '../../shared/logger.ts';
import { recalculateStatement } from '../../shared/statements/recalculate-statement.ts';
import { series, testContract, week } from '../simulation/builders.ts';
import { inMemoryStores, reportStatus } from '../statements/in-memory-stores.ts';

/*
 * The file routes of the API (statement and weekly hours as XLSX and Danish CSV)
 * over in-memory stores: the access rules of their JSON routes, the headers that
 * make a browser save the file, binary bodies base64-encoded, bounded sizes.
 */

const { world, deps: recalculation, stores } = inMemoryStores(testContract());
const HOLDER = { sub: 'h', 'cognito:groups': ['holder'] };
const OWN = { sub: 'm', 'cognito:groups': ['municipality'], 'custom:municipality': 'Testby' };
const OTHER = { sub: 'o', 'cognito:groups': ['municipality'], 'custom:municipality': 'Andetby' };

let deps: ApiDependencies;
/** A GET as `claims` (null: without a token). */
const get = (path: string, claims: Record<string, unknown> | null = HOLDER, query: ApiRequest['query'] = {}) =>
  handleApiRequest({ method: 'GET', path, query, headers: {}, claims: claims ?? undefined }, deps);

beforeAll(async () => {
  world.weeks = [...series('P1', '2024-W02', 6, { ordinary: 20 }), week('P2', '2024-W03', { training: 7.5 })];
  world.statuses = [reportStatus('2024-01', 'a', '0003')];
  await recalculateStatement('test', '2024-01', recalculation({ runs: 20 }));
  const { hours, partnerships } = stores;
  deps = {
    hours,
    partnerships: Object.assign(Object.create(partnerships), { partnerships: async () => [{ partnership: 'test', name: 'Testpartnerskab', municipality: 'Testby' }] }),
    presignUpload: async () => ({ url: '', expiresIn: 0 }),
    log: createLogger('test', () => {}),
  };
});

describe('statement files', () => {
  it('XLSX: an attachment, base64 for API Gateway, that exceljs opens with the statement sheets', async () => {
    const response = await get('/partnerships/test/statements/2024-01/export.xlsx', OWN);
    expect(response.status).toBe(200);
    expect(response.headers).toEqual({
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': 'attachment; filename="opgoerelse-test-2024-01.xlsx"',
    });
    expect(response.isBase64Encoded).toBe(true);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(response.body, 'base64') as never);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Oversigt', 'Resultater', 'Måneder', 'Grundlag']);
  });

  it('CSV: the Danish CSV as text, with a BOM and `;`', async () => {
    const response = await get('/partnerships/test/statements/2024-01/export.csv', OWN);
    expect([response.status, response.isBase64Encoded, response.headers['content-type']]).toEqual([200, false, 'text/csv; charset=utf-8']);
    expect(response.headers['content-disposition']).toBe('attachment; filename="opgoerelse-test-2024-01.csv"');
    expect(response.body).toMatch(/^\uFEFFOversigt\r\n.*\r\nOplysning;Værdi\r\n/);
  });

  it("another municipality's statement is a 404 exactly like a missing partnership; a missing month 404, a bad one 400", async () => {
    for (const format of ['xlsx', 'csv']) {
      const other = await get(`/partnerships/test/statements/2024-01/export.${format}`, OTHER);
      const missing = await get(`/partnerships/nowhere/statements/2024-01/export.${format}`, OTHER);
      expect([other.status, missing.status]).toEqual([404, 404]);
      expect(JSON.parse(other.body).message.replace('test', 'X')).toBe(JSON.parse(missing.body).message.replace('nowhere', 'X'));
      expect((await get(`/partnerships/test/statements/2023-12/export.${format}`)).status).toBe(404);
      expect((await get(`/partnerships/test/statements/2024-13/export.${format}`)).status).toBe(400);
      expect((await get(`/partnerships/test/statements/2024-01/export.${format}`, null)).status).toBe(401);
    }
  });
});

describe('weekly hours files', () => {
  it('are for the project holder only (403 for a municipality, even its own partnership)', async () => {
    for (const format of ['xlsx', 'csv']) expect((await get(`/partnerships/test/hours.${format}`, OWN)).status).toBe(403);
  });

  it('hold the weeks from–to, named in the file name; an unknown query field is a 400', async () => {
    const all = await get('/partnerships/test/hours.csv');
    const some = await get('/partnerships/test/hours.csv', HOLDER, { from: '2024-W04', to: '2024-W05' });
    expect(some.headers['content-disposition']).toBe('attachment; filename="timer-test-fra-2024-W04-til-2024-W05.csv"');
    const rows = (csv: string) => Papa.parse<string[]>(csv.slice(1), { delimiter: ';' }).data.filter((cells) => /^P\d$/.test(cells[0]!));
    expect(rows(all.body)).toHaveLength(world.weeks.length);
    expect(rows(some.body).map((cells) => cells[1])).toEqual(['uge 4, 2024', 'uge 5, 2024']);
    expect((await get('/partnerships/test/hours.xlsx', HOLDER, { threshold: '5' })).status).toBe(400);
    const xlsx = await get('/partnerships/test/hours.xlsx');
    expect([xlsx.status, xlsx.isBase64Encoded, xlsx.headers['content-disposition']]).toEqual([200, true, 'attachment; filename="timer-test.xlsx"']);
  });

  it(`are refused with 422 over ${MAX_HOURS_EXPORT_ROWS} participant-weeks, asking for fewer weeks`, async () => {
    const saved = world.weeks;
    world.weeks = Array.from({ length: MAX_HOURS_EXPORT_ROWS + 1 }, (_, i) => week(`P${i}`, '2024-W02', { ordinary: 1 }));
    try {
      const response = await get('/partnerships/test/hours.xlsx');
      expect(response.status).toBe(422);
      expect(JSON.parse(response.body).message).toMatch(/from and to/);
      world.weeks = world.weeks.slice(1);
      expect((await get('/partnerships/test/hours.csv')).status).toBe(200);
    } finally {
      world.weeks = saved;
    }
  });
});
