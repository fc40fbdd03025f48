import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { COMPRESS_FROM_BYTES, handleApiRequest, type ApiDependencies } from '../../shared/api/api.ts';
import { HOURS_WINDOW_WEEKS } from '../../shared/api/hours-page.ts';
import { foldDanish, type PartnershipEntry } from '../../shared/api/listings.ts';
import { compareText, encodeCursor, pageAfter } from '../../shared/api/pages.ts';
import type { StatementSummary } from '../../shared/statements/statement-summary.ts';
import { addWeeks, rosterRow, series, testContract } from '../simulation/builders.ts';
import { reportStatus } from '../statements/in-memory-stores.ts';
import { inMemoryApi } from './in-memory-api.ts';

/*
 * Every list route in pages (shared/api/pages.ts): following nextCursor yields
 * each entry exactly once and in order, a page stays within its limits, a cursor
 * that is not ours or belongs to another listing is a 400 naming the cursor.
 */

const HOLDER = { sub: 'h', 'cognito:groups': ['holder'] };
const get = (deps: ApiDependencies, path: string, query: Record<string, string> = {}, claims: Record<string, unknown> = HOLDER) =>
  handleApiRequest({ method: 'GET', path, query, headers: {}, claims }, deps);

/** Every page of a list route from the first, following nextCursor with `query` repeated. */
async function allPages(deps: ApiDependencies, path: string, query: Record<string, string> = {}, claims?: Record<string, unknown>) {
  const pages: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const response = await get(deps, path, { ...query, ...(cursor ? { cursor } : {}) }, claims);
    expect(response.status, response.body).toBe(200);
    const body = JSON.parse(response.body);
    pages.push(body);
    cursor = body.nextCursor;
  } while (cursor);
  return pages;
}

const MUNICIPALITIES = ['Køge', 'Århus', 'Ærø', 'Odsherred', 'Stevns', 'Holbæk', 'Aabenraa', 'Brøndby'];

/** 103 partnerships over 8 municipalities, most with a statement summary (net and projection), a few without. */
function nationalApi() {
  const { deps } = inMemoryApi(testContract());
  const registry = Array.from({ length: 103 }, (_, i) => {
    const municipality = MUNICIPALITIES[i % MUNICIPALITIES.length]!;
    return { partnership: `p-${String(i).padStart(3, '0')}`, name: `${municipality} partnerskab ${i}`, municipality };
  });
  const summaries: StatementSummary[] = registry
    .filter((_, i) => i % 10 !== 3)
    .map((p, i) => ({
      partnership: p.partnership,
      months: ['2022-08', '2022-09'],
      latest: { month: '2022-09', net: ((i * 7919) % 2001) * 1000 - 1_000_000, projection: i % 4 === 0 ? null : { net: { p10: -i, p50: (i * 31) % 97, p90: 1000 + i }, probabilityNetNonNegative: 0.5 }, computedAt: '2022-10-01T06:00:00.000Z', inputsStamp: 's' },
    }));
  deps.partnerships = { ...deps.partnerships, partnerships: async () => registry, statementSummaries: async () => summaries };
  return { deps, registry };
}

