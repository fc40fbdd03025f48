import { readFile } from 'node:fs/promises';
import { required, UsageError, type Command, type Values } from '../command.ts';
import { resolveTarget, TARGET_OPTIONS, TARGET_USAGE } from '../target.ts';
import { isStatusOf, uploadFile, waitForStatus } from '../uploads.ts';
import { validateInput } from '../../shared/partnerships/accept-input.ts';
import { inputKey } from '../../shared/partnerships/input-key.ts';
import type { InputKind } from '../../shared/partnerships/ports.ts';
import { createPseudonymiser } from '../../shared/timesheets/pseudonym.ts';
import { EXIT_FILE_REJECTED } from './hours.ts';

/**
 * Checks a contract or roster locally with the pipeline's own validation (so a
 * bad file is refused before it is uploaded), uploads it and waits for the
 * pipeline's verdict.
 */
async function uploadInput(kind: InputKind, file: string, partnership: string, values: Values): Promise<number> {
  const content = await readFile(file, 'utf8');
  // Pseudonyms do not matter for validation; the pipeline makes them with the real key.
  if (kind === 'contract') validateInput(kind, partnership, content, file);
  else validateInput(kind, partnership, content, file, createPseudonymiser('validation-only'));
  const target = await resolveTarget(values);
  const uploaded = await uploadFile(target.s3, target.bucket, inputKey(kind, partnership), file);
  process.stdout.write(`uploaded ${file} to s3://${target.bucket}/${uploaded.key}\n`);
  if (values['no-wait']) return 0;
  const status = await waitForStatus(async () => (await target.partnerships.inputStatuses(partnership)).find((s) => isStatusOf(uploaded, s)));
  if (!status) return 1;
  process.stdout.write(`${kind} ${status.outcome} (version ${status.versionId ?? status.sequencer})\n${status.problems.map((p) => `    ${p}\n`).join('')}`);
  return status.outcome === 'rejected' ? EXIT_FILE_REJECTED : 0;
}

export const uploadContract: Command = {
  name: 'upload-contract',
  summary: "validate and upload a partnership's contract (contracts/P.json)",
  usage: `
Usage: pbr upload-contract FILE [--no-wait] [target]

Validates the contract (spec section 4) and uploads it as contracts/P.json, P
being its "partnership" field; the pipeline validates it again on arrival and
it replaces the earlier contract. Exit 2 when the contract is invalid (every
problem is listed as field: reason).
${TARGET_USAGE}`,
  options: { 'no-wait': { type: 'boolean' }, ...TARGET_OPTIONS },
  async run(values, positionals) {
    if (positionals.length !== 1) throw new UsageError('name exactly one contract FILE');
    const file = positionals[0]!;
    let partnership: unknown;
    try {
      partnership = (JSON.parse(await readFile(file, 'utf8')) as { partnership?: unknown }).partnership;
    } catch {
      partnership = undefined;
    }
    if (typeof partnership !== 'string' || partnership === '') partnership = '?';
    return uploadInput('contract', file, partnership as string, values);
  },
};

export const uploadRoster: Command = {
  name: 'upload-roster',
  summary: "validate and upload a partnership's roster (rosters/P.csv)",
  usage: `
Usage: pbr upload-roster FILE --partnership P [--no-wait] [target]

Validates the roster (spec section 5: participant, partnership, referral_date,
prior_weeks_on_benefit, weekly_benefit; Danish aliases) and uploads it as
rosters/P.csv; CPR numbers are pseudonymised by the pipeline. Exit 2 when the
roster is invalid (every problem is listed with its line).
${TARGET_USAGE}`,
  options: { partnership: { type: 'string' }, 'no-wait': { type: 'boolean' }, ...TARGET_OPTIONS },
  async run(values, positionals) {
    if (positionals.length !== 1) throw new UsageError('name exactly one roster FILE');
    return uploadInput('roster', positionals[0]!, required(values, 'partnership'), values);
  },
};
