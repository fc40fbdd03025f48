import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_FILE, writeScenario, type ScenarioManifest, type ScenarioTimesheet } from '../../local/demo/scenario.ts';
import { parseContract, parseContractJson, type Contract } from '../../shared/simulation/contract.ts';
import { parseRoster } from '../../shared/partnerships/roster-csv.ts';
import type { RosterEntry } from '../../shared/simulation/roster-entry.ts';
import { createPseudonymiser } from '../../shared/cpr-numbers.ts';
import { readTimesheet, type TimesheetResult } from '../../shared/timesheets/read-timesheet.ts';
import { ACTIVITIES } from '../../shared/weekly-hours/activities.ts';
import { monthAfter, weekIndexOfDay, weekIndexOfLabel } from '../../shared/weeks/iso-week.ts';

const pseudonymise = createPseudonymiser('scenario-test-key');
const A = Object.fromEntries(ACTIVITIES.map((activity, i) => [activity, i])) as Record<(typeof ACTIVITIES)[number], number>;
const PAID = [A.ordinary, A.flexjob, A.wage_subsidy];

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pbr-scenario-'));
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** Every file under a directory, by relative path, with its bytes. */
async function filesOf(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), await readFile(path));
  }
  return files;
}

/**
 * SHA-256 over every file (sorted by path: path, NUL, bytes, NUL). Pinned below so a
 * refactoring of the generator cannot change the demo data unnoticed; change the
 * pinned value only with a deliberate change to the data.
 */
function digestOf(files: Map<string, Buffer>): string {
  const hash = createHash('sha256');
  for (const path of [...files.keys()].sort()) hash.update(`${path}\0`).update(files.get(path)!).update('\0');
  return hash.digest('hex');
}
/**
 * Digests of the files the generator writes (workbooks in exceljs's entry order since the reorder for the old
 * streaming reader was dropped). Changed for issue 8: contracts with a fee schedule and Danish labels, rosters
 * with exits; the timesheets stayed byte-identical.
 */
const PINNED_DIGEST = {
  sjaelland1: '881681d2bcd008e39b889dec71eecba84f46ae3f91c5c614b0d9ea7d6f922dc2',
  sjaelland2: '64eb2612a78636d4e7fe49b61e7d816addcb4c46991912bc08cd1994462f3a2c',
  national7: '83fd3eb4bef0fde365e2cd270a8b006f0d84d1c81cb9db1cb2c8d4ec1e22a8ea',
};

function monthsBetween(first: string, last: string): string[] {
  const months: string[] = [];
  for (let month = first; month <= last; month = monthAfter(month)) months.push(month);
  return months;
}

const readReport = (t: ScenarioTimesheet): Promise<TimesheetResult> =>
  readTimesheet({ name: t.file, body: createReadStream(t.file), month: t.month }, { pseudonymise });

/** What a scenario's timesheets add up to, counting only the last version of each report (spec 2.2). */
interface Observed {
  results: Map<ScenarioTimesheet, TimesheetResult>;
  /** Hours per month and activity (final versions). */
  monthly: Map<string, number[]>;
  /** Participants (pseudonyms) with at least one ISO week of ≥ 20 paid hours. */
  paid20: Set<string>;
  /** Participants with any paid hours. */
  paidAny: Set<string>;
  participantsByPartnership: Map<string, Set<string>>;
  /** Per participant: the week indexes with any reported hours (final versions). */
  weeksWithHours: Map<string, Set<number>>;
}

