import type { Person } from './people.ts';
import type { Source } from './sources.ts';

/*
 * What a scenario plans before anything is written: per partnership its contract,
 * sources and people, and (Region Sjælland only) the deliberate mistakes and the
 * correction its files should show. sjaelland.ts and national.ts make plans;
 * scenario.ts writes them.
 */

/** One partnership's plan. */
export interface PartnershipPlan {
  id: string;
  municipality: string;
  cluster: 1 | 2;
  contract: Record<string, unknown>;
  /** Index 0 is the employment actor. */
  sources: Source[];
  people: Person[];
  /** "In one municipality every participant chose to pause their internship" (000_*). */
  pausesAllInternshipsInDecember: boolean;
  rosterDates: 'dmy' | 'iso';
}

/** What a deliberate mistake does to its row (each is rejected with its own reason). */
export type MistakeKind = 'unknown_activity' | 'outside_month' | 'over_24_hours';

/** A deliberate mistake: where (the first fitting file from its month on), and what. */
export interface PlannedMistake {
  partnership: string;
  month: string;
  role: 'actor' | 'company';
  kind: MistakeKind;
}

/** A report uploaded twice: the first version wrong, the second correcting it. */
export interface PlannedCorrection {
  partnership: string;
  month: string;
  role: 'actor' | 'company';
}

/** A whole scenario: its partnerships, the months its timesheets cover, and what goes wrong on purpose. */
export interface ScenarioPlan {
  partnerships: PartnershipPlan[];
  firstMonth: string;
  lastMonth: string;
  mistakes: readonly PlannedMistake[];
  correction?: PlannedCorrection;
}
