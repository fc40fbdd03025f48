import { z } from 'zod';
import type { ReportVersionStatus } from '../ingest/ports.ts';
import type { InputVersionStatus, PartnershipStore, PartnershipSummary } from '../partnerships/ports.ts';
import { latestOf, type LatestStatement, type StatementSummary, type StatementSummaryReader } from '../statements/statement-summary.ts';
import { compareText, cursorField, cursorMismatch, decodeCursor, encodeCursor, limitField, pageAfter } from './pages.ts';
import { IDENTIFIER_DOC, monthField } from './request.ts';
import { identifierField } from '../simulation/contract.ts';

/*
 * The list routes' pages (pages.ts): the partnerships (searched, sorted, with
 * each one's newest statement headline), a partnership's statement months, and
 * its report, contract and roster versions.
 */

/** Most partnerships on one page of GET /partnerships. */
export const PARTNERSHIPS_PAGE = 100;
/** Most months on one page of GET /partnerships/{id}/statements (20 years: one page in practice). */
export const MONTHS_PAGE = 240;
/** Most versions on one page of GET /partnerships/{id}/reports (each keeps at most 100 reasons). */
export const VERSIONS_PAGE = 100;

/** How GET /partnerships sorts: name, municipality, the newest statement's cumulative net, or its projected net P50. */
export const PARTNERSHIP_SORTS = ['name', 'municipality', 'net', 'projection'] as const;
/** One of PARTNERSHIP_SORTS. */
export type PartnershipSort = (typeof PARTNERSHIP_SORTS)[number];
/** Either way round (text in the Danish alphabet; partnerships without a statement last both ways). */
export const SORT_ORDERS = ['asc', 'desc'] as const;

/**
 * Text folded so a search matches as Danes type without their letters: case,
 * accents, æ → ae, ø → o, å and aa → a ("koge" finds Køge, "aabenraa" Åbenrå).
 */
export function foldDanish(text: string): string {
  return text
    .normalize('NFKC')
    .toLocaleLowerCase('da')
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/å/g, 'a')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/aa/g, 'a');
}

/** One entry of GET /partnerships. */
export interface PartnershipEntry extends PartnershipSummary {
  statementMonths: string[];
  /** The newest statement's headline; null before the first statement. */
  latest: Omit<LatestStatement, 'inputsStamp'> | null;
}

const collator = new Intl.Collator('da', { sensitivity: 'variant' });
type SortKey = [value: string | number | null, partnership: string];

/** The value an entry sorts by (null: no statement yet, always last). */
function sortValue(entry: PartnershipEntry, sort: PartnershipSort): string | number | null {
  if (sort === 'name') return entry.name;
  if (sort === 'municipality') return entry.municipality;
  if (sort === 'net') return entry.latest?.net ?? null;
  return entry.latest?.projection?.net.p50 ?? null;
}

/** Orders sort keys: by value in `order` (Danish alphabet for text), no value last, then by id. */
function keyOrder(order: (typeof SORT_ORDERS)[number]) {
  const sign = order === 'asc' ? 1 : -1;
  return ([a, idA]: SortKey, [b, idB]: SortKey): number => {
    if (a !== b) {
      if (a === null) return 1;
      if (b === null) return -1;
      const byValue = typeof a === 'number' && typeof b === 'number' ? a - b : collator.compare(String(a), String(b));
      if (byValue !== 0) return sign * byValue;
    }
    return compareText(idA, idB);
  };
}

const partnershipsCursor = z
  .object({ q: z.string().max(100), sort: z.enum(PARTNERSHIP_SORTS), order: z.enum(SORT_ORDERS), after: z.tuple([z.union([z.string(), z.number(), z.null()]), z.string()]) })
  .strict();

/** The query of GET /partnerships. */
export const partnershipsQuery = z
  .object({
    q: z.string().max(100, { error: 'must be at most 100 characters' }).optional().meta({ description: 'Search in name, municipality and id, regardless of case, accents and Danish letters ("koge" finds Køge)' }),
    sort: z
      .enum(PARTNERSHIP_SORTS, { error: `must be one of ${PARTNERSHIP_SORTS.join(', ')}` })
      .optional()
      .meta({ description: "Sort by name (default), municipality, the newest statement's cumulative net, or its projected net at the contract's end (P50); partnerships without a statement come last" }),
    order: z.enum(SORT_ORDERS, { error: 'must be asc or desc' }).optional().meta({ description: 'asc (default) or desc' }),
    cursor: cursorField.optional(),
    limit: limitField(PARTNERSHIPS_PAGE),
  })
  .strict();
type PartnershipsQuery = z.infer<typeof partnershipsQuery>;

/**
 * Every visible partnership with its statement months and newest headline, from
 * the summaries (one query); a partnership whose statements predate summaries
 * is read the old way (its months and newest statement) until a statement of it
 * is stored again.
 */
export async function partnershipEntries(visible: readonly PartnershipSummary[], store: PartnershipStore & StatementSummaryReader): Promise<PartnershipEntry[]> {
  const summaries = new Map((await store.statementSummaries()).map((s) => [s.partnership, s]));
  return Promise.all(
    visible.map(async (p) => {
      const summary = summaries.get(p.partnership) ?? (await summaryFromStatements(p.partnership, store));
      const { inputsStamp: _, ...latest } = summary?.latest ?? ({} as LatestStatement);
      return { ...p, statementMonths: summary?.months ?? [], latest: summary ? latest : null };
    }),
  );
}

