import type { ReportNotice } from '../uploads/notice.ts';
import type { RejectedUploadStore, ReportBucket } from '../uploads/ports.ts';
import { rejectUpload } from '../uploads/rejected-upload.ts';
import { normaliseSequencer } from '../uploads/notice.ts';
import type { Logger } from '../logger.ts';
import { ContractError, parseContract, parseContractJson, type Contract } from '../simulation/contract.ts';
import type { RosterEntry } from '../simulation/roster-entry.ts';
import { parseRoster, RosterError } from './roster-csv.ts';
import { readInputKey } from '../uploads/input-key.ts';
import type { InputVersionStatus, PartnershipStore } from './ports.ts';
import { FIRST_MONTH, type RecalculationTrigger } from '../uploads/recalculation-trigger.ts';

export interface AcceptInputDependencies {
  bucket: ReportBucket;
  store: PartnershipStore;
  rejectedUploads: RejectedUploadStore;
  pseudonymise: (participant: string) => string;
  log: Logger;
  /** Told of every version that is current once processed (accepted, or a repeated notice of it); none: nothing is announced. */
  recalculations?: RecalculationTrigger;
  now?: () => Date;
}

async function text(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Validates a contract or roster against its key; the problems, or the value to store. */
export function validateInput(kind: 'contract', partnership: string, content: string, source: string): Contract;
export function validateInput(kind: 'roster', partnership: string, content: string, source: string, pseudonymise: (p: string) => string): RosterEntry[];
export function validateInput(kind: 'contract' | 'roster', partnership: string, content: string, source: string, pseudonymise?: (p: string) => string): Contract | RosterEntry[] {
  if (kind === 'contract') {
    const contract = parseContract(parseContractJson(content, source), source);
    if (contract.partnership !== partnership) {
      throw new ContractError(source, [`partnership: "${contract.partnership}" does not match the file's partnership "${partnership}"`]);
    }
    return contract;
  }
  const roster = parseRoster(content, pseudonymise!, source);
  const foreign = roster.filter((entry) => entry.partnership !== partnership).map((entry) => entry.partnership);
  if (foreign.length > 0) throw new RosterError(source, [`partnership: rows for ${[...new Set(foreign)].join(', ')} in the roster of ${partnership}`]);
  return roster;
}

/**
 * A contract or roster uploaded to the bucket: validated on arrival (spec 4–5)
 * and made current unless invalid or older than the current version. Invalid
 * uploads are recorded with every problem and change nothing, so no statement is
 * ever computed from an input that failed validation. A key that is not valid
 * is recorded as a rejected upload, never echoing it (spec 2.4).
 */
export async function acceptInput(notice: ReportNotice, deps: AcceptInputDependencies): Promise<Exclude<InputVersionStatus['outcome'], 'failed'> | 'duplicate'> {
  const { store, log } = deps;
  const reading = readInputKey(notice.key);
  if (!reading.ok) return rejectUpload(notice, reading, deps);
  const { kind, partnership } = reading;
  const sequencer = normaliseSequencer(notice.sequencer);
  const status = (outcome: InputVersionStatus['outcome'], problems: string[] = []): InputVersionStatus => ({
    partnership, kind, key: notice.key, versionId: notice.versionId, sequencer,
    processedAt: (deps.now?.() ?? new Date()).toISOString(), outcome, problems,
  });

  const current = await store.currentInputSequencer(partnership, kind);
  if (current !== undefined && current >= sequencer) {
    if (current === sequencer) {
      await deps.recalculations?.recalculateFrom(partnership, FIRST_MONTH); // the first run may have crashed before announcing
      return 'duplicate';
    }
    await store.recordInput(status('superseded', ['a newer version was processed first']));
    return 'superseded';
  }
  const content = await text(await deps.bucket.open(notice.key, notice.versionId));
  let committed: boolean;
  try {
    committed = kind === 'contract'
      ? await store.commitContract(status('accepted'), validateInput('contract', partnership, content, notice.key))
      : await store.commitRoster(status('accepted'), validateInput('roster', partnership, content, notice.key, deps.pseudonymise));
  } catch (error) {
    if (!(error instanceof ContractError || error instanceof RosterError)) throw error;
    await store.recordInput(status('rejected', error.problems));
    log.warn(`${kind} rejected`, { key: notice.key, sequencer, problems: error.problems });
    return 'rejected';
  }
  if (!committed) {
    await store.recordInput(status('superseded', ['a newer version was processed first']));
    return 'superseded';
  }
  log.info(`${kind} accepted`, { key: notice.key, sequencer });
  // A contract or roster touches every month: every stored statement is recalculated (spec 8).
  await deps.recalculations?.recalculateFrom(partnership, FIRST_MONTH);
  return 'accepted';
}
