import { z } from 'zod';
import { ACTIVITIES } from '../weekly-hours/activities.ts';
import { addCounts, B, emptyCounts, LEFT_AFTER_WEEKS, observeCareers, ROWS, S, WEEKS_OF_YEAR, type CareerCounts } from './careers.ts';
import { DEFAULT_COUNTS } from './default-prior.ts';
import { evaluate, type StatementInput } from './statement.ts';

/*
 * Borrowed strength (spec 8): a partnership with few observed weeks leans on
 * careers pooled over the programme. The prior is the career counts of other
 * partnerships added up (counts are additive, so pooling is a sum and a
 * partnership can be left out by not adding it); with nothing to pool, the
 * default below, learned from the source programme.
 */

/** Where a prior comes from: the source programme's default, partnerships pooled here, or a file (`pbr simulate --prior`). */
export type PriorSource = 'default' | 'pooled' | 'file';

/**
 * The prior file format's version: 2 added how weeks change with tenure (hours,
 * activities that stop) and pauses per state; 3 counts pauses of up to 25 weeks
 * (a workplace closed for a winter), where 2 stopped at 12.
 */
export const PRIOR_VERSION = 3;

/** Career counts pooled over partnerships, with what they rest on. JSON as `pbr prior` writes it. */
export interface ProjectionPrior {
  version: typeof PRIOR_VERSION;
  source: PriorSource;
  basis: { partnerships: number; participants: number; participantWeeks: number };
  counts: CareerCounts;
}

/**
 * The default prior: the careers of the Region Sjælland scenario (`pbr generate
 * --scale sjaelland --seed 1`, local/demo/sjaelland.ts), which follows the source
 * programme's final report (shared/seeds/000_*): about 26 weeks of training at the
 * actor, then internships; of 47 referred, 8 reached paid work, 1 education, 11
 * left. `default-prior.ts` holds its counts; a test rebuilds them from the scenario.
 */
export const DEFAULT_PRIOR: ProjectionPrior = {
  version: PRIOR_VERSION,
  source: 'default',
  basis: { partnerships: 4, participants: DEFAULT_COUNTS.participants, participantWeeks: DEFAULT_COUNTS.participantWeeks },
  counts: DEFAULT_COUNTS,
};

/** The career counts of one partnership's observed weeks up to its as-of month. */
export function careerCountsOf(input: StatementInput): CareerCounts {
  return observeCareers(evaluate(input)).counts;
}

/**
 * The prior pooled from partnerships' counts (each already cut at its own as-of
 * month); DEFAULT_PRIOR when there is nothing to pool.
 */
export function pooledPrior(counts: readonly CareerCounts[]): ProjectionPrior {
  const pooled = counts.reduce((sum, one) => addCounts(sum, one), emptyCounts());
  if (pooled.participantWeeks === 0) return DEFAULT_PRIOR;
  return { version: PRIOR_VERSION, source: 'pooled', basis: { partnerships: counts.length, participants: pooled.participants, participantWeeks: pooled.participantWeeks }, counts: pooled };
}

/** The prior pooled from the given partnerships' observed weeks, each only up to its own as-of month. */
export function learnPrior(inputs: readonly StatementInput[]): ProjectionPrior {
  return pooledPrior(inputs.map(careerCountsOf));
}

/** JSON text of a prior, as `pbr prior` writes it. */
export function formatPrior(prior: ProjectionPrior): string {
  return JSON.stringify(prior) + '\n';
}

const count = z.number().finite().nonnegative();
const countsOf = (length: number) => z.array(count).length(length);
const priorSchema = z
  .object({
    version: z.literal(PRIOR_VERSION),
    source: z.enum(['default', 'pooled', 'file']),
    basis: z.object({ partnerships: count, participants: count, participantWeeks: count }).strict(),
    counts: z
      .object({
        transitions: countsOf(ROWS * S),
        gaps: countsOf(S * LEFT_AFTER_WEEKS),
        activeWeeks: z.record(z.string().regex(/^\d{4}$/), countsOf(WEEKS_OF_YEAR)),
        pausedWeeks: z.record(z.string().regex(/^\d{4}$/), countsOf(WEEKS_OF_YEAR)),
        activeByState: countsOf(S),
        pausedByState: countsOf(S),
        initial: countsOf(S),
        hoursByState: countsOf(S * ACTIVITIES.length),
        weeksByState: countsOf(S),
        weeksByTenure: countsOf(S * B),
        hoursByTenure: countsOf(S * B * ACTIVITIES.length),
        activityKept: countsOf(ACTIVITIES.length * B),
        activityStopped: countsOf(ACTIVITIES.length * B),
        activityInto: countsOf(ACTIVITIES.length * ACTIVITIES.length),
        participants: count,
        participantWeeks: count,
      })
      .strict(),
  })
  .strict();

/**
 * True for counts and priors of this code's version. What the pipeline stored
 * under an earlier version (a partnership's counts, a statement's prior) is
 * left out rather than misread; it is written again at the next recalculation.
 */
export const isCurrentCounts = (value: unknown): value is CareerCounts => priorSchema.shape.counts.safeParse(value).success;
export const isCurrentPrior = (value: unknown): value is ProjectionPrior => priorSchema.safeParse(value).success;

/** A prior file read back (its source becomes "file"); the error names the file and each wrong field. */
export function parsePrior(text: string, file: string): ProjectionPrior {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new Error(`${file}: not JSON (a prior is the JSON that \`pbr prior\` writes)`);
  }
  const version = (document as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version !== PRIOR_VERSION) {
    throw new Error(`${file}: a version ${version} prior; this code reads version ${PRIOR_VERSION} — write it again with \`pbr prior\``);
  }
  const parsed = priorSchema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    throw new Error(`${file}: not a projection prior: ${problems.slice(0, 5).join('; ')}`);
  }
  return { ...parsed.data, source: 'file' };
}
