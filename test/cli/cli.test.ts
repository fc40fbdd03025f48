import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { specExampleContract } from '../../shared/simulation/spec-example.ts';
import { COMMANDS } from '../../cli/pbr.ts';
import { REPO, runPbr } from '../support/pbr-process.ts';
import { redactCpr } from '../../shared/cpr-numbers.ts';

let dir: string;
const write = async (name: string, lines: string[]) => {
  const path = join(dir, name);
  await writeFile(path, lines.join('\n') + '\n');
  return path;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pbr-hours-'));
});

describe('pbr hours', () => {
  it('prints the weekly-hours CSV, sorted by participant then week, and exits 0 when every row counts', async () => {
    const path = await write('2024-03-actor.csv', [
      'participant;date;hours;activity',
      'B;2024-03-11;2,5;ordinary',
      'A;2024-03-12;1,25;absence',
      'B;2024-03-04;7;training',
      'A;2024-03-04;4;wage_subsidy',
    ]);
    const result = await runPbr(['hours', path]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'participant,week,active_hours,paid_hours,training,internship,ordinary,flexjob,wage_subsidy,education,absence',
        'A,2024-W10,4,4,0,0,0,0,4,0,0',
        'A,2024-W11,0,0,0,0,0,0,0,0,1.25',
        'B,2024-W10,7,0,7,0,0,0,0,0,0',
        'B,2024-W11,2.5,2.5,0,0,2.5,0,0,0,0',
        '',
      ].join('\n'),
    );
  });

  it('writes FILE:LINE: reason for each rejected row and exits 3', async () => {
    const path = await write('2024-03-bad.csv', ['participant,date,hours,activity', 'A,2024-03-04,4,training', 'A,2024-03-05,x,training', 'A,2024-03-06,4,dancing']);
    const result = await runPbr(['hours', path]);
    expect(result.code).toBe(3);
    expect(result.stderr.trim().split('\n')).toEqual([
      `${path}:3: column "hours": "x" is not a number of hours`,
      `${path}:4: column "activity": "dancing" is not a known activity (training, internship, ordinary, flexjob, wage_subsidy, education, absence or a Danish name)`,
    ]);
    expect(result.stdout).toContain('A,2024-W10,4,0,4,');
  });

  it('exits 2 when a file is rejected whole, still counting the other files', async () => {
    const good = await write('2024-03-good.csv', ['participant,date,hours,activity', 'G,2024-03-04,4,training']);
    const bad = await write('2024-03-nohours.csv', ['participant,date,activity', 'G,2024-03-04,training']);
    const noMonth = await write('undated-name.csv', ['participant,date,hours,activity', 'G,2024-03-05,1,training']);
    const result = await runPbr(['hours', bad, good, noMonth]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${redactCpr(bad)}: header lacks required column "hours" (or timer)`);
    expect(result.stderr).toContain(`${redactCpr(noMonth)}: cannot tell the report's month`);
    expect(result.stdout).toContain('G,2024-W10,4,0,4,');
  });

  it('takes the month from --month over the path, and checks dates against it', async () => {
    const path = await write('2024-03-named.csv', ['participant,date,hours,activity', 'M,2024-04-02,4,training']);
    expect((await runPbr(['hours', path])).code).toBe(3);
    const result = await runPbr(['hours', '--month', '2024-04', path]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('M,2024-W14,4,');
  });
});

describe('pbr help and usage', () => {
  it.each(COMMANDS.map((command) => command.name))('%s --help prints its usage and the exit codes', async (command) => {
    const result = await runPbr([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: pbr ${command}`));
    expect(result.stdout).toContain('Exit codes: 0 ok, 1 failure, 2 input rejected, 3 rows rejected, 64 usage');
  });

  it('pbr --help lists every command and documents the exit codes; bare pbr prints it on stderr, exit 64', async () => {
    const help = await runPbr(['--help']);
    expect(help.code).toBe(0);
    for (const command of COMMANDS) expect(help.stdout).toContain(`  ${command.name} `);
    for (const [code, meaning] of [[0, 'ok'], [1, 'failure'], [2, 'input rejected'], [3, 'rows rejected'], [64, 'usage']] as const) {
      expect(help.stdout).toMatch(new RegExp(`^  ${code} +${meaning}`, 'm'));
    }
    const bare = await runPbr([]);
    expect([bare.code, bare.stdout, bare.stderr]).toEqual([64, '', help.stdout]);
  });

  it('pbr --version prints the package version and the git revision', async () => {
    const result = await runPbr(['--version']);
    const { version } = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^pbr ${version.replaceAll('.', '\\.')}( \\(git [0-9a-f]{7,}\\))?\n$`));
  });

  it('unknown commands, unknown options and missing arguments are usage errors: exit 64', async () => {
    const unknown = await runPbr(['frobnicate']);
    expect([unknown.code, unknown.stderr]).toEqual([64, expect.stringContaining('unknown command "frobnicate"')]);
    const option = await runPbr(['hours', '--colour', 'x.csv']);
    expect(option.code).toBe(64);
    expect(option.stderr).toContain("Unknown option '--colour'");
    expect(option.stderr).toContain('(see pbr hours --help)');
    const noFiles = await runPbr(['hours']);
    expect([noFiles.code, noFiles.stderr]).toEqual([64, 'pbr hours: name at least one timesheet file\n(see pbr hours --help)\n']);
    expect((await runPbr(['statement', '--month', '2024-03'])).code).toBe(64);
  });

  it('no stack running is a failure (exit 1) with what to do, not a usage error', async () => {
    for (const args of [['export-hours', '--partnership', 'koege'], ['token', '--role', 'holder']]) {
      const result = await runPbr([...args, '--data', dir]);
      expect(result.code, args[0]).toBe(1);
      expect(result.stderr).toMatch(/^pbr [a-z-]+: no local stack (is running|found) .*start one with `npx pbr stack`/);
      expect(result.stderr).not.toContain('--help');
    }
  });

  it('one --format convention: checked before any stack is looked for; --json still works, said to be deprecated', async () => {
    const wrong = await runPbr(['statement', '--partnership', 'koege', '--month', '2024-03', '--format', 'xml', '--data', dir]);
    expect([wrong.code, wrong.stderr]).toEqual([64, expect.stringContaining('--format must be json, text or csv, not "xml"')]);
    const deprecated = await runPbr(['reports', '--partnership', 'koege', '--json', '--data', dir]);
    expect(deprecated.stderr).toContain('warning: --json is deprecated: use --format json');
    expect([deprecated.code, deprecated.stderr]).toEqual([1, expect.stringContaining('no local stack is running')]); // got past the format
    const contradiction = await runPbr(['reports', '--partnership', 'koege', '--json', '--format', 'text', '--data', dir]);
    expect([contradiction.code, contradiction.stderr]).toEqual([64, expect.stringContaining('--json and --format text contradict each other')]);
  });

  it('pbr stack without Java says what to install', async () => {
    const result = await runPbr(['stack', '--in-memory', '--data', dir], { PATH: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Java runtime.*Install/s);
  });
});

describe('pbr simulate', () => {
  const contractFile = async (edit: (c: ReturnType<typeof specExampleContract>) => void = () => {}) => {
    const contract = specExampleContract();
    edit(contract);
    const path = join(dir, `contract-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(path, JSON.stringify(contract));
    return path;
  };

  it('prints the statement JSON with every required field, and --runs 0 leaves the projection out', async () => {
    // 12 h ordinary in 2019-W10 (4–10 March): job_start 15,000 (≥ 10 h of ordinary/flexjob).
    const sheet = await write('2019-03-actor.csv', ['participant,date,hours,activity', 'S,2019-03-04,12,ordinary']);
    const result = await runPbr(['simulate', '--contract', await contractFile(), '--as-of', '2019-03', '--runs', '50', '--seed', '3', sheet]);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['partnership', 'asOf', 'outcomes', 'totals', 'month', 'rejectedReports', 'projection']));
    // Issue 8 (spec 4, 7, 8): outcomes carry a label and their evidence; the fee due is a figure of its own.
    expect(json.outcomes).toEqual([{ participant: 'S', outcome: 'job_start', label: 'Første kvalificerende uge', week: '2019-W10', amount: 15000, evidence: [{ week: '2019-W10', hours: 12 }] }]);
    expect(Object.keys(json.totals).sort()).toEqual(['attributableSavings', 'fees', 'grossBenefitSavings', 'municipalSavings', 'net', 'outcomePayments']);
    expect(json.projection).toMatchObject({ runs: 50, seed: 3, outcomePayments: { p10: expect.any(Number) }, probabilityNetNonNegative: expect.any(Number) });
    const none = JSON.parse((await runPbr(['simulate', '--contract', await contractFile(), '--as-of', '2019-03', '--runs', '0', sheet])).stdout);
    expect(none).not.toHaveProperty('projection');
  });

  it('writes the Danish statement with --format text, and applies --set overrides', async () => {
    const sheet = await write('2019-03-b.csv', ['participant,date,hours,activity', 'S,2019-03-04,12,ordinary']);
    const text = await runPbr(['simulate', '--contract', await contractFile(), '--as-of', '2019-03', '--runs', '0', '--format', 'text', '--set', 'outcomes.job_start.price=20000', sheet]);
    expect(text.stdout).toContain('Resultatbetalinger');
    expect(text.stdout).toContain('20.000,00 kr.');
  });

  it('a --set that names nothing in the contract is an error naming --set, exit 2', async () => {
    const result = await runPbr(['simulate', '--contract', await contractFile(), '--as-of', '2019-03', '--set', 'benefit.weeklyRate=3000', '--set', 'outcomes.job_finish.price=1']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('pbr simulate: --set: invalid contract\n  outcomes.job_finish: no such parameter in the contract\n');
  });

  it('refuses a bad contract with field: reason lines and exit 2, computing nothing', async () => {
    const bad = await contractFile((c) => {
      c.programmeFee = -5;
      c.benefit.refusion[1]!.fromWeek = 1;
    });
    const result = await runPbr(['simulate', '--contract', bad, '--as-of', '2019-03']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('programmeFee: must not be negative');
    expect(result.stderr).toContain('benefit.refusion[1].fromWeek: steps must be ascending: 1 does not come after 1');
  });
});

describe('pbr upload refuses identifiers that could hold a CPR number, before contacting any stack', () => {
  const timesheet = (name: string) => write(name, ['participant,date,hours,activity', 'A,2024-03-04,4,training']);
  const refused = (result: { code: number | null; stderr: string }, command: string) => {
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^pbr ${command}: `));
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.stderr).not.toContain('no local stack'); // refused before looking for one
  };

  it('a file name with 6 digits in a row: suggests --source and never quotes the name', async () => {
    const path = await timesheet('timer 010190-1234 marts.csv');
    const result = await runPbr(['upload', path, '--partnership', 'koege', '--month', '2024-03', '--data', dir]);
    refused(result, 'upload');
    expect(result.stderr).toContain('--source');
    expect(result.stderr).not.toMatch(/010190|marts/);
  });

  it.each([
    ['--partnership', '0101901234'],
    ['--partnership', 'Køge'],
    ['--partnership', '31-12-99-7822'],
    ['--source', '010190-1234'],
    ['--source', 'Jobvejen A/S'],
  ])('%s %s', async (option, value) => {
    const path = await timesheet('2024-03-actor.csv');
    const identifiers = { '--partnership': 'koege', '--source': 'jobvejen', [option]: value };
    const result = await runPbr(['upload', path, '--month', '2024-03', '--data', dir, ...Object.entries(identifiers).flat()]);
    refused(result, 'upload');
    expect(result.stderr).toContain(option);
    for (const digits of value.match(/\d+/g) ?? []) expect(result.stderr).not.toContain(digits);
  });

  it('upload-roster checks --partnership the same way', async () => {
    const roster = await write('roster.csv', ['participant,partnership,referral_date,prior_weeks_on_benefit,weekly_benefit', 'A,koege,2024-01-01,10,3000']);
    const result = await runPbr(['upload-roster', roster, '--partnership', '010190-1234', '--data', dir]);
    refused(result, 'upload-roster');
    expect(result.stderr).not.toContain('010190');
  });

  it('a file name that makes a valid source gets past the checks (here: to "no local stack is running")', async () => {
    const path = await timesheet('2021-03_Virksomhed Nord.csv');
    const result = await runPbr(['upload', path, '--partnership', 'koege', '--month', '2021-03', '--data', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no local stack is running');
  });

  it('--wait takes whole seconds, and not together with --no-wait', async () => {
    const path = await timesheet('2024-03-actor.csv');
    const base = ['upload', path, '--partnership', 'koege', '--month', '2024-03', '--data', dir];
    for (const extra of [['--wait', 'soon'], ['--wait', '0'], ['--wait', '5', '--no-wait']]) {
      const result = await runPbr([...base, ...extra]);
      expect(result.code).toBe(64);
      expect(result.stderr).toMatch(/^pbr upload: .*--wait/);
    }
  });
});