async function summaryFromStatements(partnership: string, store: PartnershipStore): Promise<StatementSummary | undefined> {
  const months = await store.statementMonths(partnership);
  const newest = months.at(-1);
  const stored = newest === undefined ? undefined : await store.statement(partnership, newest);
  return stored && { partnership, months, latest: latestOf(newest!, stored) };
}

/** One page of partnerships matching `q` (name, municipality or id, Danish-insensitive), sorted, with the total that match. */
export function partnershipsPage(entries: readonly PartnershipEntry[], query: PartnershipsQuery) {
  let { q = '', sort = 'name', order = 'asc' } = query;
  let after: SortKey | undefined;
  if (query.cursor !== undefined) {
    const key = decodeCursor(partnershipsCursor, query.cursor);
    const differs = (given: string | undefined, kept: string) => given !== undefined && given !== kept;
    if (differs(query.q, key.q) || differs(query.sort, key.sort) || differs(query.order, key.order)) throw cursorMismatch('q, sort or order');
    ({ q, sort, order } = key);
    after = key.after;
  }
  const needle = foldDanish(q.trim());
  const matching = entries.filter((p) => !needle || [p.name, p.municipality, p.partnership].some((text) => foldDanish(text).includes(needle)));
  const keyOf = (p: PartnershipEntry): SortKey => [sortValue(p, sort), p.partnership];
  const compare = keyOrder(order);
  const sorted = [...matching].sort((a, b) => compare(keyOf(a), keyOf(b)));
  const page = pageAfter(sorted, keyOf, compare, after, query.limit);
  return { partnerships: page.entries, total: matching.length, nextCursor: page.next === undefined ? null : encodeCursor({ q, sort, order, after: page.next }) };
}

/** The query of GET /partnerships/{id}/statements. */
export const statementsQuery = z.object({ cursor: cursorField.optional(), limit: limitField(MONTHS_PAGE) }).strict();

const monthsCursor = z.object({ after: z.string().regex(/^\d{4}-\d{2}$/) }).strict();

/** One page of statement months, ascending. */
export function monthsPage(months: readonly string[], cursor: string | undefined, limit: number) {
  const after = cursor === undefined ? undefined : decodeCursor(monthsCursor, cursor).after;
  const page = pageAfter([...months].sort(), (m) => m, compareText, after, limit);
  return { months: page.entries, nextCursor: page.next === undefined ? null : encodeCursor({ after: page.next }) };
}

/** A version's place in the reports listing: contracts and rosters first (newest first), then reports by month, source, newest first. */
type VersionKey = [group: 0 | 1, month: string, source: string, sequencer: string, kind: string];
function compareVersions(a: VersionKey, b: VersionKey): number {
  return a[0] - b[0] || compareText(a[1], b[1]) || compareText(a[2], b[2]) || compareText(b[3], a[3]) || compareText(a[4], b[4]);
}
type Version = { input: InputVersionStatus } | { report: ReportVersionStatus };
const versionKey = (v: Version): VersionKey =>
  'input' in v ? [0, '', '', v.input.sequencer, v.input.kind] : [1, v.report.month, v.report.source, v.report.sequencer, ''];

const reportsCursor = z
  .object({ month: z.string().nullable(), source: z.string().nullable(), after: z.tuple([z.union([z.literal(0), z.literal(1)]), z.string(), z.string(), z.string(), z.string()]) })
  .strict();

/** The query of GET /partnerships/{id}/reports. */
export const reportsQuery = z
  .object({
    month: monthField.optional().meta({ description: 'Only the reports of this month (contracts and rosters are then left out)' }),
    source: identifierField('source')
      .meta({ ...IDENTIFIER_DOC, description: 'Only the reports of this source (contracts and rosters are then left out)' })
      .optional(),
    cursor: cursorField.optional(),
    limit: limitField(VERSIONS_PAGE),
  })
  .strict();
type ReportsQuery = z.infer<typeof reportsQuery>;

/**
 * One page of a partnership's versions: `inputs` (contracts and rosters) then
 * `reports`. `month` and/or `source` narrow it to those reports (no inputs then):
 * what the portal polls after an upload.
 */
export function versionsPage(reports: readonly ReportVersionStatus[], inputs: readonly InputVersionStatus[], query: ReportsQuery) {
  let month = query.month ?? null;
  let source = query.source ?? null;
  let after: VersionKey | undefined;
  if (query.cursor !== undefined) {
    const key = decodeCursor(reportsCursor, query.cursor);
    if ((query.month !== undefined && query.month !== key.month) || (query.source !== undefined && query.source !== key.source)) throw cursorMismatch('month or source');
    ({ month, source } = key);
    after = key.after;
  }
  const narrowed = month !== null || source !== null;
  const versions: Version[] = [
    ...(narrowed ? [] : inputs.map((input) => ({ input }))),
    ...reports.filter((r) => (month === null || r.month === month) && (source === null || r.source === source)).map((report) => ({ report })),
  ].sort((a, b) => compareVersions(versionKey(a), versionKey(b)));
  const page = pageAfter(versions, versionKey, compareVersions, after, query.limit);
  return {
    reports: page.entries.flatMap((v) => ('report' in v ? [v.report] : [])),
    inputs: page.entries.flatMap((v) => ('input' in v ? [v.input] : [])),
    nextCursor: page.next === undefined ? null : encodeCursor({ month, source, after: page.next }),
  };
}
