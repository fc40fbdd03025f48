import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DynamoHoursStore } from '../../shared/adapters/dynamodb-hours-store.ts';
import { DynamoPartnershipStore } from '../../shared/adapters/dynamodb-partnership-store.ts';
import { handleApiRequest, type ApiResponse } from '../../shared/api/api.ts';
import { MAX_HOURS_EXPORT_ROWS } from '../../shared/api/exports.ts';
import { createPseudonymiser } from '../../shared/cpr-numbers.ts';
import { ingestReport } from '../../shared/ingest/ingest-report.ts';
import type { HoursStore, ReportVersionStatus } from '../../shared/ingest/ports.ts';
import { createLogger } from '../../shared/logger.ts';
import type { InputVersionStatus } from '../../shared/partnerships/ports.ts';
import { parseContract } from '../../shared/simulation/contract.ts';
import type { RosterEntry } from '../../shared/simulation/roster-entry.ts';
import { recalculatePartnership } from '../../shared/statements/recalculate-partnership.ts';
import { ACTIVITIES } from '../../shared/weekly-hours/activities.ts';
import type { WeeklyHours } from '../../shared/weekly-hours/weekly-hours.ts';
import { formatDay, isWeekday, mondayOf, monthRange, weekIndexOfDay, weekLabel } from '../../shared/weeks/iso-week.ts';
import { contractOf, feeInstalments } from '../../local/demo/contracts.ts';
import { capturingDocumentClient, itemBytes } from '../adapters/dynamodb-capture.ts';
import { inMemoryStores } from '../statements/in-memory-stores.ts';
import { inMemoryApi } from './in-memory-api.ts';

/*
 * The worst case against AWS's limits, with half of each as the bound:
 * one partnership of 500 participants over 5 years (2020–2024), every one of
 * them in paid work for years (so every outcome, with its evidence, is reached),
 * a third leaving with a reason, some with hours after leaving and some not on
 * the roster (warnings), 3 sources a month each with a corrected version and 100
 * kept reasons (the most a status keeps), and a roster rejected for 5,000 bad
 * rows. Everything the pipeline writes goes through the DynamoDB adapters into a
 * capturing client: no item may pass 200 KB (DynamoDB's limit is 400 KB). Every
 * API answer, each page of every list, stays under 1 MB (the limit is 6 MB).
 */

const ITEM_LIMIT = 200 * 1024;
/** What an answer may weigh as sent to a client that accepts gzip (every browser and fetch). */
const RESPONSE_LIMIT = 1024 * 1024;
/** What it may weigh in plain (a client without gzip): half of Lambda's 6 MB. */
const PLAIN_RESPONSE_LIMIT = 3 * 1024 * 1024;
const PARTICIPANTS = 500;
const START = '2020-01-06';
const END = '2024-12-29';
const SOURCES = ['jobvejen', 'virksomhed-nord', 'uddannelse-syd'];

const pseudonym = createPseudonymiser('limits-test');
const contract = parseContract(
  contractOf('koege', 'Køge', START, END, {
    programmeFee: 12_000_000, cap: 40_000_000, maxPerParticipant: 150_000, deadweight: 0.2, referralFee: 2000, jobStart: 15_000, sustained: 25_000, sustainment: 4000, education: 10_000,
    weeklyRate: 3500, hourlyWage: 160, priorWeeks: 52,
    feeSchedule: feeInstalments(12_000_000, [['2020-01', 40], ['2020-07', 30], ['2021-01', 30]]),
  }),
);
const firstWeek = weekIndexOfDay(monthRange('2020-01').first) + 1;
const lastWeek = weekIndexOfDay(monthRange('2024-12').last) - 1;
const months = Array.from({ length: 60 }, (_, i) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);

/** Participant i: referred in the first year, 26 weeks' training, then paid work (a week off every 11), a third leaving in 2024. */
function worstCase() {
  const roster: RosterEntry[] = [];
  const weeks: WeeklyHours[] = [];
  const hours = (values: Partial<Record<(typeof ACTIVITIES)[number], number>>) => ACTIVITIES.map((a) => Math.round((values[a] ?? 0) * 100));
  for (let i = 0; i < PARTICIPANTS + 20; i++) {
    const participant = pseudonym(`deltager-${i}`);
    const referral = firstWeek + (i % 52);
    const exit = i % 3 === 0 ? lastWeek - 40 + (i % 30) : undefined;
    if (i < PARTICIPANTS) {
      roster.push({
        participant, partnership: 'koege', referralDay: mondayOf(referral) + 2, weeklyBenefit: 3000 + i, priorWeeksOnBenefit: i % 80,
        ...(exit === undefined ? {} : { exitDay: mondayOf(exit) + 3, exitReason: (['employment', 'education', 'unemployed', 'other'] as const)[i % 4] }),
      });
    }
    const until = exit === undefined ? lastWeek : exit + (i % 9 === 0 ? 3 : 0); // some hours after the exit: warnings
    for (let w = referral; w <= until; w++) {
      if ((w - referral) % 11 === 10) continue;
      const training = w - referral < 26;
      const values = training ? { training: 30, internship: (w % 3) + 4 } : i % 7 === 0 ? { education: 25 } : { ordinary: 22 + (w % 15), flexjob: w % 2 ? 5 : 0, training: 2 };
      weeks.push({ participant, week: weekLabel(w), centiHours: hours(values), estimated: w % 5 === 0 });
    }
  }
  return { roster, weeks };
}

