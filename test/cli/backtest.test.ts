import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BacktestResult } from '../../shared/simulation/backtest.ts';
import { cprsIn } from '../support/leak-scan.ts';
import { runPbr } from '../support/pbr-process.ts';

/*
 * `pbr backtest` end to end on the generated Region Sjælland scenario (4
 * partnerships, Feb 2019 – Sep 2022): the folder form against the single
 * partnership form and `pbr simulate`, the three outputs, and usage errors.
 * Coverage numbers are the model's business; here they only have to add up.
 */

type BacktestJson = BacktestResult & { runs: number; seed: number; prior: string };

let dir: string;
let cprs: string[];
const RUNS = ['--runs', '40'];

/** A partnership's contract, roster and final timesheets (not a correction's first version). */
async function filesOf(id: string) {
  const months = await readdir(join(dir, 'timesheets', id));
  const timesheets: string[] = [];
  for (const month of months.sort()) {
    for (const name of await readdir(join(dir, 'timesheets', id, month), { withFileTypes: true })) if (name.isFile()) timesheets.push(join(dir, 'timesheets', id, month, name.name));
  }
  return { contract: join(dir, 'contracts', `${id}.json`), roster: join(dir, 'rosters', `${id}.csv`), timesheets };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pbr-backtest-'));
  const generated = await runPbr(['generate', '--scale', 'sjaelland', '--seed', '1', '--out', dir]);
  expect(generated.code, generated.stderr).toBe(0);
  const rosters = await Promise.all((await readdir(join(dir, 'rosters'))).map((name) => readFile(join(dir, 'rosters', name), 'utf8')));
  // The participants written as CPR numbers (the rest carry project ids such as SIV-HOL-01).
  cprs = rosters.flatMap((text) => text.trim().split('\n').slice(1).map((line) => line.split(',')[0]!)).filter((participant) => /^\d{6}-?\d{4}$/.test(participant));
  expect(cprs.length).toBeGreaterThan(20);
}, 120_000);

describe('pbr backtest', () => {
  it('backtests a scenario folder: leave-one-out priors, realised ends as pbr simulate states them, a JSON report and an SVG chart', async () => {
    const chart = join(dir, 'calibration.svg');
    const result = await runPbr(['backtest', dir, ...RUNS, '--as-of', '2020-06,2021-06', '--format', 'json', '--chart', chart]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as BacktestJson;
    expect(report).toMatchObject({ runs: 40, seed: 1, prior: 'leave-one-out' });
    const ids = ['koege', 'odsherred', 'stevns', 'holbaek'];
    expect(report.projections.map((p) => `${p.asOf} ${p.partnership}`)).toEqual([...ids.map((id) => `2020-06 ${id}`), ...ids.map((id) => `2021-06 ${id}`)]);
    for (const p of report.projections) {
      expect(p.basis.prior).toMatchObject({ partnerships: 3 });
      for (const figure of ['outcomePayments', 'municipalSavings', 'net'] as const) expect(p[figure].p10).toBeLessThanOrEqual(p[figure].p90);
    }
    for (const figure of ['outcomePayments', 'municipalSavings', 'net'] as const) {
      const m = report.metrics[figure];
      expect(m.projections).toBe(8);
      expect(m.coverage + m.below + m.above).toBeCloseTo(1, 9);
      expect(m.pinballLoss).toBeGreaterThanOrEqual(0);
    }

    // The realised end is Køge's statement as of the contract's end month on all its data.
    const koege = await filesOf('koege');
    const simulated = await runPbr(['simulate', '--contract', koege.contract, '--roster', koege.roster, '--as-of', '2022-09', '--runs', '0', ...koege.timesheets]);
    expect(simulated.code, simulated.stderr).toBeLessThanOrEqual(3); // 3: the scenario's rows rejected on purpose
    const totals = JSON.parse(simulated.stdout).totals;
    const koegeProjection = report.projections.find((p) => p.partnership === 'koege')!;
    expect([koegeProjection.outcomePayments.realised, koegeProjection.municipalSavings.realised, koegeProjection.net.realised]).toEqual([totals.outcomePayments, totals.municipalSavings, totals.net]);

    const svg = await readFile(chart, 'utf8');
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    expect(svg).toMatch(/<title id="chart-title">Projection backtest: 8 projections of 4 partnerships from 2 as-of months<\/title>/);
    expect(svg).toMatch(/<desc id="chart-desc">[^<]*Net: \d+ of 8 inside P10–P90/);
    for (const id of ids) expect(svg).toContain(`>${id}</text>`);
    expect(svg.match(/<g><title>/g)).toHaveLength(3 * 8); // one mark per projection and figure
    expect(cprsIn(result.stdout + result.stderr + svg, cprs)).toEqual([]);
  }, 120_000);

  it('backtests one partnership from its files, with the default prior, as a text table every N months', async () => {
    const stevns = await filesOf('stevns');
    const result = await runPbr(['backtest', '--contract', stevns.contract, '--roster', stevns.roster, ...RUNS, '--every', '12', ...stevns.timesheets]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('Backtest of 1 partnership: 3 projections from 3 as-of months (2020-02 … 2022-02), 40 runs, seed 1');
    expect(lines[1]).toBe("Prior: the programme's default");
    expect(lines.find((line) => line.startsWith('figure'))).toMatch(/projections\s+in P10–P90\s+below P10\s+above P90\s+median \|P50 error\|\s+pinball loss/);
    for (const name of ['outcome payments', 'municipal savings', 'net']) expect(result.stdout).toMatch(new RegExp(`^${name} +3 +\\d+ %`, 'm'));
    expect(result.stdout.match(/^stevns +20\d\d-\d\d/gm)?.map((line) => line.split(/ +/)[1])).toEqual(['2020-02', '2021-02', '2022-02']);
    expect(cprsIn(result.stdout + result.stderr, cprs)).toEqual([]);
  }, 120_000);

  it('gives the same report for the same seed', async () => {
    const args = ['backtest', dir, '--runs', '20', '--as-of', '2021-01', '--format', 'json'];
    const [first, second] = [await runPbr(args), await runPbr(args)];
    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
  }, 120_000);

  it.each([
    [[], /give a scenario folder DIR, or --contract FILE and timesheets/],
    [['DIR', '--every', '3', '--as-of', '2020-01'], /give --every or --as-of, not both/],
    [['DIR', '--as-of', '2020-1'], /--as-of takes months YYYY-MM separated by commas, not "2020-1"/],
    [['DIR', '--every', '0'], /--every must be at least 1/],
    [['DIR', '--format', 'csv'], /--format must be text or json, not "csv"/],
    [['DIR', '--roster', 'r.csv'], /--roster goes with --contract/],
  ])('refuses %j with a usage error', async (args, message) => {
    const result = await runPbr(['backtest', ...args.map((arg) => (arg === 'DIR' ? dir : arg))]);
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('says when a folder is not a scenario, and when no as-of month lies within the contracts', async () => {
    const notScenario = await runPbr(['backtest', join(dir, 'contracts')]);
    expect(notScenario.code).toBe(2);
    expect(notScenario.stderr).toMatch(/no readable manifest\.json, so not a scenario folder from pbr generate/);
    const outside = await runPbr(['backtest', dir, '--as-of', '2018-01,2022-09']);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/no as-of month lies within a contract/);
  });

  it('prints its usage with --help', async () => {
    const result = await runPbr(['backtest', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: pbr backtest DIR/);
  });
});
