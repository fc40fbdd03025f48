import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

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
