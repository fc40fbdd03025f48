import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { REPO } from '../support/pbr-process.ts';

/** Debian's Chromium: playwright-core drives it; no browser download of its own. */
export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

function run(command: string, args: string[]): void {
  execFileSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 600_000 });
}

/**
 * Installs Debian's `chromium` package when /usr/bin/chromium is missing: as
 * root directly (CI), otherwise through `sudo -n`. Throws a clear error if it
 * cannot.
 */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  const root = process.getuid?.() === 0;
  const apt = (...args: string[]) => (root ? run('apt-get', args) : run('sudo', ['-n', 'apt-get', ...args]));
  try {
    apt('update', '-qq');
    apt('install', '-y', '-qq', 'chromium');
  } catch (error) {
    throw new Error(
      `The portal's browser tests need Chromium at ${CHROMIUM}, and installing it failed ` +
        `(${root ? 'apt-get' : 'sudo -n apt-get'} install -y chromium: ${(error as Error).message}). ` +
        'Install it yourself with `sudo apt-get install -y chromium` and run the tests again.',
    );
  }
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium, but ${CHROMIUM} is still missing`);
  return CHROMIUM;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: ensureChromium(), args: ARGS });
}

/**
 * A fresh context and page for one test (no session carried over), Danish, at
 * desktop size unless `options` say otherwise, collecting the page's uncaught
 * errors in `errors` so the test can require there were none.
 */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale: 'da-DK', viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { context, page, errors };
}

/**
 * Signs in through the local stack's role picker (the portal's PKCE code flow
 * against the local OpenID provider) as the holder or a municipality, and waits
 * until the portal is back, signed in.
 */
export async function signInWithPicker(page: Page, apiUrl: string, as: 'holder' | string): Promise<void> {
  await page.goto(`${apiUrl}/`);
  await page.getByTestId('role-picker').waitFor();
  if (as === 'holder') {
    await page.getByTestId('role-holder').check();
  } else {
    await page.getByTestId('municipality-input').fill(as);
    await expect(page.getByTestId('role-municipality').isChecked()).resolves.toBe(true);
  }
  await page.getByTestId('sign-in').click();
  await page.getByTestId('sign-out').waitFor(); // back from the OpenID provider, signed in
}

const AXE = join(REPO, 'node_modules', 'axe-core', 'axe.min.js');

/**
 * axe-core's WCAG 2.2 A/AA rules on `scope` (the document, or a selector) as the
 * page stands: how many rules passed, and each violation's rule id → its elements.
 */
export async function axeViolations(page: Page, scope = 'document'): Promise<{ passes: number; violations: Record<string, string[]> }> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.addScriptTag({ path: AXE });
  const target = scope === 'document' ? 'document' : JSON.stringify(scope);
  const [passes, violations] = (await page.evaluate(
    `axe.run(${target}, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }).then((r) => [r.passes.length, r.violations.map((v) => [v.id, v.nodes.map((n) => n.target.join(' '))])])`,
  )) as [number, [string, string[]][]];
  return { passes, violations: Object.fromEntries(violations) };
}