describe('GET /partnerships: 100 and more, searched, sorted, in pages', () => {
  const { deps, registry } = nationalApi();

  it('pages through every partnership exactly once, in name order, each with its newest net and projection (and no internal stamp)', async () => {
    const pages = await allPages(deps, '/partnerships', { limit: '25' });
    expect(pages.map((p) => (p.partnerships as unknown[]).length)).toEqual([25, 25, 25, 25, 3]);
    const seen = pages.flatMap((p) => p.partnerships as PartnershipEntry[]);
    expect(seen.map((p) => p.partnership).sort()).toEqual(registry.map((p) => p.partnership).sort());
    const names = seen.map((p) => p.name);
    expect(names).toEqual([...names].sort(new Intl.Collator('da').compare));
    expect(pages.every((p) => p.total === registry.length)).toBe(true);
    const first = seen.find((p) => p.partnership === 'p-000')!;
    expect(first.statementMonths).toEqual(['2022-08', '2022-09']);
    expect(first.latest).toEqual({ month: '2022-09', net: -1_000_000, projection: null, computedAt: '2022-10-01T06:00:00.000Z' });
    expect(seen.find((p) => p.partnership === 'p-003')!.latest).toBeNull();
  });

  it('finds Danish names typed without Danish letters ("koge" finds Køge, "arhus" Århus, "aero" Ærø, "abenra" Aabenraa)', async () => {
    for (const [typed, municipality] of [['koge', 'Køge'], ['KØGE', 'Køge'], ['arhus', 'Århus'], ['aero', 'Ærø'], ['abenra', 'Aabenraa'], ['brondby', 'Brøndby']] as const) {
      const found = (await allPages(deps, '/partnerships', { q: typed, limit: '5' })).flatMap((p) => p.partnerships as PartnershipEntry[]);
      expect(found.length, typed).toBe(registry.filter((p) => p.municipality === municipality).length);
      expect(found.every((p) => p.municipality === municipality), typed).toBe(true);
    }
    expect(foldDanish('Køge')).toBe(foldDanish('koge'));
  });

  it('sorts by latest net and by projected P50, either way, with partnerships without a statement last', async () => {
    for (const order of ['asc', 'desc'] as const) {
      for (const [sort, value] of [['net', (p: PartnershipEntry) => p.latest?.net], ['projection', (p: PartnershipEntry) => p.latest?.projection?.net.p50]] as const) {
        const seen = (await allPages(deps, '/partnerships', { sort, order, limit: '30' })).flatMap((p) => p.partnerships as PartnershipEntry[]);
        expect(seen).toHaveLength(registry.length);
        const values = seen.map(value);
        const known = values.filter((v): v is number => v !== undefined);
        expect(values.slice(known.length).every((v) => v === undefined), `${sort} ${order}: no value last`).toBe(true);
        expect(known).toEqual([...known].sort((a, b) => (order === 'asc' ? a - b : b - a)));
      }
    }
  });

  it('a municipality sees only its own, searched and paged alike', async () => {
    const koege = { sub: 'k', 'cognito:groups': ['municipality'], 'custom:municipality': 'Køge' };
    const seen = (await allPages(deps, '/partnerships', { limit: '4' }, koege)).flatMap((p) => p.partnerships as PartnershipEntry[]);
    expect(new Set(seen.map((p) => p.municipality))).toEqual(new Set(['Køge']));
  });

  it('refuses a cursor that is not ours, or one from a listing with another search or sort, with a 400 naming the cursor', async () => {
    const first = JSON.parse((await get(deps, '/partnerships', { q: 'koge', limit: '2' })).body);
    for (const query of [{ cursor: 'not a cursor!' }, { cursor: encodeCursor({ q: '', sort: 'name', order: 'asc' }) }, { cursor: 'x'.repeat(3000) }, { cursor: first.nextCursor, q: 'stevns' }, { cursor: first.nextCursor, sort: 'net' }] as Record<string, string>[]) {
      const response = await get(deps, '/partnerships', query);
      expect(response.status, JSON.stringify(query)).toBe(400);
      expect(JSON.parse(response.body).problems.join(' ')).toMatch(/^cursor: /);
    }
    expect((await get(deps, '/partnerships', { cursor: first.nextCursor, q: 'koge' })).status).toBe(200);
    expect((await get(deps, '/partnerships', { sort: 'size' })).status).toBe(400);
    expect((await get(deps, '/partnerships', { limit: '101' })).status).toBe(400);
  });
});

