import { readFile } from 'node:fs/promises';
import { EXIT, required, UsageError, type Command, type Values } from '../command.ts';
import { resolveTarget, TARGET_OPTIONS, TARGET_USAGE } from '../target.ts';
import { checkedIdentifier, isStatusOf, uploadFile, waitForStatus, waitSeconds, WAIT_OPTIONS, WAIT_USAGE } from '../uploads.ts';
import { validateInput } from '../../shared/partnerships/accept-input.ts';
import { inputKey } from '../../shared/uploads/input-key.ts';
import type { InputKind } from '../../shared/uploads/input-key.ts';
import { createPseudonymiser } from '../../shared/cpr-numbers.ts';

/**
 * Checks a contract or roster locally with the pipeline's own validation (so a
 * bad file is refused before it is uploaded), uploads it and waits for the
 * pipeline's verdict.
 */
async function uploadInput(kind: InputKind, file: string, partnership: string, values: Values): Promise<number> {
  const wait = waitSeconds(values);
  const content = await readFile(file, 'utf8');
  // Pseudonyms do not matter for validation; the pipeline makes them with the real key.
  if (kind === 'contract') validateInput(kind, partnership, content, file);
  else validateInput(kind, partnership, content, file, createPseudonymiser('validation-only'));
  const target = await resolveTarget(values);
  const uploaded = await uploadFile(target.s3, target.bucket, inputKey(kind, partnership), file);
  process.stdout.write(`uploaded ${file} to s3://${target.bucket}/${uploaded.key}\n`);
  if (wait === undefined) return EXIT.ok;
  const check = 'the stack\'s log (locally) or the accept-input function\'s logs, or upload it again';
  const status = await waitForStatus(async () => (await target.partnerships.inputStatuses(partnership)).find((s) => isStatusOf(uploaded, s)), wait, check);
  if (!status) return EXIT.failure;
  process.stdout.write(`${kind} ${status.outcome} (version ${status.versionId ?? status.sequencer})\n${status.problems.map((p) => `    ${p}\n`).join('')}`);
  if (status.outcome === 'rejected') return EXIT.inputRejected;
  return status.outcome === 'failed' ? EXIT.failure : EXIT.ok;
}

/** `pbr upload-contract`: a contract, checked here and then by the pipeline. */
export const uploadContract: Command = {
  usage: `
Usage: pbr upload-contract FILE [--wait SECONDS | --no-wait] [target]

Validates the contract (spec section 4) and uploads it as contracts/P.json, P
being its "partnership" field; the pipeline validates it again on arrival and
it replaces the earlier contract. Exit 2 when the contract is invalid (every
problem is listed as field: reason), 1 when it failed after the pipeline's
retries or no verdict came in time.
${WAIT_USAGE}
${TARGET_USAGE}`,
  options: { ...WAIT_OPTIONS, ...TARGET_OPTIONS },
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

/** `pbr upload-roster`: a roster, checked here and then by the pipeline. */
export const uploadRoster: Command = {
  usage: `
Usage: pbr upload-roster FILE --partnership P [--wait SECONDS | --no-wait] [target]

Validates the roster (spec section 5: participant, partnership, referral_date,
prior_weeks_on_benefit, weekly_benefit; Danish aliases) and uploads it as
rosters/P.csv; CPR numbers are pseudonymised by the pipeline. Exit 2 when the
roster is invalid (every problem is listed with its line) or P is not an id
(a–z, 0–9 and "-", no 6 digits in a row), 1 when it failed after the pipeline's
retries or no verdict came in time.
${WAIT_USAGE}
${TARGET_USAGE}`,
  options: { partnership: { type: 'string' }, ...WAIT_OPTIONS, ...TARGET_OPTIONS },
  async run(values, positionals) {
    if (positionals.length !== 1) throw new UsageError('name exactly one roster FILE');
    return uploadInput('roster', positionals[0]!, checkedIdentifier('--partnership', required(values, 'partnership')), values);
  },
};
