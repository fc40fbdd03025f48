import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pbrOnStack, REPO, startStackProcess, type StackProcess } from '../support/pbr-process.ts';
import { launchBrowser, openPage, signInWithPicker } from './browser.ts';
import { specExampleContract } from '../../shared/simulation/spec-example.ts';

/*
 * The portal in a real browser (Debian's Chromium driven by playwright-core)
 * against the real local stack (`pbr demo`): the same API handler as in
 * Lambda, sign-in through the stack's OpenID provider (the role picker),
 * presigned uploads to s3rver and the ingest pipeline. Screenshots land in test-results/portal/ as artifacts.
 */

const SCREENSHOTS = join(REPO, 'test-results', 'portal');
const MUNICIPALITY = 'Køge';

/** The contract of spec section 4, for the demo's Køge timesheets. */
const KOEGE_CONTRACT = { ...specExampleContract(), municipality: MUNICIPALITY };

let stack: StackProcess;
let api: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let pageErrors: string[];

/** `pbr ARGS` on this file's stack, 200 runs per statement. */
const pbr = (...args: string[]) => pbrOnStack(stack, 200, ...args);

/** The demo's Køge partnership with statements: uses the demo's own if it has one, else adds the spec's contract. */
async function ensureKoegeStatements(): Promise<void> {
  const holder = await pbr('token', '--role', 'holder');
  const response = await fetch(`${api}/partnerships`, { headers: { authorization: `Bearer ${holder}` } });
  expect(response.status).toBe(200);
  const { partnerships } = (await response.json()) as { partnerships: { municipality: string; statementMonths: string[] }[] };
  if (partnerships.some((p) => p.municipality === MUNICIPALITY && p.statementMonths.length > 0)) return;
  const dir = await mkdtemp(join(tmpdir(), 'pbr-portal-'));
  const file = join(dir, 'koege.json');
  await writeFile(file, JSON.stringify(KOEGE_CONTRACT));
  await pbr('upload-contract', file);
  await pbr('recalc', '--as-of', '2019-04');
  await pbr('recalc', '--as-of', '2019-05');
}

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const signIn = (as: 'holder' | string) => signInWithPicker(page, api, as);

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  browser = await launchBrowser(); // first: it may install Chromium
  stack = await startStackProcess('demo', /^demo loaded/m);
  api = /^ready api=(\S+)/m.exec(stack.output())?.[1] ?? stack.endpoints.api;
  await ensureKoegeStatements();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('portal in a browser, on the local stack', () => {
  // a fresh browser context per test (no shared session), page errors collected
  beforeEach(async () => {
    ({ context, page, errors: pageErrors } = await openPage(browser, { acceptDownloads: true }));
  });

  afterEach(async () => {
    await context?.close();
    expect(pageErrors, 'errors in the page').toEqual([]);
  });

  it('a municipality signs in, opens a statement, sees the chart and the figures, and downloads the CSV', async () => {
    await signIn(MUNICIPALITY);
    await expect(page.getByTestId('who').textContent()).resolves.toContain('Køge');

    // its partnerships: Køge's only
    const list = page.getByTestId('partnership-list');
    await list.waitFor();
    const names = await list.locator('a .name').allTextContents();
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toContain('Køge');

    // the latest statement opens on its own; the month picker lists every month, newest first
    const picker = page.getByTestId('month-picker');
    await picker.waitFor();
    const months = await picker.locator('option').evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value));
    expect(months.length).toBeGreaterThan(0);
    expect([...months].sort().reverse()).toEqual(months);
    await expect(picker.inputValue()).resolves.toBe(months[0]);

    // the chart: an accessible SVG with both cumulative lines and the projection
    const chart = page.getByTestId('chart');
    await chart.waitFor();
    await expect(chart.getAttribute('role')).resolves.toBe('img');
    await expect(chart.locator('title').first().textContent()).resolves.toBe('Betaler indsatsen sig? Besparelser mod betalinger og gebyr, akkumuleret');
    await expect(chart.locator('desc').textContent()).resolves.toMatch(/Linjediagram over \d+ måneder/);
    await expect(chart.locator('[data-series=costs] polyline.line').count()).resolves.toBe(1);
    await expect(chart.locator('[data-series=savings] polyline.line').count()).resolves.toBe(1);
    await expect(chart.locator('.band, .range').count()).resolves.toBeGreaterThanOrEqual(2);
    // ... and its figures as a table
    await expect(page.getByTestId('chart-table').locator('tbody tr').count()).resolves.toBeGreaterThan(1);

    // the figures in Danish formats
    const payments = await page.getByTestId('figure-outcomePayments').locator('.value').textContent();
    expect(payments).toMatch(/^-?\d{1,3}(\.\d{3})*,\d{2} kr\.$/);
    for (const key of ['grossBenefitSavings', 'municipalSavings', 'attributableSavings', 'net']) {
      await expect(page.getByTestId(`figure-${key}`).locator('.value').textContent()).resolves.toMatch(/ kr\.$/);
    }
    const probability = page.getByTestId('probability');
    await expect(probability.textContent()).resolves.toMatch(/\d+\s%/);
    const p = Number(await probability.getAttribute('data-value'));
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThanOrEqual(1);
    // what the projection rests on, in plain Danish (issue 9)
    await expect(page.getByTestId('projection-basis').textContent()).resolves.toMatch(/^Bygger (alene )?på .+; fremskrivningen omfatter \d+ deltagere?(, heraf .+)?\.( Partnerskabets tidligere fremskrivninger holdt i \d+ af \d+ tilfælde .+\.)?$/);
    await page.getByTestId('outcomes-table').waitFor();
    await page.getByTestId('warnings').waitFor();
    await screenshot('municipality-statement');

    // an earlier month, half-way: the projection runs from there to the contract's end
    if (months.length > 1) {
      const earlier = months[Math.floor(months.length / 2)]!;
      await picker.selectOption(earlier);
      await page.waitForFunction(`location.hash.endsWith('/${earlier}')`);
      await page.getByTestId('chart').waitFor();
      await expect(page.getByTestId('month-picker').inputValue()).resolves.toBe(earlier);
      await expect(page.getByTestId('chart').locator('.band, .range').count()).resolves.toBeGreaterThanOrEqual(2);
      await screenshot('municipality-statement-earlier');
    }

    // CSV download (fetch with the bearer token, saved through a Blob): the Danish CSV (issue 10; exports.e2e.test.ts checks it whole)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('statement-download-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const stream = await download.createReadStream();
    let csv = '';
    for await (const chunk of stream) csv += chunk;
    expect(csv.startsWith('\uFEFFOversigt\r\n')).toBe(true);
    expect(csv).toMatch(/^Netto;-?\d+,\d{2};-?\d+,\d{2}\r$/m);

    // English is one click away, numbers follow
    await page.getByTestId('lang-switch').click();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await expect(page.getByTestId('figure-outcomePayments').locator('dt').textContent()).resolves.toBe('Outcome payments');
    await expect(page.getByTestId('figure-outcomePayments').locator('.value').textContent()).resolves.toMatch(/^DKK -?\d{1,3}(,\d{3})*\.\d{2}$/);
    await screenshot('municipality-statement-en');
    await page.getByTestId('lang-switch').click();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('da');
  });

  it("a what-if shows its difference to the statement, computed with the statement's own seed", async () => {
    await signIn(MUNICIPALITY);
    await page.getByTestId('probability').waitFor();
    await page.locator('details.scenario summary').click();
    await page.getByTestId('scenario-deadweight').fill('0');
    await page.getByTestId('scenario-form').locator('button[type=submit]').click();
    const difference = page.getByTestId('scenario-difference');
    await difference.waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('scenario-banner').textContent()).resolves.toContain('Dødvægt (%) = 0 %');
    await expect(difference.locator('h3').textContent()).resolves.toBe('Forskel til opgørelsen');
    const value = async (key: string) => Number(await page.getByTestId(`difference-${key}`).getAttribute('data-value'));
    // no deadweight: only the attributable savings (and so the net) change, never the payments or the municipal savings
    const attributable = await value('attributableSavings');
    expect(attributable).toBeGreaterThanOrEqual(0);
    expect(await value('net')).toBeCloseTo(attributable, 2);
    expect([await value('outcomePayments'), await value('municipalSavings'), await value('fees')]).toEqual([0, 0, 0]);
    for (const key of ['outcomePayments', 'attributableSavings', 'net']) {
      await expect(page.getByTestId(`difference-${key}`).textContent()).resolves.toMatch(/^[+-]?\d{1,3}(\.\d{3})*,\d{2} kr\.$/);
    }
    // the projection's difference too: same seed and, unless the page says the other partnerships' careers moved on since, the same prior,
    // so the municipal savings band is unchanged (deadweight does not touch it)
    if ((await page.getByTestId('scenario-prior-changed').count()) === 0) {
      for (const q of ['p10', 'p50', 'p90']) expect(Number(await page.getByTestId(`difference-projection-municipalSavings-${q}`).getAttribute('data-value')), q).toBe(0);
    }
    await expect(page.getByTestId('difference-probability').textContent()).resolves.toMatch(/procentpoint$/);
    await screenshot('municipality-scenario');
  }, 120_000);

  it('a municipality without partnerships sees an empty state, not an error', async () => {
    await signIn('Roskilde');
    await expect(page.getByTestId('empty').textContent()).resolves.toBe('Der er ingen partnerskaber, du har adgang til.');
    await expect(page.getByTestId('error').count()).resolves.toBe(0);
  });

  it('a forged or expired token leads back to the sign-in, saying why', async () => {
    await page.goto(`${api}/`);
    await page.getByTestId('role-picker').waitFor();
    await page.evaluate(`sessionStorage.setItem('pbr.session', JSON.stringify({ token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged', role: 'municipality', municipality: 'Køge' }))`);
    await page.reload();
    await page.getByTestId('role-picker').waitFor();
    await expect(page.getByTestId('notice').textContent()).resolves.toBe('Din session er udløbet eller ugyldig. Log ind igen – det du havde skrevet, er gemt.');
  });

  it('the project holder sees weekly active hours, with participants under the threshold marked in text', async () => {
    await signIn('holder');
    const table = page.getByTestId('hours-table');
    await table.waitFor();
    await expect(table.locator('tbody tr').count()).resolves.toBeGreaterThan(0);
    await expect(page.getByTestId('hours-summary').textContent()).resolves.toMatch(/under 15 aktive timer/);

    // a week in the middle of the programme and a high threshold flag participants: a highlighted row and a text marker
    const weeks = await page.getByTestId('as-of-week').locator('option').evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value));
    await page.getByTestId('as-of-week').selectOption(weeks[Math.floor(weeks.length / 2)]!);
    await page.getByTestId('threshold').fill('40');
    await page.getByTestId('hours-update').click();
    await page.waitForSelector('[data-testid=hours-table][data-threshold="40"]');
    const below = page.locator('[data-testid=hours-table] tr[data-status=below]');
    expect(await below.count()).toBeGreaterThan(0);
    await expect(below.first().getAttribute('class')).resolves.toContain('below');
    await expect(below.first().getByTestId('participant-status').textContent()).resolves.toContain('under grænsen');
    await expect(page.getByTestId('hours-summary').textContent()).resolves.toMatch(/under 40 aktive timer/);
    await screenshot('holder-hours');
  });

  it('the project holder uploads a timesheet with a bad row and sees the reason', async () => {
    await signIn('holder');
    await page.getByTestId('nav-upload').click();
    const form = page.getByTestId('upload-form');
    await form.waitFor();
    await page.getByTestId('upload-partnership').selectOption('koege');
    await page.getByTestId('upload-month').fill('2019-05');

    // the API's own message when it refuses the request
    await page.getByTestId('upload-source').fill('portal/e2e');
    await page.getByTestId('upload-file').setInputFiles({ name: 'x.csv', mimeType: 'text/csv', buffer: Buffer.from('participant,date,hours,activity\n') });
    await page.getByTestId('upload-submit').click();
    await expect(page.getByTestId('error').textContent()).resolves.toMatch(/source: .*must be 1–63 characters of a–z, 0–9 and "-"/);

    await page.getByTestId('upload-source').fill('portal-e2e');
    await page.getByTestId('upload-file').setInputFiles({
      name: 'portal-e2e.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('deltager,dato,timer,aktivitet\nE2E-1,2019-05-06,7.5,praktik\nE2E-1,2019-05-07,abc,praktik\nE2E-2,2019-05-07,6,opkvalificering\n'),
    });
    await page.getByTestId('upload-submit').click();

    const result = page.getByTestId('upload-result');
    await result.waitFor({ timeout: 60_000 });
    await expect(result.getAttribute('data-outcome')).resolves.toBe('partly');
    await expect(result.locator('.headline').textContent()).resolves.toContain('2 af 3 rækker blev indlæst, 1 række blev afvist');
    const reasons = await page.getByTestId('upload-reasons').locator('li').allTextContents();
    expect(reasons).toEqual(['Linje 3: Kolonnen »timer« indeholder ikke et antal timer (skriv fx 7,5).']); // Danish, from the reason's code
    // the new version is listed with the others
    await expect.poll(() => page.getByTestId('reports-table').locator('tr', { hasText: 'portal-e2e' }).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await screenshot('holder-upload');

    // a file rejected whole: nothing stored, the reason shown
    await page.getByTestId('upload-file').setInputFiles({ name: 'portal-e2e.csv', mimeType: 'text/csv', buffer: Buffer.from('name,when,what\nE2E-1,2019-05-06,7.5\n') });
    await page.getByTestId('upload-submit').click();
    await page.waitForSelector('[data-testid=upload-result][data-outcome=rejected]', { timeout: 60_000 });
    await expect(result.locator('.headline').textContent()).resolves.toContain('hele filen blev afvist');
    await expect(page.getByTestId('upload-reasons').locator('li').count()).resolves.toBeGreaterThan(0);
    await screenshot('holder-upload-rejected');
  }, 120_000);

  it('draws the projection band P10–P90 when the statement has monthly projections', async () => {
    // chart.js as served by the stack, with a statement carrying projection.byMonth
    await page.goto(`${api}/`);
    const drawn = await page.evaluate(`(async () => {
      const { renderChart } = await import('./chart.js');
      const figures = (n) => ({ outcomePayments: n, grossBenefitSavings: 2 * n, municipalSavings: 1.5 * n, attributableSavings: n, net: -450000 + n });
      const band = (n) => ({ p10: 0.8 * n, p50: n, p90: 1.2 * n });
      const svg = renderChart({
        asOf: '2019-04',
        byMonth: ['2019-02', '2019-03', '2019-04'].map((month, i) => ({ month, ...figures(i * 10000) })),
        projection: { runs: 10, seed: 1, until: '2019-W31', outcomePayments: band(60000), municipalSavings: band(90000), net: band(-400000), probabilityNetNonNegative: 0,
          byMonth: ['2019-05', '2019-06', '2019-07'].map((month, i) => ({ month, outcomePayments: band(30000 + i * 10000), municipalSavings: band(45000 + i * 15000), net: band(-400000) })) },
      }, { feesDue: () => 450000 });
      document.body.append(svg);
      return { bands: svg.querySelectorAll('polygon.band').length, medians: svg.querySelectorAll('polyline.median').length, ranges: svg.querySelectorAll('.range').length };
    })()`);
    expect(drawn).toEqual({ bands: 2, medians: 2, ranges: 0 });
  });
});
