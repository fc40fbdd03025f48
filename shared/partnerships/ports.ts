import type { ProjectedBands } from '../simulation/own-backtest.ts';
import type { ProjectionPrior } from '../simulation/projection-prior.ts';
import type { CareerCounts } from '../simulation/careers.ts';
import type { InputKind } from '../uploads/input-key.ts';
import type { Contract } from '../simulation/contract.ts';
import type { RosterEntry } from '../simulation/roster-entry.ts';
import type { SimulatedStatement } from '../simulation/simulate.ts';
import type { Figures, StatementOutcome } from '../simulation/statement.ts';

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

/** One stored version of an upload: enough to fetch exactly those bytes again (spec 8, evidence). */
export interface InputVersionRef {
  key: string;
  versionId?: string;
  sequencer: string;
}

/** A report version a statement counted, with its validation counts. */
export interface ManifestReport extends InputVersionRef {
  month: string;
  source: string;
  acceptedRows: number;
  rejectedRows: number;
}

/** What a statement was computed from (spec 8, evidence): an auditor can fetch and rerun every input. */
export interface StatementManifest {
  /** The accepted contract version in use (absent for contracts stored before manifests). */
  contract?: InputVersionRef;
  /** The accepted roster version; absent when the partnership has none. */
  roster?: InputVersionRef;
  /** The current version of every report up to the as-of month, by month and source. */
  reports: ManifestReport[];
  seed: number;
  runs: number;
  /** The prior the projection leaned on, with a digest of its counts (absent on statements from before pooling). */
  prior?: { source: string; partnerships: number; participantWeeks: number; digest: string };
  /** Git revision of the code that computed it (`unknown` when built outside git). */
  codeVersion: string;
  computedAt: string;
}

/** The cumulative figures and outcomes of statement N−1 as they stood when statement N was first issued. */
export interface StatementBaseline {
  asOf: string;
  totals: Figures;
  outcomes: Pick<StatementOutcome, 'participant' | 'outcome' | 'label' | 'week' | 'amount'>[];
}

/** One outcome payment of earlier months that changed since the baseline: `amount` = `current` − `stated`. */
export interface AdjustmentLine {
  participant: string;
  outcome: string;
  label?: string;
  week: string;
  stated: number;
  current: number;
  amount: number;
}

/**
 * Efterregulering (spec 8): the months before N as now computed minus the baseline,
 * so totals(N) = baseline.totals + month(N) + figures, to the øre.
 */
export interface Adjustments {
  /** The month of the baseline statement (N−1). */
  since: string;
  figures: Figures;
  outcomes: AdjustmentLine[];
}

/** A statement as stored, with what makes recomputing it idempotent and auditable. */
export interface StoredStatement {
  statement: SimulatedStatement;
  /** Hash of every input; an unchanged hash means an identical statement. */
  inputsHash: string;
  computedAt: string;
  /** Absent on statements stored before manifests. */
  manifest?: StatementManifest;
  /** The issued baseline adjustments are measured against; null when N−1 had no statement at first issue, absent before adjustments. */
  baseline?: StatementBaseline | null;
  /** Absent without a baseline. */
  adjustments?: Adjustments;
  /** The highest input sequencer seen before the inputs were read: orders recalculations (absent before issue 8). */
  inputsStamp?: string;
}

/** Contracts, rosters and statements per partnership. */
export interface PartnershipStore {
  currentInputSequencer(partnership: string, kind: InputKind): Promise<string | undefined>;
  /** The accepted version of a contract or roster in use, for a statement's manifest. */
  currentInput(partnership: string, kind: InputKind): Promise<InputVersionRef | undefined>;
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
  /** Stores unless a statement with a higher `inputsStamp` is stored (an older recalculation never overwrites a newer one); false then. */
  putStatement(partnership: string, month: string, stored: StoredStatement): Promise<boolean>;
  /** Months with a statement, ascending. */
  statementMonths(partnership: string): Promise<string[]>;
  /** Every partnership's career counts as its latest recalculation recorded them: what the programme-wide prior pools (spec 8). */
  careerCounts(): Promise<PartnershipCareers[]>;
  putCareerCounts(careers: PartnershipCareers): Promise<void>;
  /** Every stated month's projected bands (own-backtest.ts), months ascending. */
  projectionBands(partnership: string): Promise<ProjectedBands[]>;
  putProjectionBands(partnership: string, bands: ProjectedBands): Promise<void>;
  /** A prior a statement was projected with, by the digest its manifest names (what-ifs reuse it exactly). */
  prior(digest: string): Promise<ProjectionPrior | undefined>;
  putPrior(digest: string, prior: ProjectionPrior): Promise<void>;
}

/** One partnership's career counts (no participant in them), with the month they run to. */
export interface PartnershipCareers {
  partnership: string;
  asOf: string;
  counts: CareerCounts;
}
