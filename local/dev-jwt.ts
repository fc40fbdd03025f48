import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';

/*
 * Development tokens for the local stack: HS256 JWTs with the same claims a
 * Cognito ID token carries (`cognito:groups`, `custom:municipality`), signed with
 * a random key kept beside the local data. In AWS, Cognito issues the tokens and
 * API Gateway's JWT authorizer verifies them; nothing here is deployed.
 */
export const DEV_ISSUER = 'pbr-local';
export const DEV_AUDIENCE = 'pbr-portal';
const DEFAULT_TTL_SECONDS = 8 * 3600;

/** A token that must be refused with 401, and why. */
export class TokenError extends Error {}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** The signing key of a local stack, created on first use. */
export async function devSigningKey(file: string): Promise<Buffer> {
  try {
    return Buffer.from(await readFile(file, 'utf8'), 'hex');
  } catch {
    const key = randomBytes(32);
    await writeFile(file, key.toString('hex'), { mode: 0o600 });
    return key;
  }
}

/** The claims of a dev user: the project holder, or a user of one municipality. */
export function devClaims(role: 'holder' | 'municipality', municipality?: string): Record<string, unknown> {
  if (role === 'municipality' && !municipality) throw new Error('a municipality user needs --municipality NAME');
  return role === 'holder'
    ? { sub: 'dev-holder', 'cognito:groups': ['holder'] }
    : { sub: `dev-${municipality}`, 'cognito:groups': ['municipality'], 'custom:municipality': municipality };
}

/** Signs claims as an ID token valid for `ttlSeconds`. */
export function signDevToken(key: Buffer, claims: Record<string, unknown>, ttlSeconds = DEFAULT_TTL_SECONDS, now = Date.now()): string {
  const iat = Math.floor(now / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ ...claims, iss: DEV_ISSUER, aud: DEV_AUDIENCE, token_use: 'id', iat, exp: iat + ttlSeconds }));
  const signature = base64url(createHmac('sha256', key).update(`${header}.${payload}`).digest());
  return `${header}.${payload}.${signature}`;
}

/** Verifies signature, issuer, audience and expiry like the JWT authorizer does; returns the claims. */
export function verifyDevToken(key: Buffer, token: string, now = Date.now()): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new TokenError('the bearer token is not a JWT');
  const [header, payload, signature] = parts as [string, string, string];
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new TokenError('the token signature is not valid: sign in again');
  let claims: Record<string, unknown>;
  try {
    const alg = (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: string }).alg;
    if (alg !== 'HS256') throw new Error();
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new TokenError('the bearer token is not a valid JWT');
  }
  if (claims.iss !== DEV_ISSUER || claims.aud !== DEV_AUDIENCE) throw new TokenError('the token was not issued for this portal');
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) throw new TokenError('the token has expired: sign in again');
  return claims;
}
