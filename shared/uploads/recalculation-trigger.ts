/**
 * Told of every accepted timesheet, contract or roster version, so that the
 * partnership's statements are recalculated from the earliest month the version
 * touches (spec 8, "always current"). The statements layer implements it over
 * the recalculation queue; it lives here because the ingest and the acceptance of
 * contracts and rosters, which announce, sit below the statements.
 */
export interface RecalculationTrigger {
  /** `fromMonth` `YYYY-MM`, or FIRST_MONTH: every stored statement month (a contract or roster touches them all). */
  recalculateFrom(partnership: string, fromMonth: string): Promise<void>;
}

/** `fromMonth` of a contract or roster: every stored statement month. */
export const FIRST_MONTH = 'first';
