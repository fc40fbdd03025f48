import { checkIdentifier, identifierProblem } from '../identifiers.ts';
import type { KeyReading } from './report-key.ts';

/** The two per-partnership inputs uploaded besides timesheets (spec 4 and 5). */
export type InputKind = 'contract' | 'roster';

const LAYOUT: Record<InputKind, { prefix: string; suffix: string }> = {
  contract: { prefix: 'contracts/', suffix: '.json' },
  roster: { prefix: 'rosters/', suffix: '.csv' },
};

/** Where a partnership's contract or roster lives: `contracts/P.json`, `rosters/P.csv`; throws for an invalid id (spec 2.4). */
export function inputKey(kind: InputKind, partnership: string): string {
  checkIdentifier('partnership', partnership);
  return `${LAYOUT[kind].prefix}${partnership}${LAYOUT[kind].suffix}`;
}

/** The folder of one kind of input in the bucket (e.g. for lifecycle rules). */
export function inputPrefix(kind: InputKind): string {
  return LAYOUT[kind].prefix;
}

/** The prefix and suffix filters of each input's S3 notification. */
export const INPUT_FILTERS = Object.values(LAYOUT);

/** Kind and partnership of an input key, or why it is not one (never quoting it). */
export function readInputKey(key: string): KeyReading<{ kind: InputKind; partnership: string }> {
  for (const [kind, { prefix, suffix }] of Object.entries(LAYOUT) as [InputKind, { prefix: string; suffix: string }][]) {
    if (!key.startsWith(prefix)) continue;
    if (!key.endsWith(suffix)) return { ok: false, problem: `a ${kind} must be stored as ${prefix}PARTNERSHIP${suffix}` };
    const partnership = key.slice(prefix.length, key.length - suffix.length);
    const problem = identifierProblem('partnership', partnership);
    return problem ? { ok: false, problem } : { ok: true, kind, partnership };
  }
  return { ok: false, problem: 'contracts must be stored as contracts/PARTNERSHIP.json and rosters as rosters/PARTNERSHIP.csv' };
}