async function observe(manifest: ScenarioManifest): Promise<Observed> {
  const latest = new Map<string, ScenarioTimesheet>();
  for (const t of manifest.timesheets) latest.set(`${t.partnership}/${t.month}/${t.source}`, t);
  const results = new Map<ScenarioTimesheet, TimesheetResult>();
  const monthly = new Map<string, number[]>();
  const paidByWeek = new Map<string, number>();
  const participantsByPartnership = new Map<string, Set<string>>();
  const weeksWithHours = new Map<string, Set<number>>();
  for (const t of manifest.timesheets) {
    const result = await readReport(t);
    results.set(t, result);
    if (!result.ok || latest.get(`${t.partnership}/${t.month}/${t.source}`) !== t) continue;
    const sums = monthly.get(t.month) ?? ACTIVITIES.map(() => 0);
    monthly.set(t.month, sums);
    const participants = participantsByPartnership.get(t.partnership) ?? new Set<string>();
    participantsByPartnership.set(t.partnership, participants);
    for (const week of result.weeks) {
      week.centiHours.forEach((centi, i) => (sums[i]! += centi / 100));
      participants.add(week.participant);
      if (week.centiHours.some((centi) => centi > 0)) {
        const weeks = weeksWithHours.get(week.participant) ?? new Set<number>();
        weeksWithHours.set(week.participant, weeks.add(weekIndexOfLabel(week.week)));
      }
      const key = `${week.participant} ${week.week}`;
      paidByWeek.set(key, (paidByWeek.get(key) ?? 0) + PAID.reduce((sum, i) => sum + week.centiHours[i]!, 0));
    }
  }
  const paid20 = new Set<string>();
  const paidAny = new Set<string>();
  for (const [key, centi] of paidByWeek) {
    const participant = key.split(' ')[0]!;
    if (centi > 0) paidAny.add(participant);
    if (centi >= 2000) paid20.add(participant);
  }
  return { results, monthly, paid20, paidAny, participantsByPartnership, weeksWithHours };
}

const hoursIn = (observed: Observed, month: string, activities: readonly number[]) =>
  activities.reduce((sum, i) => sum + (observed.monthly.get(month)?.[i] ?? 0), 0);