/** A month's timesheet from one source, as a job centre would send it: a row per participant and weekday, and 150 bad rows. */
function timesheetCsv(month: string, roster: readonly RosterEntry[]): string {
  const { first, last } = monthRange(month);
  const lines = ['deltager;dato;timer;aktivitet'];
  for (let d = first; d <= last; d++) if (isWeekday(d)) for (const [i] of roster.entries()) lines.push(`deltager-${i};${formatDay(d)};7,5;ordinary`);
  for (let i = 0; i < 150; i++) lines.push(`deltager-${i};${formatDay(first + (i % 20))};${i % 2 ? 'mange' : '30'};${i % 3 ? 'ordinary' : 'jonglering'}`);
  return lines.join('\r\n');
}

/** The status the ingest stores for that timesheet, through the DynamoDB adapter (its items are measured too). */
async function ingested(hoursStore: DynamoHoursStore, roster: readonly RosterEntry[]): Promise<ReportVersionStatus> {
  const statuses: ReportVersionStatus[] = [];
  const store = {
    currentSequencer: async () => undefined,
    putWeeks: (...args: Parameters<HoursStore['putWeeks']>) => hoursStore.putWeeks(...args),
    commit: (status: ReportVersionStatus) => (statuses.push(status), hoursStore.commit(status)),
    record: (status: ReportVersionStatus) => hoursStore.record(status),
    removeStale: async () => 0,
  } as Partial<HoursStore> as HoursStore;
  const csv = timesheetCsv('2024-12', roster);
  const outcome = await ingestReport(
    { key: 'reports/koege/2024-12/jobvejen.csv', versionId: 'v1', sequencer: '0000000000000000A1' },
    { bucket: { open: async () => Readable.from([Buffer.from(csv)]), putJson: async () => {} }, store, rejectedUploads: { record: async () => {} } as never, pseudonymise: (p) => pseudonym(p), log: createLogger('test', () => {}) },
  );
  expect(outcome).toBe('accepted');
  return statuses[0]!;
}

const size = (response: ApiResponse) => Buffer.byteLength(response.body);

