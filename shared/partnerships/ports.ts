import type { InputKind } from '../uploads/input-key.ts';
import type { Contract } from '../simulation/contract.ts';
import type { RosterEntry } from '../simulation/roster-entry.ts';
import type { SimulatedStatement } from '../simulation/simulate.ts';

/** A partnership known to the pipeline: it has a valid contract. */
export interface PartnershipSummary {
  partnership: string;
  name: string;
  municipality: string;
}

/** The outcome of one uploaded contract or roster version. */
export interface InputVersionStatus {
  partnership: string;
  kind: InputKind;
  key: string;
  versionId?: string;
  sequencer: string;
  processedAt: string;
  /** `failed`: it could not be processed even after the retries; the version before it stays current. */
  outcome: 'accepted' | 'rejected' | 'superseded' | 'failed';
  /** `field: reason` per problem (never participant values). */
  problems: string[];
}

/** A statement as stored, with what makes recomputing it idempotent. */
export interface StoredStatement {
  statement: SimulatedStatement;
  /** Hash of every input; an unchanged hash means an identical statement. */
  inputsHash: string;
  computedAt: string;
}

/** Contracts, rosters and statements per partnership. */
export interface PartnershipStore {
  currentInputSequencer(partnership: string, kind: InputKind): Promise<string | undefined>;
  /** Makes a validated version current unless a newer one is; false when it is not. */
  commitContract(status: InputVersionStatus, contract: Contract): Promise<boolean>;
  commitRoster(status: InputVersionStatus, roster: RosterEntry[]): Promise<boolean>;
  recordInput(status: InputVersionStatus): Promise<void>;
  /** Records the status of a version that ran out of retries unless it has another status already; false when it had. */
  recordInputUnlessProcessed(status: InputVersionStatus): Promise<boolean>;
  inputStatuses(partnership: string): Promise<InputVersionStatus[]>;
  contract(partnership: string): Promise<Contract | undefined>;
  roster(partnership: string): Promise<RosterEntry[]>;
  partnerships(): Promise<PartnershipSummary[]>;
  statement(partnership: string, month: string): Promise<StoredStatement | undefined>;
  putStatement(partnership: string, month: string, stored: StoredStatement): Promise<void>;
  /** Months with a statement, ascending. */
  statementMonths(partnership: string): Promise<string[]>;
}
