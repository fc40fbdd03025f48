import { createHash } from 'node:crypto';
import type { PartnershipStore, StoredStatement } from '../partnerships/ports.ts';
import { careerCountsOf, isCurrentCounts, isCurrentPrior, pooledPrior, type ProjectionPrior } from '../simulation/projection-prior.ts';
import type { StatementInput } from '../simulation/statement.ts';

/*
 * Borrowed strength in the pipeline (spec 8): each partnership's recalculation
 * records its career counts (counts only, no participant); a projection pools
 * every other partnership's counts into its prior, so a partnership never leans
 * on its own weeks twice. With no other partnership, the source programme's default.
 */

/** The programme-wide prior for `partnership`'s projections: every other partnership's latest career counts (of this code's version), pooled. */
export async function programmePrior(partnership: string, store: Pick<PartnershipStore, 'careerCounts'>): Promise<ProjectionPrior> {
  const others = (await store.careerCounts()).filter((careers) => careers.partnership !== partnership && isCurrentCounts(careers.counts)).sort((a, b) => (a.partnership < b.partnership ? -1 : 1));
  return pooledPrior(others.map((careers) => careers.counts));
}

/**
 * The prior a stored statement was projected with (by its manifest's digest), so
 * a what-if without overrides reproduces the statement exactly; the programme
 * prior of now when the statement names none, or it is not kept in this code's version.
 */
export async function statementPrior(partnership: string, stored: StoredStatement | undefined, store: Pick<PartnershipStore, 'careerCounts' | 'prior'>): Promise<ProjectionPrior> {
  const digest = stored?.manifest?.prior?.digest;
  const kept = digest ? await store.prior(digest) : undefined;
  return isCurrentPrior(kept) ? kept : programmePrior(partnership, store);
}

/** Records the partnership's career counts from its statement input (as of its latest month) for the others' priors. */
export async function recordCareers(input: StatementInput, store: Pick<PartnershipStore, 'putCareerCounts'>): Promise<void> {
  await store.putCareerCounts({ partnership: input.contract.partnership, asOf: input.asOf, counts: careerCountsOf(input) });
}

/** What a statement's manifest says of its prior: where it came from, and a digest of its counts to tell versions apart. */
export function priorEvidence(prior: ProjectionPrior): { source: string; partnerships: number; participantWeeks: number; digest: string } {
  return { source: prior.source, partnerships: prior.basis.partnerships, participantWeeks: prior.basis.participantWeeks, digest: createHash('sha256').update(JSON.stringify(prior.counts)).digest('hex').slice(0, 16) };
}
