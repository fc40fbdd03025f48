import { readFile } from 'node:fs/promises';
import { generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import type { StackEndpoints } from '../../local/local-stack.ts';

/*
 * Tokens a test makes itself, for the cases the local OpenID provider never
 * issues (no role, expired, foreign issuer, other key, wrong alg): signed with
 * jose, with the stack's own signing key where the signature must be good, and
 * verified by the stack on the one path every token takes.
 */

/** A signing key and its `kid`. */
export interface TestKey {
  key: CryptoKey | Uint8Array;
  kid?: string;
}

/** The provider's current signing key (the first in its keys file). */
export async function stackSigningKey(endpoints: Pick<StackEndpoints, 'signingKeysFile'>): Promise<TestKey> {
  const { keys } = JSON.parse(await readFile(endpoints.signingKeysFile, 'utf8')) as { keys: (Record<string, string> & { kid: string })[] };
  return { key: (await importJWK(keys[0]!, 'RS256')) as CryptoKey, kid: keys[0]!.kid };
}

/** An RS256 key the stack has never seen. */
export async function foreignKey(): Promise<TestKey> {
  return { key: (await generateKeyPair('RS256')).privateKey, kid: 'foreign' };
}

/** The claims of a Cognito-shaped ID token of the stack's provider, with `claims` on top. */
export const idTokenClaims = (endpoints: Pick<StackEndpoints, 'issuer' | 'clientId'>, claims: JWTPayload = {}): JWTPayload => ({
  iss: endpoints.issuer,
  aud: endpoints.clientId,
  token_use: 'id',
  ...claims,
});

/** Signs `claims` (issued `now`, valid `ttlSeconds`) with `key` as `alg`. */
export function signToken(claims: JWTPayload, { key, kid }: TestKey, { alg = 'RS256', ttlSeconds = 3600, now = Date.now() } = {}): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new SignJWT({ auth_time: iat, ...claims })
    .setProtectedHeader({ alg, ...(kid ? { kid } : {}) })
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(key);
}