describe('GET /partnerships/{id}/hours: a default window and pages of participants', () => {
  const { world, deps } = inMemoryApi(testContract());
  // 30 participants with 40 weeks of hours each, two more on the roster only
  world.weeks = Array.from({ length: 30 }, (_, i) => series(`P${String(i).padStart(2, '0')}`, '2024-W02', 40, (w) => ({ ordinary: 10 + ((i + w) % 20) }))).flat();
  world.roster = [...Array.from({ length: 30 }, (_, i) => rosterRow(`P${String(i).padStart(2, '0')}`, '2024-01-08')), rosterRow('Q-late', '2024-09-30'), rosterRow('Q-none', '2024-02-05')];
  const lastWeek = addWeeks('2024-W02', 39);

  it(`answers the last ${HOURS_WINDOW_WEEKS} weeks up to the newest report month's end without from and to, and says which weeks exist`, async () => {
    const [page] = await allPages(deps, '/partnerships/test/hours');
    const weeks = [...new Set((page!.weeks as { week: string }[]).map((w) => w.week))].sort();
    expect(page!.available).toEqual({ from: '2024-W01', to: page!.to });
    expect(weeks.at(-1)).toBe(lastWeek);
    expect(weeks).toHaveLength(HOURS_WINDOW_WEEKS - (Number((page!.to as string).slice(6)) - Number(lastWeek.slice(6))));
    expect(page!.from).toBe(addWeeks(page!.to as string, -(HOURS_WINDOW_WEEKS - 1)));
  });

  it('pages participants with all their weeks in the window and their roster entries; each participant once, flags whole', async () => {
    const whole = JSON.parse((await get(deps, '/partnerships/test/hours', { from: '2024-W01' })).body);
    expect(whole.nextCursor).toBeNull();
    const pages = await allPages(deps, '/partnerships/test/hours', { from: '2024-W01', limit: '7', threshold: '20' });
    expect(pages.length).toBe(5);
    const roster = pages.flatMap((p) => p.roster as { participant: string }[]).map((r) => r.participant);
    expect(roster).toEqual([...world.roster.map((r) => r.participant)].sort());
    for (const page of pages) {
      const people = new Set((page.roster as { participant: string }[]).map((r) => r.participant));
      expect((page.weeks as { participant: string }[]).every((w) => people.has(w.participant))).toBe(true);
    }
    expect(pages.flatMap((p) => p.weeks as unknown[])).toHaveLength(30 * 40);
    const flags = pages.flatMap((p) => p.participants as { participant: string; belowThreshold: boolean }[]);
    const wholeFlags = JSON.parse((await get(deps, '/partnerships/test/hours', { from: '2024-W01', threshold: '20' })).body).participants;
    expect(flags).toEqual(wholeFlags);
  });

  it('a large answer is gzipped for a client that accepts gzip, the same bytes in plain for one that does not', async () => {
    const ask = (headers: Record<string, string>) => handleApiRequest({ method: 'GET', path: '/partnerships/test/hours', query: { from: '2024-W01' }, headers, claims: HOLDER }, deps);
    const [plain, zipped] = await Promise.all([ask({}), ask({ 'accept-encoding': 'gzip, deflate, br' })]);
    expect(plain.body.length).toBeGreaterThan(COMPRESS_FROM_BYTES);
    expect([plain.headers['content-encoding'], plain.isBase64Encoded]).toEqual([undefined, undefined]);
    expect([zipped.headers['content-encoding'], zipped.headers.vary, zipped.isBase64Encoded]).toEqual(['gzip', 'accept-encoding', true]);
    expect(gunzipSync(Buffer.from(zipped.body, 'base64')).toString('utf8')).toBe(plain.body);
    expect(zipped.body.length).toBeLessThan(plain.body.length / 5);
    const small = await handleApiRequest({ method: 'GET', path: '/partnerships/test/statements', query: {}, headers: { 'accept-encoding': 'gzip' }, claims: HOLDER }, deps);
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it('keeps the window of the first page in its cursor and refuses another with it', async () => {
    const first = JSON.parse((await get(deps, '/partnerships/test/hours', { from: '2024-W10', to: '2024-W12', limit: '3' })).body);
    const next = JSON.parse((await get(deps, '/partnerships/test/hours', { cursor: first.nextCursor })).body);
    expect([next.from, next.to]).toEqual(['2024-W10', '2024-W12']);
    expect(new Set((next.weeks as { week: string }[]).map((w) => w.week))).toEqual(new Set(['2024-W10', '2024-W11', '2024-W12']));
    const other = await get(deps, '/partnerships/test/hours', { cursor: first.nextCursor, from: '2024-W11' });
    expect(other.status).toBe(400);
    expect(JSON.parse(other.body).problems).toEqual([expect.stringMatching(/^cursor: belongs to a listing with another from or to/)]);
  });
});

describe('GET /partnerships/{id}/reports and /statements in pages', () => {
  const { world, deps } = inMemoryApi(testContract());
  world.statuses = Array.from({ length: 36 }, (_, m) => ['a', 'b'].flatMap((source) => ['0001', '0002'].map((seq) => reportStatus(`20${22 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`, source, seq, { current: seq === '0002' })))).flat();

  it('every version once, in order, within the limit; month and source narrow it', async () => {
    const pages = await allPages(deps, '/partnerships/test/reports', { limit: '50' });
    expect(pages.map((p) => (p.reports as unknown[]).length)).toEqual([50, 50, 44]);
    const seen = pages.flatMap((p) => p.reports as { month: string; source: string; sequencer: string }[]).map((r) => `${r.month}#${r.source}#${r.sequencer}`);
    expect(seen).toEqual(world.statuses.map((r) => `${r.month}#${r.source}#${r.sequencer}`).sort((a, b) => a.slice(0, 9).localeCompare(b.slice(0, 9)) || b.localeCompare(a)));
    const one = JSON.parse((await get(deps, '/partnerships/test/reports', { month: '2023-02', source: 'b' })).body);
    expect(one.reports.map((r: { sequencer: string }) => r.sequencer)).toEqual(['0002', '0001']);
    expect(one.inputs).toEqual([]);
  });

  it('statement months in pages', async () => {
    for (const month of ['2024-01', '2024-02', '2024-03']) world.statements.set(month, {} as never);
    const pages = await allPages(deps, '/partnerships/test/statements', { limit: '2' });
    expect(pages.map((p) => p.months)).toEqual([['2024-01', '2024-02'], ['2024-03']]);
    expect(pages[0]!.name).toBe(testContract().name);
  });
});

describe('pageAfter (property)', () => {
  it('following the next keys yields every entry once, in order, no page over its limits (one entry at least)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 30 })), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 200 }), (keys, limit, maxBytes) => {
        const sorted = [...keys].sort();
        const seen: string[] = [];
        let after: string | undefined;
        for (;;) {
          const page = pageAfter(sorted, (k) => k, compareText, after, limit, { maxBytes });
          expect(page.entries.length).toBeLessThanOrEqual(limit);
          if (page.entries.length > 1) expect(page.entries.reduce((n, k) => n + Buffer.byteLength(JSON.stringify(k)), 0)).toBeLessThanOrEqual(maxBytes);
          seen.push(...page.entries);
          if (page.next === undefined) break;
          expect(page.entries.length).toBeGreaterThan(0);
          after = page.next;
        }
        expect(seen).toEqual(sorted);
      }),
    );
  });
});
