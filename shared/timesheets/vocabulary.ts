/**
 * The words timesheets are written in (spec 2.1): column names and activity codes,
 * with the Danish aliases actors and companies actually use.
 */
import { ACTIVITIES, type Activity } from '../weekly-hours/activities.ts';
import type { FileProblem } from './problems.ts';

/** Activity index (position in ACTIVITIES) by lower-case code or alias. */
const ACTIVITY_ALIASES: Record<Activity, string[]> = {
  training: ['opkvalificering', 'forløb'],
  internship: ['praktik', 'virksomhedspraktik'],
  ordinary: ['ordinær', 'ordinære timer', 'løn', 'lønnede timer', 'småjob'],
  flexjob: ['fleksjob'],
  wage_subsidy: ['løntilskud'],
  education: ['uddannelse'],
  absence: ['fravær', 'sygdom'],
};

const activityIndex = new Map<string, number>();
ACTIVITIES.forEach((activity, index) => {
  for (const name of [activity, ...ACTIVITY_ALIASES[activity]]) activityIndex.set(name, index);
});

/** Index into ACTIVITIES of a written activity, or -1 when unknown. */
export function activityOf(written: string): number {
  return activityIndex.get(written) ?? activityIndex.get(written.trim().toLowerCase()) ?? -1;
}

const COLUMNS = ['participant', 'date', 'hours', 'activity', 'organisation'] as const;
export type Column = (typeof COLUMNS)[number];

const COLUMN_ALIASES: Record<Column, string[]> = {
  participant: ['participant', 'deltager', 'borger', 'cpr', 'participant_id'],
  date: ['date', 'dato'],
  hours: ['hours', 'timer'],
  activity: ['activity', 'aktivitet', 'type'],
  organisation: ['organisation', 'organization', 'virksomhed', 'aktør', 'aktoer'],
};

const REQUIRED_COLUMNS: readonly Column[] = ['participant', 'hours', 'activity'];

const columnByAlias = new Map<string, Column>();
for (const column of COLUMNS) for (const alias of COLUMN_ALIASES[column]) columnByAlias.set(alias, column);

/** Where each known column sits in a header row, and the header's own spelling of it. */
export interface HeaderLayout {
  index: Partial<Record<Column, number>>;
  name: Partial<Record<Column, string>>;
}

/**
 * Maps a header row to columns (case-insensitive, trimmed, aliases). Returns the
 * reason the file must be rejected whole when a required column is missing or a
 * column appears twice under different names.
 */
export function layoutOfHeader(header: readonly string[]): HeaderLayout | { reason: string; problem: FileProblem } {
  const layout: HeaderLayout = { index: {}, name: {} };
  for (let i = 0; i < header.length; i++) {
    const written = header[i]!.trim();
    const column = columnByAlias.get(written.toLowerCase());
    if (!column) continue;
    if (layout.index[column] !== undefined) {
      return {
        reason: `columns "${layout.name[column]}" and "${written}" both give the ${column}; keep one`,
        problem: { code: 'header-duplicate-column', column, columns: [layout.name[column]!, written] },
      };
    }
    layout.index[column] = i;
    layout.name[column] = written;
  }
  const missing = REQUIRED_COLUMNS.filter((column) => layout.index[column] === undefined);
  if (missing.length > 0) {
    const described = missing.map((column) => `"${column}" (or ${COLUMN_ALIASES[column].slice(1).join(', ')})`);
    return { reason: `header lacks required column ${described.join(' and ')}`, problem: { code: 'header-missing-columns', columns: missing } };
  }
  return layout;
}