describe('sjaelland scenario (npm start)', () => {
  let manifest: ScenarioManifest;
  let observed: Observed;
  let contracts: Map<string, Contract>;
  let rosters: Map<string, RosterEntry[]>;

  beforeAll(async () => {
    manifest = await writeScenario(join(root, 'sj-1'), { seed: 1, scale: 'sjaelland' });
    observed = await observe(manifest);
    contracts = new Map();
    rosters = new Map();
    for (const p of manifest.partnerships) {
      contracts.set(p.id, parseContract(parseContractJson(await readFile(p.contractFile, 'utf8'), p.contractFile), p.contractFile));
      rosters.set(p.id, parseRoster(await readFile(p.rosterFile, 'utf8'), pseudonymise, p.rosterFile));
    }
  });

  it('is deterministic: the same seed writes byte-identical files, another seed other data', async () => {
    await writeScenario(join(root, 'sj-1-again'), { seed: 1, scale: 'sjaelland' });
    const first = await filesOf(join(root, 'sj-1'));
    const again = await filesOf(join(root, 'sj-1-again'));
    expect([...again.keys()].sort()).toEqual([...first.keys()].sort());
    for (const [path, bytes] of first) expect(again.get(path)!.equals(bytes), path).toBe(true);
    expect(first.has(MANIFEST_FILE)).toBe(true);
    expect([...first.keys()].some((path) => path.endsWith('.xlsx'))).toBe(true);

    const other = await writeScenario(join(root, 'sj-2'), { seed: 2, scale: 'sjaelland' });
    const second = await filesOf(join(root, 'sj-2'));
    expect(other.participants).toBe(47);
    expect([...second].filter(([path, bytes]) => path.startsWith('timesheets') && !first.get(path)?.equals(bytes)).length).toBeGreaterThan(100);
    expect(digestOf(first), 'seed 1').toBe(PINNED_DIGEST.sjaelland1);
    expect(digestOf(second), 'seed 2').toBe(PINNED_DIGEST.sjaelland2);
  });

  it('has the four partnerships of Region Sjælland with 39 + 8 participants', () => {
    expect(manifest.partnerships.map(({ id, municipality, cluster }) => ({ id, municipality, cluster }))).toEqual([
      { id: 'koege', municipality: 'Køge', cluster: 1 },
      { id: 'odsherred', municipality: 'Odsherred', cluster: 1 },
      { id: 'stevns', municipality: 'Stevns', cluster: 1 },
      { id: 'holbaek', municipality: 'Holbæk', cluster: 2 },
    ]);
    const count = (ids: string[]) => ids.reduce((sum, id) => sum + rosters.get(id)!.length, 0);
    expect(count(['koege', 'odsherred', 'stevns'])).toBe(39);
    expect(count(['holbaek'])).toBe(8);
    expect(manifest.participants).toBe(47);
    for (const [id, roster] of rosters) {
      expect(roster.every((entry) => entry.partnership === id)).toBe(true);
      expect(roster.length).toBeGreaterThanOrEqual(8);
      for (const entry of roster) {
        const referral = new Date(entry.referralDay * 86_400_000).toISOString().slice(0, 10);
        expect(referral >= '2019-02-04' && referral <= '2021-12-31', referral).toBe(true);
      }
    }
    const everyone = [...rosters.values()].flat().map((entry) => entry.participant);
    expect(new Set(everyone).size).toBe(47);
  });

  it('writes valid contracts with rate cards like the spec, varied per municipality', () => {
    for (const [id, contract] of contracts) {
      expect(contract.partnership).toBe(id);
      expect([contract.start, contract.end]).toEqual(['2019-02-04', '2022-09-30']);
      expect(contract.outcomes.map((o) => o.id)).toEqual(expect.arrayContaining(['job_start', 'sustained_13', 'sustainment', 'education_start']));
      expect(contract.programmeFee).toBeGreaterThanOrEqual(250_000);
      expect(contract.cap).toBeLessThanOrEqual(600_000);
    }
    expect(contracts.get('koege')!.programmeFee).toBe(450_000); // the spec's example
    expect(contracts.get('holbaek')!.outcomes[0]).toMatchObject({ id: 'referral', rule: 'referral' });
    expect(new Set([...contracts.values()].map((c) => c.programmeFee)).size).toBe(4);
  });

  it('pays the fee in instalments inside the contract that sum to the fee, and names the outcomes in Danish', () => {
    for (const [id, contract] of contracts) {
      const schedule = contract.feeSchedule ?? [];
      expect(schedule.length, id).toBe(3);
      expect(schedule.reduce((sum, instalment) => sum + instalment.amount, 0), id).toBe(contract.programmeFee);
      expect(schedule.map((i) => i.month)).toEqual([...schedule.map((i) => i.month)].sort());
      for (const { month } of schedule) expect(month >= '2019-02' && month <= '2022-09', month).toBe(true);
      for (const outcome of contract.outcomes) expect(outcome.label, `${id} ${outcome.id}`).toMatch(/^[A-ZÆØÅ][a-zæøå]+[ ,.\dA-Za-zæøåÆØÅ]*$/);
    }
    // Klynge 2 (Holbæk) started its referrals a year after klynge 1.
    expect(contracts.get('koege')!.feeSchedule![0]).toEqual({ month: '2019-02', amount: 180_000 });
    expect(contracts.get('holbaek')!.feeSchedule![0]).toEqual({ month: '2020-01', amount: 120_000 });
    expect(contracts.get('koege')!.outcomes.find((o) => o.id === 'job_start')!.label).toBe('Job, første uge');
  });

  it("records every participant's exit as the final report's end-of-programme status (shared/seeds/000_*)", () => {
    const reasons = (ids: string[]) => {
      const counts: Record<string, number> = {};
      for (const entry of ids.flatMap((id) => rosters.get(id)!)) counts[entry.exitReason ?? 'none'] = (counts[entry.exitReason ?? 'none'] ?? 0) + 1;
      return counts;
    };
    expect(reasons(['koege', 'odsherred', 'stevns'])).toEqual({ employment: 6, unemployed: 24, unavailable: 8, deceased: 1 });
    expect(reasons(['holbaek'])).toEqual({ employment: 1, education: 1, unemployed: 4, unavailable: 2 });
    for (const entry of [...rosters.values()].flat()) expect(entry.exitDay! >= entry.referralDay).toBe(true);
    // The people still in work or education at the end leave in the contract's last week.
    const lastWeek = weekIndexOfDay(Date.UTC(2022, 8, 30) / 86_400_000);
    for (const entry of [...rosters.values()].flat().filter((e) => e.exitReason === 'employment' || e.exitReason === 'education')) {
      expect(weekIndexOfDay(entry.exitDay!)).toBe(lastWeek);
    }
  });

  it('has no hours after an exit week, except the one late report that shows the warning', () => {
    const late: string[] = [];
    for (const [id, roster] of rosters) {
      for (const entry of roster) {
        const weeks = [...(observed.weeksWithHours.get(entry.participant) ?? [])];
        expect(weeks.length, `${id} ${entry.participant} has hours`).toBeGreaterThan(0);
        const exitWeek = weekIndexOfDay(entry.exitDay!);
        // Everyone has hours in their exit week (the exit is dated on their last reported day) or, late, after it.
        expect(weeks.some((week) => week >= exitWeek), `${id} ${entry.participant}`).toBe(true);
        if (weeks.some((week) => week > exitWeek)) late.push(`${id} ${entry.exitReason}`);
      }
    }
    expect(late).toEqual(['koege unemployed']);
  });

  it('reads every timesheet; only the deliberate mistakes are rejected rows', () => {
    const kinds: Record<string, RegExp> = {
      unknown_activity: /is not a known activity/,
      outside_month: /lies outside the report month/,
      over_24_hours: /is outside \(0, 24\] hours for a day/,
    };
    for (const [t, result] of observed.results) {
      expect(result.ok, `${t.file}: ${result.ok ? '' : result.reason}`).toBe(true);
      if (!result.ok) continue;
      expect(result.rejected.map((r) => r.line), t.file).toEqual(t.mistakes.map((m) => m.line));
      t.mistakes.forEach((mistake, i) => expect(result.rejected[i]!.reason).toMatch(kinds[mistake.kind]!));
    }
    expect(manifest.timesheets.flatMap((t) => t.mistakes.map((m) => m.kind)).sort()).toEqual(['outside_month', 'over_24_hours', 'unknown_activity']);
    expect(manifest.rows).toBeGreaterThan(5000);
  });

  it('mixes the formats actors and companies send', async () => {
    const heads = await Promise.all(manifest.timesheets.filter((t) => t.file.endsWith('.csv')).map(async (t) => (await readFile(t.file, 'utf8')).split(/\r?\n/, 2)));
    // Danish actor exports: ";", decimal comma, CPR numbers.
    expect(heads.some(([header, row]) => header!.includes(';') && /dato/i.test(header!) && /^\d{6}-?\d{4};/.test(row!) && /;\d+,\d+;/.test(row!))).toBe(true);
    // Monthly totals: no date column.
    expect(heads.some(([header]) => header!.includes(';') && !/dato|date/i.test(header!))).toBe(true);
    // English company CSV with project ids.
    expect(heads.some(([header, row]) => header!.startsWith('participant_id,date') && row!.startsWith('SIV-HOL-'))).toBe(true);
    const workbooks = manifest.timesheets.filter((t) => t.file.endsWith('.xlsx'));
    expect(workbooks.length).toBeGreaterThan(20);
  });

  it('has one correction, uploaded after the version it replaces', async () => {
    const corrections = manifest.timesheets.filter((t) => t.correction);
    expect(corrections).toHaveLength(1);
    const correction = corrections[0]!;
    const at = manifest.timesheets.indexOf(correction);
    const earlier = manifest.timesheets.slice(0, at).filter((t) => t.partnership === correction.partnership && t.month === correction.month && t.source === correction.source);
    expect(earlier).toHaveLength(1);
    expect(earlier[0]!.file).not.toBe(correction.file);
    expect(await readFile(earlier[0]!.file, 'utf8')).not.toBe(await readFile(correction.file, 'utf8'));
  });

  it('lists the timesheets month by month, covering 2019-02 to 2022-09', () => {
    const months = manifest.timesheets.map((t) => t.month);
    expect(months).toEqual([...months].sort());
    expect([...new Set(months)]).toEqual(monthsBetween('2019-02', '2022-09'));
    for (const t of manifest.timesheets) expect(t.file).toContain(`timesheets/${t.partnership}/${t.month}/`);
  });

  it('has hours only for rostered participants (CPR numbers written differently map to one pseudonym)', () => {
    for (const [id, participants] of observed.participantsByPartnership) {
      const roster = new Set(rosters.get(id)!.map((entry) => entry.participant));
      for (const participant of participants) expect(roster.has(participant), `${id}: ${participant}`).toBe(true);
    }
    expect([...observed.participantsByPartnership.values()].reduce((n, s) => n + s.size, 0)).toBeGreaterThan(40);
  });

  it('pauses in the COVID lockdowns: April 2020 and December 2020 have far fewer hours than the months around them', () => {
    const programme = [A.training, A.internship]; // what the pauses stop; paid jobs mostly went on
    const active = ACTIVITIES.map((_, i) => i).filter((i) => i !== A.absence);
    for (const [pause, before, after] of [['2020-04', '2020-02', '2020-06'], ['2020-12', '2020-11', '2021-01']] as const) {
      for (const neighbour of [before, after]) {
        expect(hoursIn(observed, pause, programme), `${pause} vs ${neighbour}`).toBeLessThan(0.25 * hoursIn(observed, neighbour, programme));
        expect(hoursIn(observed, pause, active), `${pause} vs ${neighbour}`).toBeLessThan(0.6 * hoursIn(observed, neighbour, active));
      }
    }
  });

  it('brings 7–8 people into paid work: participants with at least one ISO week of ≥ 20 paid hours', async () => {
    // Paid = ordinary + flexjob + wage subsidy, summed over all reports of the week.
    expect(observed.paid20.size).toBeGreaterThanOrEqual(7);
    expect(observed.paid20.size).toBeLessThanOrEqual(8);
    // Plus a small job that never reaches 20 hours a week.
    expect(observed.paidAny.size).toBeGreaterThan(observed.paid20.size);
    // The same holds for another seed: the paths are planned, only dates and hours vary.
    const other = JSON.parse(await readFile(join(root, 'sj-2', MANIFEST_FILE), 'utf8')) as ScenarioManifest;
    for (const t of other.timesheets) t.file = join(root, 'sj-2', t.file);
    const second = await observe(other);
    expect(second.paid20.size).toBeGreaterThanOrEqual(7);
    expect(second.paid20.size).toBeLessThanOrEqual(8);
  });
});

