import type { AdjustmentLine, Adjustments, StatementBaseline } from '../partnerships/ports.ts';
import type { Figures, Statement, StatementOutcome } from '../simulation/statement.ts';

/*
 * Efterregulering (spec 8): when a correction changes months already stated, the
 * next statement shows the difference to what was stated for them, per figure and
 * per outcome payment. Everything is counted in whole øre, so
 * totals(N) = baseline.totals + month(N) + adjustments, exactly.
 */

const oere = (amount: number) => Math.round(amount * 100);
const kroner = (oereAmount: number) => oereAmount / 100 + 0; // + 0: never -0

/** What statement N−1 stated, as kept in statement N's record when N is first issued. */
export function baselineOf(statement: Statement): StatementBaseline {
  return {
    asOf: statement.asOf,
    totals: { ...statement.totals },
    // Labels kept so a payment that later disappears is still named.
    outcomes: statement.outcomes.map(({ participant, outcome, label, week, amount }) => ({ participant, outcome, ...(label ? { label } : {}), week, amount })),
  };
}

const lineKey = (o: { participant: string; outcome: string; week: string }) => JSON.stringify([o.week, o.participant, o.outcome]);

/** Amount in øre per (week, participant, outcome), with a label when known. */
function byPayment(outcomes: readonly Pick<StatementOutcome, 'participant' | 'outcome' | 'week' | 'amount' | 'label'>[]) {
  const sums = new Map<string, { participant: string; outcome: string; week: string; label?: string; oere: number }>();
  for (const o of outcomes) {
    const key = lineKey(o);
    const sum = sums.get(key) ?? { participant: o.participant, outcome: o.outcome, week: o.week, ...(o.label ? { label: o.label } : {}), oere: 0 };
    sum.oere += oere(o.amount);
    sums.set(key, sum);
  }
  return sums;
}

/** The outcome payments of earlier months whose amount is not what the baseline stated (new, changed or gone). */
function outcomeLines(earlier: readonly StatementOutcome[], baseline: StatementBaseline): AdjustmentLine[] {
  const now = byPayment(earlier);
  const stated = byPayment(baseline.outcomes);
  const lines: AdjustmentLine[] = [];
  for (const key of new Set([...now.keys(), ...stated.keys()])) {
    const current = now.get(key);
    const before = stated.get(key);
    const difference = (current?.oere ?? 0) - (before?.oere ?? 0);
    if (difference === 0) continue;
    const { participant, outcome, week, label } = (current ?? before)!;
    lines.push({ participant, outcome, ...(label ? { label } : {}), week, stated: kroner(before?.oere ?? 0), current: kroner(current?.oere ?? 0), amount: kroner(difference) });
  }
  return lines.sort((a, b) => a.week.localeCompare(b.week) || a.participant.localeCompare(b.participant) || a.outcome.localeCompare(b.outcome));
}

/**
 * Statement N's adjustments against the baseline of N−1: per figure, the months
 * before N as now computed (totals − month) minus the baseline's totals; per
 * outcome, every payment of those months that changed, appeared or disappeared.
 */
export function adjustmentsOf(statement: Statement, baseline: StatementBaseline): Adjustments {
  const figures = Object.fromEntries(
    Object.entries(statement.totals).map(([key, total]) => {
      const k = key as keyof Figures;
      return [k, kroner(oere(total) - oere(statement.month[k]) - oere(baseline.totals[k]))];
    }),
  ) as unknown as Figures;
  // The month's outcomes are the last ones in settlement order (week ascending).
  const earlier = statement.outcomes.slice(0, statement.outcomes.length - statement.month.outcomes.length);
  return { since: baseline.asOf, figures, outcomes: outcomeLines(earlier, baseline) };
}
