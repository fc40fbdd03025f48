/** Why a participant left the programme (spec 5), in the roster's English words. */
export const EXIT_REASONS = ['employment', 'education', 'unemployed', 'unavailable', 'deceased', 'other'] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

/**
 * One referred participant (spec 5), as the simulation reads it; the optional
 * fields override the contract's benefit defaults. An exit ends the participant's
 * outcomes and savings after the exit week. Reading a roster file into these is
 * `shared/partnerships/roster-csv.ts`.
 */
export interface RosterEntry {
  participant: string;
  partnership: string;
  referralDay: number;
  priorWeeksOnBenefit?: number;
  weeklyBenefit?: number;
  exitDay?: number;
  exitReason?: ExitReason;
}
