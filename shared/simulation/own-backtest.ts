import type { ProjectionBasis } from './projection-model.ts';
import type { SimulatedStatement } from './simulate.ts';
import type { Statement } from './statement.ts';
import { monthAfter } from '../weeks/iso-week.ts';

/*
 * The partnership's own backtest (spec 8, calibration "where history allows"):
 * each statement keeps its projected P10–P90 band of the cumulative net month by
 * month; once a month HORIZON months after an earlier statement is observed, the
 * earlier band either held what happened or it did not. A statement reports how
 * often its partnership's earlier projections held, so a reader can see whether
 * this projection's band deserves trust.
 */

/** Months ahead an earlier projection is checked at. */
export const OWN_BACKTEST_HORIZON = 6;

/** A statement's projected band of the cumulative net per month: what is kept to check it later. */
export interface ProjectedBands {
  asOf: string;
  net: { month: string; p10: number; p90: number }[];
}

/** The bands to keep of a statement (none without a monthly projection). */
export function bandsOf(statement: SimulatedStatement): ProjectedBands | undefined {
  const byMonth = statement.projection?.byMonth;
  if (!byMonth || byMonth.length === 0) return undefined;
  return { asOf: statement.asOf, net: byMonth.map(({ month, net }) => ({ month, p10: net.p10, p90: net.p90 })) };
}

const monthsAfter = (month: string, n: number) => Array.from({ length: n }).reduce<string>((m) => monthAfter(m), month);

/**
 * How often the earlier statements' bands held the cumulative net observed
 * OWN_BACKTEST_HORIZON months later, as this statement states it; undefined
 * while no earlier projection can be checked yet.
 */
export function ownBacktest(statement: Pick<Statement, 'asOf' | 'byMonth'>, earlier: readonly ProjectedBands[]): ProjectionBasis['backtest'] {
  const realised = new Map(statement.byMonth.map(({ month, net }) => [month, net]));
  let projections = 0;
  let inside = 0;
  for (const bands of earlier) {
    if (bands.asOf >= statement.asOf) continue;
    const month = monthsAfter(bands.asOf, OWN_BACKTEST_HORIZON);
    const band = bands.net.find((b) => b.month === month);
    const net = realised.get(month);
    if (!band || net === undefined || month > statement.asOf) continue;
    projections++;
    if (band.p10 <= net && net <= band.p90) inside++;
  }
  return projections === 0 ? undefined : { projections, inside, horizonMonths: OWN_BACKTEST_HORIZON };
}
