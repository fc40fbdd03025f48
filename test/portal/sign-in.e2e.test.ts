import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnsecuredJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signInLocally, tokenRequest } from '../../local/oidc-sign-in.ts';
import { pbrOn, smallContract, startStackProcess, type StackProcess } from '../support/pbr-process.ts';
import { idTokenClaims, signToken, stackSigningKey } from '../support/stack-tokens.ts';
import { launchBrowser } from './browser.ts';

/*
 * Sign-in as in production, in a real browser against the real local stack: the
 * portal's authorization code flow with PKCE through the stack's OpenID provider
 * (Cognito's stand-in), RS256 ID tokens verified by the API server as API
 * Gateway's JWT authorizer does, renewal with the refresh token, key rotation,
 * sign-out that revokes. ID tokens live ID_TTL seconds here, so a renewal happens
 * while a test watches.
 */

const ID_TTL = 12;
const MUNICIPALITY = 'Køge';
const SESSION_ENDED = 'Din session er udløbet eller ugyldig. Log ind igen – det du havde skrevet, er gemt.';

let stack: StackProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pbr = pbrOn(() => stack, 50);

interface StoredSession {
  token: string;
  refreshToken: string;
}

const storedSession = async (): Promise<StoredSession> => JSON.parse((await page.evaluate(() => sessionStorage.getItem('pbr.session'))) ?? 'null');

async function callApi(token: string): Promise<{ status: number; message?: string }> {
  const response = await fetch(`${stack.endpoints.api}/partnerships`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, message: ((await response.json()) as { message?: string }).message };
}

/** Through the portal's role picker, which sends the browser to the provider and back. */
async function signIn(as: 'holder' | string): Promise<void> {
  await page.goto(`${stack.endpoints.api}/`);
  await page.getByTestId('role-picker').waitFor();
  if (as === 'holder') await page.getByTestId('role-holder').check();
  else await page.getByTestId('municipality-input').fill(as);
  await page.getByTestId('sign-in').click();
  await expect.poll(() => page.getByTestId('who').textContent(), { timeout: 15_000 }).toContain(as === 'holder' ? 'Projektholder' : as);
}

/** The statement page's what-if form, opened, with a programme fee typed but not run. */
async function typeWhatIf(fee: string): Promise<void> {
  await page.getByTestId('scenario-form').waitFor({ state: 'attached' });
  await page.locator('details.scenario summary').click();
  await page.getByTestId('scenario-programmeFee').fill(fee);
}

beforeAll(async () => {
  browser = await launchBrowser(); // first: it may install Chromium
  process.env.PBR_ID_TOKEN_TTL = String(ID_TTL);
  try {
    stack = await startStackProcess();
  } finally {
    delete process.env.PBR_ID_TOKEN_TTL;
  }
  const dir = await mkdtemp(join(tmpdir(), 'pbr-sign-in-'));
  await writeFile(join(dir, 'koege.json'), JSON.stringify(smallContract('koege', MUNICIPALITY)));
  await pbr('upload-contract', join(dir, 'koege.json'));
  await writeFile(join(dir, 'hours.csv'), 'participant,date,hours,activity\nA,2024-01-08,12,ordinary\nB,2024-01-09,4,training\n');
  await pbr('upload', join(dir, 'hours.csv'), '--partnership', 'koege', '--month', '2024-01', '--source', 'actor');
  await pbr('recalc', '--as-of', '2024-01');
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

beforeEach(async () => {
  context = await browser.newContext({ locale: 'da-DK' });
  page = await context.newPage();
});

afterEach(async () => {
  await context?.close();
});

describe('signing in through the provider', () => {
  it('a municipality user: code flow with PKCE at the provider, back with an RS256 ID token shaped like Cognito’s', async () => {
    const authorizations: URL[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(`${stack.endpoints.issuer}/oauth2/authorize?`)) authorizations.push(new URL(request.url()));
    });
    await signIn(MUNICIPALITY);
    expect(authorizations).toHaveLength(1);
    expect(authorizations[0]!.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizations[0]!.searchParams.get('response_type')).toBe('code');
    const { token, refreshToken } = await storedSession();
    expect(refreshToken).toBeTruthy();
    expect(decodeProtectedHeader(token).alg).toBe('RS256');
    expect(decodeJwt(token)).toMatchObject({ iss: stack.endpoints.issuer, aud: stack.endpoints.clientId, token_use: 'id', 'cognito:groups': ['municipality'], 'custom:municipality': MUNICIPALITY });
    expect(decodeJwt(token).exp! - decodeJwt(token).iat!).toBe(ID_TTL);
    await page.getByTestId('scenario-form').waitFor({ state: 'attached' });
  });

  it('the project holder gets the holder’s tabs', async () => {
    await signIn('holder');
    await page.getByTestId('nav-hours').waitFor();
    expect(decodeJwt((await storedSession()).token)['cognito:groups']).toEqual(['holder']);
  });
});

