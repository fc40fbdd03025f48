import { nameProblem } from '../ingest/report-key.ts';
import type { InputKind } from './ports.ts';

const LAYOUT: Record<InputKind, { prefix: string; suffix: string }> = {
  contract: { prefix: 'contracts/', suffix: '.json' },
  roster: { prefix: 'rosters/', suffix: '.csv' },
};

/** Where a partnership's contract or roster lives: `contracts/P.json`, `rosters/P.csv`. */
export function inputKey(kind: InputKind, partnership: string): string {
  const problem = nameProblem('partnership', partnership);
  if (problem) throw new Error(problem);
  return `${LAYOUT[kind].prefix}${partnership}${LAYOUT[kind].suffix}`;
}

/** The prefix and suffix filters of each input's S3 notification. */
export const INPUT_FILTERS = Object.values(LAYOUT);

/** Kind and partnership of an input key, or undefined for other keys. */
export function parseInputKey(key: string): { kind: InputKind; partnership: string } | undefined {
  for (const [kind, { prefix, suffix }] of Object.entries(LAYOUT) as [InputKind, { prefix: string; suffix: string }][]) {
    if (!key.startsWith(prefix) || !key.endsWith(suffix)) continue;
    const partnership = key.slice(prefix.length, key.length - suffix.length);
    if (!nameProblem('', partnership)) return { kind, partnership };
  }
  return undefined;
}