describe('national scenario (pbr generate --scale national)', () => {
  it('writes 98 municipalities with 5,000 participants over 2019–2021', async () => {
    const dir = join(root, 'national');
    const progress: number[] = [];
    const manifest = await writeScenario(dir, { seed: 7, scale: 'national', onProgress: (p) => progress.push(p.partnershipsDone) });
    expect(manifest.partnerships).toHaveLength(98);
    expect(manifest.partnerships[0]).toMatchObject({ id: 'm001', municipality: 'Kommune 001' });
    expect(manifest.partnerships[97]).toMatchObject({ id: 'm098', municipality: 'Kommune 098' });
    expect(progress[progress.length - 1]).toBe(98);
    expect(digestOf(await filesOf(dir))).toBe(PINNED_DIGEST.national7);
    let rosterRows = 0;
    for (const p of manifest.partnerships) {
      const contract = parseContract(parseContractJson(await readFile(p.contractFile, 'utf8'), p.contractFile), p.contractFile);
      expect(contract.partnership).toBe(p.id);
      rosterRows += parseRoster(await readFile(p.rosterFile, 'utf8'), pseudonymise, p.rosterFile).length;
    }
    expect(rosterRows).toBe(5000);
    expect(manifest.participants).toBe(5000);
    const months = manifest.timesheets.map((t) => t.month);
    expect(months).toEqual([...months].sort());
    expect([...new Set(months)]).toEqual(monthsBetween('2019-01', '2021-12'));
    expect(manifest.timesheets.every((t) => t.file.endsWith('.csv') && t.mistakes.length === 0 && !t.correction)).toBe(true);
    expect(manifest.rows).toBeGreaterThan(300_000);
    // A sample of the files reads cleanly.
    for (const t of manifest.timesheets.filter((_, i) => i % 97 === 0)) {
      const result = await readReport(t);
      expect(result.ok && result.rejected.length === 0, t.file).toBe(true);
    }
  });
});