describe('a working day', () => {
  it('a token expiring mid-session is renewed without the user noticing: no reload, the typed what-if stays', async () => {
    await signIn(MUNICIPALITY);
    await typeWhatIf('450.000');
    await page.evaluate('window.unchanged = true');
    const first = (await storedSession()).token;
    await expect.poll(async () => (await storedSession()).token, { timeout: ID_TTL * 1000 }).not.toBe(first);
    await expect.poll(async () => (await callApi(first)).status, { timeout: 10_000, interval: 1000 }).toBe(401);
    expect((await callApi(first)).message).toContain('expired');
    await expect(page.evaluate('window.unchanged')).resolves.toBe(true); // the same page: never reloaded
    await expect(page.getByTestId('scenario-programmeFee').inputValue()).resolves.toBe('450.000');
    await page.getByTestId('scenario-form').locator('button[type=submit]').click();
    await page.getByTestId('scenario-banner').waitFor();
  });

  it('a rotated signing key keeps working: tokens of the old key until they expire, then the new key’s', async () => {
    await signIn('holder');
    const before = (await storedSession()).token;
    expect((await fetch(`${stack.endpoints.issuer}/dev/rotate-signing-key`, { method: 'POST' })).status).toBe(204);
    expect((await callApi(before)).status).toBe(200);
    await expect.poll(async () => (await storedSession()).token, { timeout: ID_TTL * 1000 }).not.toBe(before);
    const after = (await storedSession()).token;
    expect(decodeProtectedHeader(after).kid).not.toBe(decodeProtectedHeader(before).kid);
    expect((await callApi(after)).status).toBe(200);
    await page.getByTestId('nav-statements').click();
    await page.getByTestId('scenario-form').waitFor({ state: 'attached' });
  });

  it('a session that really ends says so in Danish, and the same user finds the what-if input again', async () => {
    await signIn(MUNICIPALITY);
    await typeWhatIf('123.456');
    const { refreshToken } = await storedSession();
    await fetch(`${stack.endpoints.issuer}/oauth2/revoke`, { method: 'POST', body: new URLSearchParams({ token: refreshToken, client_id: stack.endpoints.clientId }) });
    await new Promise((resolve) => setTimeout(resolve, (ID_TTL + 6) * 1000)); // past expiry and the clock skew
    await page.getByTestId('scenario-form').locator('button[type=submit]').click();
    await page.getByTestId('role-picker').waitFor();
    await expect(page.getByTestId('notice').textContent()).resolves.toBe(SESSION_ENDED);
    await page.getByTestId('municipality-input').fill(MUNICIPALITY);
    await page.getByTestId('sign-in').click();
    await expect.poll(() => page.getByTestId('scenario-programmeFee').inputValue(), { timeout: 15_000 }).toBe('123.456');
  }, 60_000);

  it('sign-out revokes the refresh token and returns to the sign-in', async () => {
    await signIn(MUNICIPALITY);
    const { refreshToken } = await storedSession();
    await page.getByTestId('sign-out').click();
    await page.getByTestId('role-picker').waitFor();
    expect(page.url()).toBe(`${stack.endpoints.api}/`);
    await expect(page.evaluate(() => sessionStorage.getItem('pbr.session'))).resolves.toBeNull();
    await expect(tokenRequest(stack.endpoints.issuer, { grant_type: 'refresh_token', client_id: stack.endpoints.clientId, refresh_token: refreshToken })).rejects.toThrow(/invalid_grant/);
  });
});

describe('the API refuses every token but the provider’s ID token for this portal (401)', () => {
  it('another issuer, another audience, an access token, an alg swap', async () => {
    const key = await stackSigningKey(stack.endpoints);
    const holder = idTokenClaims(stack.endpoints, { sub: 'holder', 'cognito:groups': ['holder'] });
    expect((await callApi(await signToken(holder, key))).status).toBe(200); // the control: same key, right claims
    const tokens = await signInLocally(stack.endpoints, 'holder');
    const { keys } = (await (await fetch(`${stack.endpoints.issuer}/.well-known/jwks.json`)).json()) as { keys: unknown[] };
    const publicJwk = JSON.stringify(keys[0]);
    const refused: Record<string, string> = {
      'another issuer': await signToken({ ...holder, iss: 'https://cognito-idp.eu-north-1.amazonaws.com/eu-north-1_other' }, key),
      'another audience': await signToken({ ...holder, aud: 'another-client' }, key),
      'the provider’s access token': tokens.access_token,
      'a Cognito-shaped access token (client_id, no aud)': await signToken({ ...holder, aud: undefined, client_id: stack.endpoints.clientId, token_use: 'access' }, key),
      'HS256 keyed with the public key': await signToken(holder, { key: new TextEncoder().encode(publicJwk), kid: key.kid }, { alg: 'HS256' }),
      'alg none': new UnsecuredJWT({ ...holder, exp: Math.floor(Date.now() / 1000) + 600 }).encode(),
    };
    for (const [what, token] of Object.entries(refused)) expect((await callApi(token)).status, what).toBe(401);
    expect((await callApi(tokens.access_token)).message).toContain('ID token');
    expect((await callApi(tokens.id_token)).status).toBe(200);
  });
});
