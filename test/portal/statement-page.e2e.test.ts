import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pbrOn, REPO, startStackProcess, type StackProcess } from '../support/pbr-process.ts';
import { axeViolations, launchBrowser, openPage } from './browser.ts';

/*
 * The statement page answers a finance officer's questions from the page alone
 * (issue 10, points 1, 2, 6 and the print stylesheet), in Chromium against the demo
 * stack: the chart's gap is the net, break-even and axes for any data, the contract
 * as the API holds it, weeks as dates, evidence and basis, the what-if side by side
 * and reset with the month, 390 px, print, and axe-core with no violations.
 * Screenshots land in test-results/portal/statement-*.png.
 */

const SCREENSHOTS = join(REPO, 'test-results', 'portal');
const MUNICIPALITY = 'Køge';
const WEEK_TEXT = /^uge \d{1,2}, \d{4} \(\d{1,2}\.\d{1,2}\.–\d{1,2}\.\d{1,2}\.\)$/;
const kroner = (amount: number) => `${new Intl.NumberFormat('da-DK', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount)} kr.`;

let stack: StackProcess;
let api: string;
let token: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let pageErrors: string[];

async function apiGet<T>(path: string): Promise<T> {
  const response = await fetch(`${api}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `statement-${name}.png`), fullPage: true });
}

/** Signs in as the municipality and waits for its newest statement. */
async function openStatement(): Promise<void> {
  await page.goto(`${api}/`);
  await page.getByTestId('municipality-input').fill(MUNICIPALITY);
  await page.getByTestId('sign-in').click();
  await page.getByTestId('contract').waitFor();
}


beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  browser = await launchBrowser();
  stack = await startStackProcess('demo', /^demo loaded/m);
  api = /^ready api=(\S+)/m.exec(stack.output())?.[1] ?? stack.endpoints.api;
  token = await pbrOn(() => stack, 50)('token', '--role', 'municipality', '--municipality', MUNICIPALITY);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

interface Figures { outcomePayments: number; fees: number; attributableSavings: number; net: number }
interface Statement {
  asOf: string;
  totals: Figures;
  outcomes: { label: string; outcome: string; week: string; evidence: { week: string; hours: number }[] }[];
  manifest: { computedAt: string; reports: unknown[] };
}
interface Contract { programmeFee: number; cap: number; maxPerParticipant: number; deadweight: number; feeSchedule: { month: string; amount: number }[]; outcomes: { id: string; label: string; price: number }[]; benefit: { refusion: unknown[] } }

describe('the statement page', () => {
  beforeEach(async () => {
    ({ context, page, errors: pageErrors } = await openPage(browser));
  });

  afterEach(async () => {
    await context?.close();
    expect(pageErrors, 'errors in the page').toEqual([]);
  });

  it('draws the net as the gap between savings and payments + fees, and shows the contract, the evidence and the basis', async () => {
    await openStatement();
    const month = await page.getByTestId('month-picker').inputValue();
    const { partnerships } = await apiGet<{ partnerships: { partnership: string; municipality: string }[] }>('/partnerships');
    const id = partnerships.find((p) => p.municipality === MUNICIPALITY)!.partnership;
    const statement = await apiGet<Statement>(`/partnerships/${id}/statements/${month}`);
    const { contract } = await apiGet<{ contract: Contract }>(`/partnerships/${id}/contract`);

    // the chart: the last observed points of the two lines, in kroner through the y axis' ticks
    const chart = await page.getByTestId('chart').evaluate((svg) => {
      const last = (key: string) => Number(svg.querySelector(`[data-series=${key}] polyline.line`)!.getAttribute('points')!.trim().split(' ').at(-1)!.split(',')[1]);
      const ticks = [...svg.querySelectorAll('.grid line[data-value]')].map((l) => ({ value: Number(l.getAttribute('data-value')), y: Number(l.getAttribute('y1')) }));
      const labels = [...svg.querySelectorAll('.tick.y')].map((t) => t.textContent);
      return { savings: last('savings'), costs: last('costs'), ticks, labels, gap: svg.querySelector('[data-testid=chart-gap]')?.textContent };
    });
    const [a, b] = [chart.ticks[0]!, chart.ticks.at(-1)!];
    const kronerPerPixel = (b.value - a.value) / (a.y - b.y);
    const gap = (chart.costs - chart.savings) * kronerPerPixel;
    expect(Math.abs(gap - statement.totals.net), `gap ${gap} vs net ${statement.totals.net}`).toBeLessThanOrEqual(Math.abs(kronerPerPixel) * 1.01);
    expect(chart.gap).toBe(`Netto ${kroner(statement.totals.net)}`);
    expect(new Set(chart.labels).size).toBe(chart.labels.length);
    for (const label of chart.labels) expect(label).toMatch(/^-?\d{1,3}(\.\d{3})* kr\.$/);

    // "does it pay?": what the probability means and what it rests on, in Danish
    await expect(page.getByTestId('probability-meaning').textContent()).resolves.toMatch(/^Sandsynligheden er andelen af [\d.]+ simulerede forløb, .+ Bygger (alene )?på /);

    // the contract, as the API holds it
    await expect(page.getByTestId('contract-fee').locator('dd').textContent()).resolves.toBe(kroner(contract.programmeFee));
    await expect(page.getByTestId('contract-cap').locator('dd').textContent()).resolves.toBe(kroner(contract.cap));
    await expect(page.getByTestId('contract-max-per-participant').locator('dd').first().textContent()).resolves.toBe(kroner(contract.maxPerParticipant));
    await expect(page.getByTestId('contract-deadweight').locator('dd').first().textContent()).resolves.toBe(`${Math.round(contract.deadweight * 100)}\u00a0%`);
    await expect(page.getByTestId('contract-fee-schedule').locator('li').allTextContents()).resolves.toHaveLength(contract.feeSchedule.length);
    const outcomes = page.getByTestId('contract-outcomes').locator('tbody tr');
    await expect(outcomes.count()).resolves.toBe(contract.outcomes.length);
    for (const [i, outcome] of contract.outcomes.entries()) {
      await expect(outcomes.nth(i).locator('th').textContent()).resolves.toBe(outcome.label);
      await expect(outcomes.nth(i).locator('td').first().textContent()).resolves.toBe(kroner(outcome.price));
    }
    await expect(page.getByTestId('contract-refusion').locator('tbody tr').count()).resolves.toBe(contract.benefit.refusion.length);

    // outcomes by label, weeks as dates, never the codes
    const table = page.getByTestId('outcomes-table');
    const first = statement.outcomes[0]!;
    await expect(table.locator('tbody tr').first().locator('td').nth(1).textContent()).resolves.toContain(first.label);
    for (const week of await table.locator('td.week').allTextContents()) expect(week).toMatch(WEEK_TEXT);
    // the evidence: the weeks and hours that reached the payment
    const evidence = table.getByTestId('evidence').first();
    await evidence.locator('summary').click();
    const weeks = evidence.locator('li');
    await expect(weeks.count()).resolves.toBe(first.evidence.length);
    await expect(weeks.first().isVisible()).resolves.toBe(true);
    await expect(weeks.first().textContent()).resolves.toMatch(/^uge \d+, \d{4} \(.+\): [\d,]+ t$/);
    // the statement's own warnings (a Køge exit with hours after it), with weeks as dates
    await expect(page.getByTestId('statement-warnings').locator('li').first().textContent()).resolves.toMatch(/udmeldt i uge \d+, \d{4} \(/);

    // Grundlag: computedAt and the manifest
    const basis = page.getByTestId('basis');
    await basis.locator('summary').click();
    await expect(page.getByTestId('computed-at').textContent()).resolves.toContain(statement.manifest.computedAt.slice(0, 4));
    await expect(page.getByTestId('basis-reports').locator('tbody tr').count()).resolves.toBe(statement.manifest.reports.length);
    await expect(page.getByTestId('basis-contract').locator('dd').textContent()).resolves.toMatch(/^contracts\/.+\.json, version /);

    const text = await page.locator('main').innerText();
    expect(text).not.toMatch(/\d{4}-W\d{2}/);
    for (const o of contract.outcomes) expect(text).not.toContain(o.id);
    expect(text).not.toContain('undefined');
    await screenshot('desktop');
    expect((await axeViolations(page)).violations).toEqual({});
  }, 60_000);

  it('marks break-even when the net crosses 0, and gives sane axes for all-zero, negative and one-month data', async () => {
    await page.goto(`${api}/`);
    const drawn = await page.evaluate(`(async () => {
      const { renderChart } = await import('./chart.js');
      const row = (month, savings, costs) => ({ month, outcomePayments: costs - 100000, fees: 100000, attributableSavings: savings, grossBenefitSavings: savings, municipalSavings: savings, net: savings - costs });
      const draw = (statement) => {
        const svg = renderChart(statement);
        document.body.append(svg);
        const marker = svg.querySelector('[data-testid=break-even]');
        return { ticks: [...svg.querySelectorAll('.tick.y')].map((t) => t.textContent), breakEven: marker && { month: marker.getAttribute('data-month'), text: marker.textContent, expected: marker.classList.contains('expected') } };
      };
      const band = (n) => ({ p10: n - 50000, p50: n, p90: n + 50000 });
      return {
        crossing: draw({ asOf: '2021-04', byMonth: [row('2021-01', 0, 100000), row('2021-02', 60000, 110000), row('2021-03', 130000, 120000), row('2021-04', 150000, 125000)] }),
        expected: draw({ asOf: '2021-02', byMonth: [row('2021-01', 0, 100000), row('2021-02', 60000, 110000)],
          projection: { runs: 10, seed: 1, until: '2021-W17', outcomePayments: band(20000), municipalSavings: band(90000), net: band(20000), probabilityNetNonNegative: 0.6,
            byMonth: [['2021-03', -20000], ['2021-04', 20000]].map(([month, net]) => ({ month, outcomePayments: band(15000), municipalSavings: band(80000), net: band(net) })) } }),
        zero: draw({ asOf: '2021-03', byMonth: ['2021-01', '2021-02', '2021-03'].map((m) => ({ ...row(m, 0, 100000), outcomePayments: 0, fees: 0, net: 0 })) }),
        negative: draw({ asOf: '2021-02', byMonth: [row('2021-01', 0, 450000), row('2021-02', 1000, 460000)] }),
        oneMonth: draw({ asOf: '2021-01', byMonth: [row('2021-01', 1234.5, 100000)] }),
      };
    })()`) as Record<string, { ticks: string[]; breakEven: { month: string; text: string; expected: boolean } | null }>;
    expect(drawn.crossing!.breakEven).toEqual({ month: '2021-03', text: 'Break-even mar. 2021', expected: false });
    expect(drawn.expected!.breakEven).toEqual({ month: '2021-04', text: 'Forventet break-even (P50) apr. 2021', expected: true });
    expect(drawn.negative!.breakEven).toBeNull();
    expect(drawn.zero!.ticks).toEqual(['0 kr.', '200 kr.', '400 kr.', '600 kr.', '800 kr.', '1.000 kr.']);
    for (const { ticks } of Object.values(drawn)) {
      expect(new Set(ticks).size, ticks.join(' | ')).toBe(ticks.length);
      expect(ticks).toContain('0 kr.');
    }
    expect(drawn.negative!.ticks[0]).toMatch(/^-\d{3}\.\d{3} kr\.$/);
  });

  it('runs a what-if beside the statement, and forgets it when the month changes', async () => {
    await openStatement();
    const months = await page.getByTestId('month-picker').locator('option').evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value));
    await page.locator('details.scenario summary').click();
    await page.getByTestId('scenario-benefit.weeklyRate').fill('3000');
    await page.getByTestId('scenario-form').locator('button[type=submit]').click();
    const comparison = page.getByTestId('scenario-difference');
    await comparison.waitFor({ timeout: 60_000 });
    // side by side: the statement's figure, the scenario's, and the difference, which is their gap
    const net = comparison.locator('tbody tr', { hasText: 'Netto' }).first().locator('td');
    const [stated, scenario] = await Promise.all([net.nth(0).textContent(), net.nth(1).textContent()]);
    await expect(page.getByTestId('figure-net').locator('.value').textContent()).resolves.toBe(stated);
    const parse = (text: string | null) => Number(text!.replace(/[^\d,−-]/g, '').replace('−', '-').replace(',', '.'));
    expect(Number(await page.getByTestId('difference-net').getAttribute('data-value'))).toBeCloseTo(parse(scenario) - parse(stated), 2);
    expect(Number(await page.getByTestId('difference-net').getAttribute('data-value'))).toBeGreaterThan(0); // a higher benefit saves more
    await expect(page.getByTestId('difference-probability').textContent()).resolves.toMatch(/procentpoint$/);
    await screenshot('what-if');
    expect((await axeViolations(page)).violations).toEqual({});

    // another month: no scenario, an empty, closed form
    await page.getByTestId('month-picker').selectOption(months[1]!);
    await page.waitForFunction(`location.hash.endsWith('/${months[1]}')`);
    await page.getByTestId('contract').waitFor();
    await expect(page.getByTestId('scenario-difference').count()).resolves.toBe(0);
    await expect(page.locator('details.scenario').getAttribute('open')).resolves.toBeNull();
    await expect(page.getByTestId('scenario-benefit.weeklyRate').inputValue()).resolves.toBe('');
    // and back: the scenario of the first month is gone too
    await page.getByTestId('month-picker').selectOption(months[0]!);
    await page.waitForFunction(`location.hash.endsWith('/${months[0]}')`);
    await page.getByTestId('contract').waitFor();
    await expect(page.getByTestId('scenario-difference').count()).resolves.toBe(0);
  }, 120_000);

  it('fits 390 px: nothing cut off, the chart and tables scroll in keyboard-reachable regions', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openStatement();
    const widths = (await page.evaluate('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })')) as { scroll: number; client: number };
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    const wrap = page.locator('.chart-wrap');
    await expect(wrap.getAttribute('tabindex')).resolves.toBe('0');
    await expect(wrap.getAttribute('role')).resolves.toBe('region');
    const region = await wrap.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(region.scroll).toBeGreaterThan(region.client); // the chart scrolls inside, at a readable size
    await screenshot('390');
    expect((await axeViolations(page)).violations).toEqual({});
  }, 60_000);

  it('prints a clean A4 statement: no navigation or forms, sections on their own pages', async () => {
    await openStatement();
    await page.emulateMedia({ media: 'print' });
    const style = await page.evaluate(`(() => {
      const css = (selector) => getComputedStyle(document.querySelector(selector));
      return {
        nav: css('nav.partnerships').display,
        form: css('details.scenario').display,
        tools: css('.statement-tools').display,
        chartBreak: css('.chart-section').breakBefore,
        contractBreak: css('.contract').breakBefore,
        wide: document.documentElement.scrollWidth <= document.documentElement.clientWidth,
      };
    })()`);
    expect(style).toEqual({ nav: 'none', form: 'none', tools: 'none', chartBreak: 'page', contractBreak: 'page', wide: true });
    await screenshot('print');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    await writeFile(join(SCREENSHOTS, 'statement-print.pdf'), pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  }, 60_000);
});
