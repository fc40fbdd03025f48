import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoPartnershipStore } from '../../shared/adapters/dynamodb-partnership-store.ts';
import { parseContract } from '../../shared/simulation/contract.ts';
import { specExampleContract } from '../../shared/simulation/spec-example.ts';
import { pbrOnStack, REPO, startStackProcess, type StackProcess } from '../support/pbr-process.ts';
import { axeViolations, launchBrowser, openPage, signInWithPicker } from './browser.ts';

/*
 * Issue 10, points 3, 5 and 7 (and issue 14's partnership list at 100 partnerships, last) in a real browser on its own local stack: Danish
 * number input reaching the API as the intended numbers (and ambiguity refused in
 * Danish), Danish validation reasons for a rejected upload, monitoring that follows
 * people (exited, no hours for weeks, the alarm count without the exited), the
 * upload month's default, no stray "undefined", and axe-core (WCAG 2.2 AA) with
 * zero violations on every view at desktop width and at 390 px.
 */

const SCREENSHOTS = join(REPO, 'test-results', 'portal');
const PARTNERSHIP = 'sydby';
const MUNICIPALITY = 'Sydby';

let stack: StackProcess;
let api: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let pageErrors: string[];

/** `pbr ARGS` on this file's stack, 100 runs per statement. */
const pbr = (...args: string[]) => pbrOnStack(stack, 100, ...args);

/** Weekdays of `month` from `from` to `to` (day of month), as timesheet rows of `hours` of `activity`. */
function days(participant: string, month: string, from: number, to: number, hours: string, activity = 'praktik'): string[] {
  const rows: string[] = [];
  for (let d = from; d <= to; d++) {
    const date = `${month}-${String(d).padStart(2, '0')}`;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) rows.push(`${participant},${date},${hours},${activity}`);
  }
  return rows;
}

/**
 * Sydby: four participants referred 1 September 2021. S-AKTIV works 4 h a day
 * throughout, S-LAV only 1 h a day in November, S-VAEK stops after 8 October,
 * S-UD leaves for work on 29 October (the roster says so).
 */
async function loadSydby(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'pbr-inputs-'));
  const contract = { ...specExampleContract(), partnership: PARTNERSHIP, name: 'Vækstpartnerskab Sydby', municipality: MUNICIPALITY, start: '2021-09-01', end: '2022-12-31' };
  await writeFile(join(dir, 'contract.json'), JSON.stringify(contract));
  await writeFile(
    join(dir, 'roster.csv'),
    ['participant,partnership,referral_date,exit_date,exit_reason', 'S-AKTIV,sydby,2021-09-01,,', 'S-LAV,sydby,2021-09-01,,', 'S-VAEK,sydby,2021-09-01,,', 'S-UD,sydby,2021-09-01,2021-10-29,employment', ''].join('\n'),
  );
  const header = 'deltager,dato,timer,aktivitet';
  await writeFile(
    join(dir, 'oct.csv'),
    [header, ...days('S-AKTIV', '2021-10', 1, 31, '4'), ...days('S-LAV', '2021-10', 1, 31, '4'), ...days('S-VAEK', '2021-10', 1, 8, '4'), ...days('S-UD', '2021-10', 1, 29, '2'), ''].join('\n'),
  );
  await writeFile(join(dir, 'nov.csv'), [header, ...days('S-AKTIV', '2021-11', 1, 26, '4'), ...days('S-LAV', '2021-11', 1, 26, '1'), ''].join('\n'));
  await pbr('upload-contract', join(dir, 'contract.json'));
  await pbr('upload-roster', join(dir, 'roster.csv'), '--partnership', PARTNERSHIP);
  await pbr('upload', join(dir, 'oct.csv'), '--partnership', PARTNERSHIP, '--month', '2021-10', '--source', 'aktoer');
  await pbr('upload', join(dir, 'nov.csv'), '--partnership', PARTNERSHIP, '--month', '2021-11', '--source', 'aktoer');
  await pbr('recalc', '--as-of', '2021-10');
  await pbr('recalc', '--as-of', '2021-11');
}

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `inputs-monitoring-${name}.png`), fullPage: true });
}

const signIn = (as: 'holder' | string) => signInWithPicker(page, api, as);

/** axe-core's WCAG 2.2 AA rules on the page as it is now: the violations, as rule id → the elements. */
async function pageViolations(): Promise<Record<string, string[]>> {
  const { passes, violations } = await axeViolations(page);
  expect(passes, 'axe ran its rules').toBeGreaterThan(10);
  return violations;
}

