/**
 * One referred participant (spec 5), as the simulation reads it; the optional
 * fields override the contract's benefit defaults. Reading a roster file into
 * these is `shared/partnerships/roster-csv.ts`.
 */
export interface RosterEntry {
  participant: string;
  partnership: string;
  referralDay: number;
  priorWeeksOnBenefit?: number;
  weeklyBenefit?: number;
}