describe('a 500-participant partnership over 5 years, against half of AWS limits', () => {
  it('no DynamoDB item the pipeline writes passes 200 KB, and no API answer (every page of every list) passes 1 MB', async () => {
    const { world, deps } = inMemoryApi(contract);
    deps.partnerships = { ...deps.partnerships, partnerships: async () => [{ partnership: 'koege', name: contract.name, municipality: 'Køge' }] };
    const { client, written } = capturingDocumentClient();
    const partnershipItems = new DynamoPartnershipStore(client, 'pbr');
    const hoursItems = new DynamoHoursStore(client, 'pbr');

    const { roster, weeks } = worstCase();
    world.contract = contract;
    world.roster = roster;
    world.weeks = weeks;
    const status = await ingested(hoursItems, roster);
    expect(status.reasons).toHaveLength(100);
    world.statuses = months.flatMap((month) =>
      SOURCES.flatMap((source) => ['01', '02'].map((n): ReportVersionStatus => ({ ...status, month, source, key: `reports/koege/${month}/${source}.csv`, sequencer: `0000000000000000${n}`, current: n === '02' }))),
    );
    const badRoster: InputVersionStatus = {
      partnership: 'koege', kind: 'roster', key: 'rosters/koege.csv', sequencer: '0000000000000000B1', processedAt: '2024-12-01T00:00:00.000Z', outcome: 'rejected',
      problems: Array.from({ length: 5000 }, (_, i) => `line ${i + 2}: exit_reason: without exit_date it cannot be applied; write the day the participant left`),
    };
    world.inputs = [badRoster];

    // the last two statements (the latter with its efterregulering against the former), with projections
    const { world: computed, deps: recalc } = inMemoryStores(contract);
    Object.assign(computed, { roster, weeks, statuses: world.statuses });
    const statements = ['2024-11', '2024-12'];
    expect((await recalculatePartnership({ partnership: 'koege', asOf: statements }, recalc({ runs: 5 }))).computed).toEqual(statements);
    world.statements = computed.statements;

    // what the pipeline writes, through the adapters
    for (const month of statements) await partnershipItems.putStatement('koege', month, world.statements.get(month)!);
    for (const careers of computed.careers.values()) await partnershipItems.putCareerCounts(careers);
    for (const bands of computed.bands.values()) await partnershipItems.putProjectionBands('koege', bands);
    for (const [digest, prior] of computed.priors) await partnershipItems.putPrior(digest, prior);
    const rosterStatus: InputVersionStatus = { ...badRoster, sequencer: '0000000000000000B2', outcome: 'accepted', problems: [] };
    await partnershipItems.commitRoster(rosterStatus, roster);
    await partnershipItems.commitContract({ ...rosterStatus, kind: 'contract', key: 'contracts/koege.json' }, contract);
    await partnershipItems.recordInput(badRoster);
    for (const report of world.statuses.slice(0, 6)) await hoursItems.record(report);

    // by kind of item: the partition's and the sort key's first part (PARTNERSHIP#… / STATEMENT#…)
    const kindOf = (key: string | undefined) => (key ?? '').replace(/#.*$/, '#…').replace(/^koege$/, '<id>');
    const sizes = written.map(({ item }) => ({ sk: `${kindOf(item.pk?.S)} / ${kindOf(item.sk?.S)}`, bytes: itemBytes(item) }));
    const largest = new Map<string, number>();
    for (const { sk, bytes } of sizes) largest.set(sk, Math.max(largest.get(sk) ?? 0, bytes));
    console.info(`largest DynamoDB item of each kind (bytes): ${JSON.stringify(Object.fromEntries([...largest].sort((a, b) => b[1] - a[1])))}`);
    for (const [itemKind, itemSize] of largest) expect(itemSize, itemKind).toBeLessThan(ITEM_LIMIT);
    expect(largest.get('PARTNERSHIP#… / ROSTER')).toBeGreaterThan(10_000); // the roster's 500 entries were measured

    // every answer of the API, each page of each list
    const holder = { sub: 'h', 'cognito:groups': ['holder'] };
    const responses: { path: string; bytes: number; plain: number }[] = [];
    const call = async (path: string, query: Record<string, string> = {}, accept?: string) => {
      const response = await handleApiRequest({ method: 'GET', path, query, headers: { 'accept-encoding': 'gzip, deflate, br', ...(accept ? { accept } : {}) }, claims: holder }, deps);
      expect(response.status, `${path} ${response.body.slice(0, 200)}`).toBe(200);
      const body = Buffer.from(response.body, response.isBase64Encoded ? 'base64' : 'utf8');
      const plain = response.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
      responses.push({ path: `${path}?${new URLSearchParams(query)}`, bytes: size(response), plain: plain.length });
      return plain.toString('utf8');
    };
    const pages = async (path: string, query: Record<string, string> = {}) => {
      let cursor: string | null = null;
      let n = 0;
      do {
        const body = JSON.parse(await call(path, { ...query, ...(cursor ? { cursor } : {}) }));
        cursor = body.nextCursor;
        n++;
      } while (cursor);
      return n;
    };
    await pages('/partnerships');
    await pages('/partnerships/koege/statements');
    expect(await pages('/partnerships/koege/reports')).toBeGreaterThan(1);
    await pages('/partnerships/koege/hours');
    expect(await pages('/partnerships/koege/hours', { from: weekLabel(lastWeek - 52) })).toBeGreaterThan(1);
    await call('/partnerships/koege/hours', { from: weekLabel(firstWeek) }); // five years: the first page, bounded alike
    await call('/partnerships/koege/contract');
    // the newer statement (with its efterregulering) in each form
    const newest = statements.at(-1)!;
    expect(JSON.parse(await call(`/partnerships/koege/statements/${newest}`)).outcomes.length).toBeGreaterThan(PARTICIPANTS * 5);
    for (const [path, accept] of [[newest, 'text/csv'], [`${newest}/export.xlsx`], [`${newest}/export.csv`]]) await call(`/partnerships/koege/statements/${path}`, {}, accept);
    // the hours files at their cap: the widest range of weeks under it
    const widest = Math.floor(MAX_HOURS_EXPORT_ROWS / (PARTICIPANTS + 20)) - 1;
    for (const format of ['xlsx', 'csv']) await call(`/partnerships/koege/hours.${format}`, { from: weekLabel(lastWeek - widest), to: weekLabel(lastWeek) });
    const byRoute = new Map<string, { sent: number; plain: number; answers: number }>();
    for (const { path, bytes: sent, plain } of responses) {
      const route = path.replace(/cursor=[^&]*&?/, '').replace(/[?&]$/, '');
      const seen = byRoute.get(route) ?? { sent: 0, plain: 0, answers: 0 };
      byRoute.set(route, { sent: Math.max(seen.sent, sent), plain: Math.max(seen.plain, plain), answers: seen.answers + 1 });
    }
    console.info(`largest API answer of each route (bytes as sent gzipped, plain; answers): ${JSON.stringify(Object.fromEntries([...byRoute].sort((a, b) => b[1].plain - a[1].plain)))}`);
    for (const { path, bytes: sent, plain } of responses) {
      expect(sent, path).toBeLessThan(RESPONSE_LIMIT);
      expect(plain, path).toBeLessThan(PLAIN_RESPONSE_LIMIT);
    }
    // the lists come in pages under 1 MB even in plain
    for (const { path, plain } of responses.filter((r) => /\/(partnerships|statements|reports|hours)\?/.test(r.path))) expect(plain, path).toBeLessThan(RESPONSE_LIMIT);
  }, 180_000);
});