/** Every check a view must pass, at desktop width and at 390 px: no axe violation, no "undefined", nothing wider than the screen. */
async function checkView(name: string): Promise<void> {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await expect(pageViolations(), `${name} at ${width} px`).resolves.toEqual({});
    expect(await page.locator('body').innerText(), `${name}: no stray "undefined"`).not.toMatch(/undefined/);
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
    expect(overflow, `${name} at ${width} px: the page itself never scrolls sideways`).toBeLessThanOrEqual(0);
    await screenshot(`${name}-${width}`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  browser = await launchBrowser();
  stack = await startStackProcess('stack');
  api = /^ready api=(\S+)/m.exec(stack.output())?.[1] ?? stack.endpoints.api;
  await loadSydby();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

beforeEach(async () => {
  ({ context, page, errors: pageErrors } = await openPage(browser));
});

afterEach(async () => {
  await context?.close();
  expect(pageErrors, 'errors in the page').toEqual([]);
});

describe('Danish input, Danish reasons, monitoring and accessibility', () => {
  it('the sign-in and the language button pass axe; the button’s name contains its visible text', async () => {
    await page.goto(`${api}/`);
    await page.getByTestId('role-picker').waitFor();
    const button = page.getByTestId('lang-switch');
    await expect(button.locator('span[lang=en]').innerText()).resolves.toBe('English'); // what is seen, in its own language …
    await expect(button.getAttribute('aria-label')).resolves.toBeNull();
    await expect(page.getByRole('button', { name: 'English (skift sprog til engelsk)' }).count()).resolves.toBe(1); // … starts its accessible name
    await checkView('sign-in');
  });

  it('monitoring follows people: exited with reason, no hours for weeks, the alarm count without the exited', async () => {
    await signIn('holder');
    const table = page.getByTestId('hours-table');
    await table.waitFor();
    // the as-of week defaults to the last week with data
    await expect(page.getByTestId('as-of-week').inputValue()).resolves.toBe('2021-W47');
    const status = async (participant: string) => (await table.locator(`tr[data-participant="${participant}"]`).getByTestId('participant-status').textContent())?.trim();
    await expect(status('S-UD')).resolves.toBe('udmeldt (i job)');
    await expect(status('S-VAEK')).resolves.toMatch(/ingen timer i 7 uger$/);
    await expect(status('S-LAV')).resolves.toMatch(/under grænsen$/);
    await expect(status('S-AKTIV')).resolves.toBe('aktiv');
    await expect(page.getByTestId('hours-summary').textContent()).resolves.toMatch(/: 2 af 3 deltagere i forløb kræver opfølgning .* 1 er udmeldt og tælles ikke med\.$/);
    await expect(table.locator('tr[data-participant="S-AKTIV"] [data-testid=sparkline]').getAttribute('aria-label')).resolves.toMatch(/^Aktive timer pr\. uge for S-AKTIV, uge 2021-W\d\d til 2021-W47: /);
    await checkView('hours');

    // an earlier week: S-UD was still there (and under the threshold), S-VAEK had stopped only two weeks before
    await page.getByTestId('as-of-week').selectOption('2021-W42');
    await expect(status('S-UD')).resolves.toMatch(/under grænsen$/);
    await expect(status('S-VAEK')).resolves.toMatch(/under grænsen$/);
    await expect(page.getByTestId('hours-summary').textContent()).resolves.toMatch(/ 0 er udmeldt/);

    // filters: alarms only, then a text search
    await page.getByTestId('as-of-week').selectOption('2021-W47');
    await page.getByTestId('status-filter').selectOption('alarm');
    await expect(table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-participant')))).resolves.toEqual(['S-VAEK', 'S-LAV']);
    await page.getByTestId('status-filter').selectOption('all');
    await page.getByTestId('hours-search').fill('ud');
    await expect(table.locator('tbody tr').count()).resolves.toBe(1);
    await screenshot('hours-filtered');
  }, 120_000);

  it('the threshold takes Danish numbers to the API and refuses an ambiguous one in Danish', async () => {
    await signIn('holder');
    await page.getByTestId('hours-table').waitFor();
    const asked: string[] = [];
    page.on('request', (request) => { if (request.url().includes('/hours?')) asked.push(new URL(request.url()).searchParams.get('threshold')!); });

    for (const [typed, sent] of [['12,5', '12.5'], ['0,1', '0.1']] as const) {
      await page.getByTestId('threshold').fill(typed);
      await page.getByTestId('hours-update').click();
      await page.waitForSelector(`[data-testid=hours-table][data-threshold="${sent}"]`);
      expect(asked.at(-1)).toBe(sent);
      await expect(page.getByTestId('hours-summary').textContent()).resolves.toContain(`under ${typed} aktive timer`);
    }
    const before = asked.length;
    await page.getByTestId('threshold').fill('1.5');
    await page.getByTestId('hours-update').click();
    const error = page.locator('#threshold + .field-error');
    await expect(error.textContent()).resolves.toBe('»1.5« kan læses på to måder. Punktum bruges kun mellem tusinder (450.000); decimaler skrives med komma (1,5).');
    await expect(page.getByTestId('threshold').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(asked.length).toBe(before);
    await checkView('threshold-refused');
  }, 120_000);

  it('the what-if takes 450.000 and 10 %, refuses a bare 0,1 as a share, and the API gets 450000 and 0.1', async () => {
    await signIn(MUNICIPALITY);
    await page.getByTestId('partnership-list').waitFor();
    await page.getByTestId('month-picker').waitFor();
    await expect(page.getByTestId('month-picker').inputValue()).resolves.toBe('2021-11');
    await checkView('statement');

    const bodies: Record<string, unknown>[] = [];
    page.on('request', (request) => { if (request.method() === 'POST' && request.url().endsWith('/scenarios')) bodies.push(JSON.parse(request.postData() ?? '{}')); });
    await page.locator('details.scenario summary').click();
    await page.getByTestId('scenario-programmeFee').fill('450.000');
    await page.getByTestId('scenario-deadweight').fill('0,1');
    await page.getByTestId('scenario-form').locator('button[type=submit]').click();
    await expect(page.locator('#scenario-deadweight + .field-error').textContent()).resolves.toBe('»0,1« kan både betyde 0,1 % og 10 %. Skriv andelen i procent, fx 10 %.');
    expect(bodies).toEqual([]);

    await page.getByTestId('scenario-deadweight').fill('10 %');
    await page.getByTestId('scenario-form').locator('button[type=submit]').click();
    await page.getByTestId('scenario-banner').waitFor({ timeout: 60_000 });
    expect(bodies.at(-1)).toMatchObject({ asOf: '2021-11' });
    expect(bodies.at(-1)!.set).toEqual({ programmeFee: 450_000, deadweight: 0.1 });
    await expect(page.getByTestId('scenario-banner').textContent()).resolves.toContain('Dødvægt (%) = 10 %');
    await checkView('what-if');
  }, 120_000);

  it('a rejected upload speaks Danish: a bad activity, and a broken workbook; the month starts on the latest statement month', async () => {
    await signIn('holder');
    await page.getByTestId('nav-upload').click();
    await page.getByTestId('upload-form').waitFor();
    await page.getByTestId('upload-partnership').selectOption(PARTNERSHIP);
    await page.getByTestId('reports-table').waitFor();
    await expect(page.getByTestId('upload-month').inputValue()).resolves.toBe('2021-11');
    await checkView('upload');

    await page.getByTestId('upload-source').fill('portal-da');
    await page.getByTestId('upload-file').setInputFiles({ name: 'nov.csv', mimeType: 'text/csv', buffer: Buffer.from('deltager,dato,timer,aktivitet\nS-AKTIV,2021-11-01,4,praktik\nS-AKTIV,2021-11-02,4,ferie\n') });
    await page.getByTestId('upload-submit').click();
    const result = page.getByTestId('upload-result');
    await page.waitForSelector('[data-testid=upload-result][data-outcome=partly]', { timeout: 60_000 });
    await expect(page.getByTestId('upload-reasons').locator('li').allTextContents()).resolves.toEqual([
      'Linje 3: Aktiviteten i kolonnen »aktivitet« kendes ikke (brug opkvalificering, praktik, ordinær, fleksjob, løntilskud, uddannelse eller fravær).',
    ]);
    await screenshot('upload-row-rejected');

    await page.getByTestId('upload-file').setInputFiles({ name: 'nov.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from('PK\u0003\u0004 this is no workbook') });
    await page.getByTestId('upload-submit').click();
    await page.waitForSelector('[data-testid=upload-result][data-outcome=rejected]', { timeout: 60_000 });
    const reasons = await page.getByTestId('upload-reasons').locator('li').allTextContents();
    expect(reasons).toEqual(['Filen er ikke en læsbar Excel-projektmappe (.xlsx): åbn den i Excel og gem den igen som .xlsx, eller send den som CSV.']);
    await expect(result.textContent()).resolves.not.toMatch(/zip|workbook|http/i);
    // the reports table words them in Danish too
    await page.getByTestId('reports-table').locator('details summary').first().click();
    await expect(page.getByTestId('reports-table').locator('ul.reasons li').first().textContent()).resolves.toMatch(/^(Filen|Linje \d+:) /);
    await checkView('upload-rejected');
  }, 180_000);
});

/** The municipalities of the partnerships added for the list: Danish letters a search must find without them. */
const NATIONAL = ['Køge', 'Århus', 'Ærø', 'Brøndby', 'Holbæk', 'Odsherred', 'Stevns', 'Aabenraa', 'Vordingborg', 'Næstved'];
/** How long a list may take to answer on a loaded machine. */
const POLL = { timeout: 30_000, interval: 200 };
/** The net of added partnership i: spread over both signs, no two alike. */
const netOf = (i: number) => ((i * 7919) % 199) * 10_000 - 1_000_000;

/**
 * 100 more partnerships straight into the stack's table through the DynamoDB
 * adapter, as the pipeline leaves them: the registry item of an accepted contract
 * and a statement (only its headline matters to the list: its net and band).
 */
async function addNationalPartnerships(): Promise<void> {
  const store = new DynamoPartnershipStore(createDocumentClient(), stack.endpoints.table);
  await Promise.all(
    Array.from({ length: 100 }, async (_, i) => {
      const municipality = NATIONAL[i % NATIONAL.length]!;
      const partnership = `land-${String(i).padStart(3, '0')}`;
      const contract = parseContract({ ...specExampleContract(), partnership, name: `Partnerskab ${municipality} ${i}`, municipality, start: '2021-01-01', end: '2023-12-31' });
      const version = { partnership, kind: 'contract' as const, key: `contracts/${partnership}.json`, sequencer: '000000000000000001', processedAt: '2022-07-01T00:00:00.000Z', outcome: 'accepted' as const, problems: [] };
      await store.commitContract(version, contract);
      const band = { p10: netOf(i) - 200_000, p50: netOf(i) + 50_000, p90: netOf(i) + 400_000 };
      const statement = { totals: { net: netOf(i) }, projection: { net: band, probabilityNetNonNegative: 0.5 } };
      await store.putStatement(partnership, '2022-06', { statement: statement as never, inputsHash: 'seeded', computedAt: '2022-07-01T06:00:00.000Z' });
    }),
  );
}

describe('the holder’s partnership list at national scale (issue 14): search, sort, pages', () => {
  beforeAll(addNationalPartnerships, 120_000);

  it('finds "koge" as Køge, sorts by the newest net, shows a page at a time with each net and projection; axe at 1280 and 390 px', async () => {
    await signIn('holder');
    // Signed in, the holder lands on the hours page, which opens (and remembers) the first
    // partnership by name: a seeded one, whose statement holds only a headline. Let that
    // finish, then open Sydby's statement (a whole one), with the list beside it.
    await page.waitForURL(/#\/hours\/.+/);
    await page.goto(`${api}/#/statements/${PARTNERSHIP}/2021-11`);
    await page.getByTestId('statement-title').waitFor();
    const list = page.getByTestId('partnership-list');
    const shown = page.getByTestId('partnerships-shown');
    await expect.poll(() => shown.textContent(), POLL).toBe('Viser 25 af 101 partnerskaber');
    await expect(list.locator('li').count()).resolves.toBe(25);
    const text = async (selector: string) => (await list.locator(selector).textContent())?.replace(/\u2212/g, '-'); // Intl may write a true minus sign
    await expect(text('[data-partnership=land-000] [data-testid=latest-net]')).resolves.toMatch(/^Netto jun\.? 2022: -1\.000\.000 kr\.$/);
    await expect(text('[data-partnership=land-000] [data-testid=projected-net]')).resolves.toContain('-1.200.000 kr. – -950.000 kr. – -600.000 kr.');
    await checkView('partnership-list');

    // the next page, and the keyboard goes on from its first partnership
    await page.getByTestId('partnerships-more').click();
    await expect.poll(() => list.locator('li').count(), POLL).toBe(50);
    await expect(page.evaluate('document.activeElement.closest("li") === document.querySelectorAll("[data-testid=partnership-list] li")[25]')).resolves.toBe(true);

    // a search typed without Danish letters
    await page.getByTestId('partnership-search').fill('koge');
    await expect.poll(() => shown.textContent(), POLL).toBe('Viser 10 af 10 partnerskaber');
    const municipalities = await list.locator('.meta').allTextContents();
    expect(municipalities.every((text) => text.startsWith('Køge ·'))).toBe(true);
    await page.getByTestId('partnership-search').fill('aero');
    await expect.poll(() => list.locator('li').count(), POLL).toBe(10);
    await page.getByTestId('partnership-search').fill('');

    // by the newest net, highest first: the seeded nets in order, Sydby (its own statement) among them
    await page.getByTestId('partnership-sort').selectOption('net:desc');
    const seeded = Array.from({ length: 100 }, (_, i) => i).sort((a, b) => netOf(b) - netOf(a) || a - b).map((i) => `land-${String(i).padStart(3, '0')}`);
    const order = async () => (await list.locator('li a').evaluateAll((links) => links.map((a) => a.getAttribute('data-partnership')!))).filter((id) => id.startsWith('land-'));
    await expect.poll(async () => seeded.slice(0, (await order()).length).join() === (await order()).join() && (await order()).length >= 24, POLL).toBe(true);
    await expect(shown.textContent()).resolves.toBe('Viser 25 af 101 partnerskaber');
    await screenshot('partnership-list-sorted');
  }, 180_000);
});
