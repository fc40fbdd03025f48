import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

/*
 * The local OpenID provider's signing keys: RS256 key pairs as private JWKs, the
 * newest first. The provider signs with the first and publishes every one in its
 * JWKS, so a token signed before a rotation still verifies until it expires (as
 * Cognito keeps publishing its previous key).
 */

/** Keys kept after a rotation: the signing key and the one before it. */
const KEPT_KEYS = 2;

/** A private RS256 JWK with its `kid`, as oidc-provider's `jwks` option takes it. */
export type SigningKey = JWK & { kid: string; alg: 'RS256'; use: 'sig' };

async function newSigningKey(): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

/** The keys kept in `file` (0600), created there on first use so tokens outlive a restart of the stack. */
export async function loadSigningKeys(file: string): Promise<SigningKey[]> {
  try {
    const { keys } = JSON.parse(await readFile(file, 'utf8')) as { keys: SigningKey[] };
    if (keys.length > 0) return keys;
  } catch {
    /* no keys yet */
  }
  const keys = [await newSigningKey()];
  await saveSigningKeys(file, keys);
  return keys;
}

async function saveSigningKeys(file: string, keys: SigningKey[]): Promise<void> {
  await writeFile(file, JSON.stringify({ keys }, null, 2) + '\n', { mode: 0o600 });
}

/** A new signing key in front; the previous signing key stays published, older ones go. */
export async function rotateSigningKeys(file: string, keys: SigningKey[]): Promise<SigningKey[]> {
  const rotated = [await newSigningKey(), ...keys].slice(0, KEPT_KEYS);
  await saveSigningKeys(file, rotated);
  return rotated;
}
