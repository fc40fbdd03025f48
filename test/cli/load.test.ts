import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoHoursStore } from '../../shared/adapters/dynamodb-hours-store.ts';
import { DynamoPartnershipStore } from '../../shared/adapters/dynamodb-partnership-store.ts';
import { reportsCounted } from '../../shared/statements/manifest.ts';
import { EXIT, InputError, UsageError } from '../../cli/command.ts';
import { load } from '../../cli/commands/load.ts';
import { runPbr, smallContract, startStackProcess, type StackProcess } from '../support/pbr-process.ts';

/*
 * Issue 14: `pbr load DIR` on a small scenario folder against a real local stack:
 * every upload gets its verdict, every month gets a current statement, and a
 * second run changes nothing (no new report version, no statement recomputed).
 */
const MONTHS = ['2024-01', '2024-02', '2024-03'];
const PARTNERSHIPS = [
  { id: 'alfa', municipality: 'Køge' },
  { id: 'beta', municipality: 'Stevns' },
];
let stack: StackProcess;
let scenario: string;
let hours: DynamoHoursStore;
let partnerships: DynamoPartnershipStore;

/** A timesheet of one month: two participants, the second one's hours growing month by month. */
const timesheet = (month: string, n: number, extra = '') => `Deltager;Dato;Timer;Aktivitet\nA-1;15-${month.slice(5)}-2024;${8 + n};løn\nB-2;16-${month.slice(5)}-2024;${4 * n};praktik\n${extra}`;

/** The folder pbr generate would write: contracts, rosters, timesheets and the manifest (one correction, one bad row). */
async function writeSmallScenario(dir: string): Promise<void> {
  const put = async (path: string, text: string) => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
    return path;
  };
  const timesheets = [];
  const manifestPartnerships = [];
  for (const { id, municipality } of PARTNERSHIPS) {
    const contractFile = await put(`contracts/${id}.json`, JSON.stringify(smallContract(id, municipality)));
    const rosterFile = await put(`rosters/${id}.csv`, `participant,partnership,referral_date,prior_weeks_on_benefit,weekly_benefit,exit_date,exit_reason\nA-1,${id},2024-01-08,20,,,\nB-2,${id},2024-01-08,30,,,\n`);
    manifestPartnerships.push({ id, municipality, cluster: 1, contractFile, rosterFile });
  }
  for (const [n, month] of MONTHS.entries()) {
    for (const { id } of PARTNERSHIPS) {
      const bad = id === 'beta' && month === '2024-02' ? 'C-3;99-02-2024;5;løn\n' : '';
      if (id === 'alfa' && month === '2024-02') {
        // No bad row in it: whether its verdict or the correction's is counted then changes no total.
        const file = await put(`timesheets/${id}/${month}/first-version/aktoer.csv`, timesheet(month, 5));
        timesheets.push({ file, partnership: id, month, source: 'aktoer', note: 'first version', mistakes: [], correction: false });
      }
      const file = await put(`timesheets/${id}/${month}/aktoer.csv`, timesheet(month, n + 1, bad));
      timesheets.push({ file, partnership: id, month, source: 'aktoer', note: '', mistakes: [], correction: id === 'alfa' && month === '2024-02' });
    }
  }
  const manifest = { seed: 0, scale: 'world', partnerships: manifestPartnerships, timesheets, participants: 4, rows: 13, bytes: 0 };
  await put('manifest.json', JSON.stringify(manifest));
}

/** `pbr load` of the scenario, as a user runs it. */
const pbrLoad = () => runPbr(['load', scenario, '--concurrency', '3', '--data', stack.dataDir], { STATEMENT_RUNS: '20' });

/** Every report version and every statement's record, as stored. */
async function storedState() {
  const state: Record<string, unknown> = {};
  for (const { id } of PARTNERSHIPS) {
    state[`${id} reports`] = await hours.reportStatuses(id);
    for (const month of await partnerships.statementMonths(id)) {
      const stored = (await partnerships.statement(id, month))!;
      state[`${id} ${month}`] = { inputsHash: stored.inputsHash, computedAt: stored.computedAt, inputsStamp: stored.inputsStamp };
    }
  }
  return state;
}

beforeAll(async () => {
  [stack, scenario] = await Promise.all([startStackProcess(), mkdtemp(join(tmpdir(), 'pbr-load-'))]);
  await writeSmallScenario(scenario);
  const documents = createDocumentClient();
  hours = new DynamoHoursStore(documents, stack.endpoints.table);
  partnerships = new DynamoPartnershipStore(documents, stack.endpoints.table);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('pbr load', () => {
  it('loads a scenario folder: a verdict for every upload, a current statement for every month; a second run changes nothing', async () => {
    const first = await pbrLoad();
    expect(first.code, first.stderr).toBe(EXIT.rowsRejected); // beta's bad February row
    expect(first.stdout).toMatch(/loaded 11 files \(11 uploaded, 0 already there\)/);
    expect(first.stdout).toMatch(/rejected 1;/);
    expect(first.stdout).toMatch(/statements 6 current \(6 computed now\)/);
    for (const { id } of PARTNERSHIPS) {
      const statuses = await hours.reportStatuses(id);
      expect(statuses.map((s) => s.outcome)).toEqual(statuses.map(() => 'accepted'));
      expect(statuses.filter((s) => s.current).map((s) => s.month)).toEqual(MONTHS); // the correction replaced alfa's first February
      expect(statuses.length).toBe(id === 'alfa' ? 4 : 3);
      expect(await partnerships.statementMonths(id)).toEqual(MONTHS);
      for (const month of MONTHS) {
        const manifest = (await partnerships.statement(id, month))!.manifest!;
        expect(manifest.reports.map((r) => r.sequencer)).toEqual(reportsCounted(statuses, month).map((r) => r.sequencer));
      }
    }
    // alfa's February statement counts the correction: B-2's 8 hours of internship, not the first version's 20.
    const february = (await partnerships.statement('alfa', '2024-02'))!.manifest!.reports.find((r) => r.month === '2024-02')!;
    expect(february.sequencer).toBe((await hours.reportStatuses('alfa')).find((s) => s.month === '2024-02' && s.current)!.sequencer);

    const before = await storedState();
    const second = await pbrLoad();
    expect(second.code, second.stderr).toBe(EXIT.rowsRejected);
    expect(second.stdout).toMatch(/loaded 11 files \(0 uploaded, 11 already there\)/);
    expect(second.stdout).toMatch(/statements 6 current \(0 computed now\)/);
    expect(await storedState()).toEqual(before);
  }, 60_000);

  it('refuses a folder without a manifest (exit 2) and a bad --concurrency (exit 64) before looking for a stack', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'pbr-load-empty-'));
    await expect(load.run({ data: empty }, [empty])).rejects.toThrow(InputError);
    await expect(load.run({ concurrency: '0', data: empty }, [scenario])).rejects.toThrow(UsageError);
  });
});
