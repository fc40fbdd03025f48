import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOCK_SKEW_SECONDS, createJwtAuthorizer, TokenError, type JwtAuthorizer } from '../../local/jwt-authorizer.ts';
import { startLocalOidcProvider, type LocalOidcProvider } from '../../local/oidc-provider.ts';
import { signInLocally, tokenRequest, type SignInTarget } from '../../local/oidc-sign-in.ts';
import { idTokenClaims, signToken, stackSigningKey } from '../support/stack-tokens.ts';
import { listen } from '../../local/local-stack.ts';

/*
 * The local OpenID provider and the API's token check on their own (no stack):
 * Cognito-shaped tokens from the code flow, the refresh grant, revocation,
 * rotation, and the check's rules (RS256, issuer, audience, expiry with skew,
 * token_use).
 */

const PORTAL = 'http://127.0.0.1:9'; // never fetched: the flow stops at the redirect to the portal
let provider: LocalOidcProvider;
let authorize: JwtAuthorizer;
let target: SignInTarget & { signingKeysFile: string };

beforeAll(async () => {
  const keysFile = join(await mkdtemp(join(tmpdir(), 'pbr-oidc-')), 'keys.json');
  provider = await startLocalOidcProvider({ port: 0, keysFile, municipalities: async () => ['Køge', 'Holbæk'], lifetimes: { idToken: 600, refreshToken: 3600 }, listen });
  provider.trustPortal(PORTAL);
  authorize = createJwtAuthorizer({ issuer: provider.issuer, audience: [provider.clientId], jwksUri: provider.jwksUri, tokenUse: 'id' });
  target = { issuer: provider.issuer, clientId: provider.clientId, api: PORTAL, signingKeysFile: keysFile };
});

afterAll(async () => {
  await provider?.close();
});

const refused = (token: string) => authorize(token).then(() => undefined, (error: unknown) => (error instanceof TokenError ? error.message : `not a TokenError: ${error}`));

describe('the provider', () => {
  it('signs a municipality user in with the code flow: RS256 ID and access tokens shaped like Cognito’s', async () => {
    const tokens = await signInLocally(target, 'municipality', 'KØGE');
    expect(decodeProtectedHeader(tokens.id_token)).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
    const id = decodeJwt(tokens.id_token);
    expect(id).toMatchObject({ iss: provider.issuer, aud: provider.clientId, token_use: 'id', 'cognito:groups': ['municipality'], 'custom:municipality': 'Køge' });
    expect(id.exp! - id.iat!).toBe(600);
    expect(id.auth_time).toBeTypeOf('number');
    const access = decodeJwt(tokens.access_token);
    expect(access).toMatchObject({ iss: provider.issuer, client_id: provider.clientId, token_use: 'access', 'cognito:groups': ['municipality'] });
    expect(access).not.toHaveProperty('custom:municipality');
    expect(await authorize(tokens.id_token)).toMatchObject({ sub: 'municipality:Køge' });
    await expect(refused(tokens.access_token)).resolves.toContain('ID token');
  });

  it('renews with the refresh token (same auth_time) until the refresh token is revoked', async () => {
    const tokens = await signInLocally(target, 'holder');
    const renewed = await tokenRequest(provider.issuer, { grant_type: 'refresh_token', client_id: provider.clientId, refresh_token: tokens.refresh_token! });
    expect(decodeJwt(renewed.id_token)).toMatchObject({ sub: 'holder', 'cognito:groups': ['holder'], auth_time: decodeJwt(tokens.id_token).auth_time });
    await fetch(`${provider.issuer}/oauth2/revoke`, { method: 'POST', body: new URLSearchParams({ token: tokens.refresh_token!, client_id: provider.clientId }) });
    await expect(tokenRequest(provider.issuer, { grant_type: 'refresh_token', client_id: provider.clientId, refresh_token: tokens.refresh_token! })).rejects.toThrow(/invalid_grant/);
  });

  it('after a rotation signs with the new key, and tokens of the old one still verify', async () => {
    const before = await signInLocally(target, 'holder');
    await provider.rotateSigningKey();
    const after = await signInLocally(target, 'holder');
    expect(decodeProtectedHeader(after.id_token).kid).not.toBe(decodeProtectedHeader(before.id_token).kid);
    await expect(authorize(before.id_token)).resolves.toBeDefined();
    await expect(authorize(after.id_token)).resolves.toBeDefined();
  });
});

describe('the API’s token check', () => {
  const holder = () => idTokenClaims(provider, { sub: 'holder', 'cognito:groups': ['holder'] });

  it('allows the clock skew on expiry, and no more', async () => {
    const key = await stackSigningKey(target);
    const expiredBy = (seconds: number) => signToken(holder(), key, { ttlSeconds: 60, now: Date.now() - (60 + seconds) * 1000 });
    await expect(authorize(await expiredBy(CLOCK_SKEW_SECONDS - 2))).resolves.toBeDefined();
    await expect(refused(await expiredBy(CLOCK_SKEW_SECONDS + 2))).resolves.toContain('expired');
  });

  it('takes a token without aud by its client_id, as API Gateway does', async () => {
    const key = await stackSigningKey(target);
    await expect(authorize(await signToken({ ...holder(), aud: undefined, client_id: provider.clientId }, key))).resolves.toBeDefined();
    await expect(refused(await signToken({ ...holder(), aud: undefined, client_id: 'other' }, key))).resolves.toContain('audience');
  });

  it('refuses any change to a signed token’s claims', async () => {
    const token = await signToken(holder(), await stackSigningKey(target));
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(claims)), fc.jsonValue(), async (name, value) => {
        fc.pre(JSON.stringify(value) !== JSON.stringify(claims[name]));
        const edited = Buffer.from(JSON.stringify({ ...claims, [name]: value })).toString('base64url');
        expect(await refused(`${header}.${edited}.${signature}`)).toBeDefined();
      }),
      { numRuns: 30 },
    );
  });
});
