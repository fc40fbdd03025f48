import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';

/*
 * The local API's token check, the same rules as API Gateway's JWT authorizer in
 * front of the deployed API (infra/api.ts): the signature against the issuer's
 * JWKS (RS256 only: no HS256, no `none`), `iss`, the audience (`aud`, or
 * `client_id` when a token has no `aud`, as API Gateway does), `exp` and `nbf`
 * with a small clock skew. On top, `token_use` must be `id`: the API reads
 * `custom:municipality`, which only Cognito's ID tokens carry (the portal sends
 * its ID token; config.json's `tokenUse: 'id'`).
 */

/** A token that must be refused with 401, and why. */
export class TokenError extends Error {}

/** Clock skew tolerated on `exp`/`nbf`/`iat`, in seconds. */
export const CLOCK_SKEW_SECONDS = 5;

export interface JwtAuthorizerOptions {
  issuer: string;
  /** API Gateway's `jwtAudience`: the app client ids. */
  audience: string[];
  jwksUri: string;
  tokenUse: 'id' | 'access';
}

/** Verifies a bearer token; resolves to its claims, or rejects with a TokenError. */
export type JwtAuthorizer = (token: string) => Promise<Record<string, unknown>>;

/** Builds the verifier; the JWKS is fetched on first use, and again when a token names a key not in it (a rotation). */
export function createJwtAuthorizer({ issuer, audience, jwksUri, tokenUse }: JwtAuthorizerOptions): JwtAuthorizer {
  const keys = createRemoteJWKSet(new URL(jwksUri), { cooldownDuration: 1000 });
  return async (token) => {
    const verify = () => jwtVerify(token, keys, { algorithms: ['RS256'], issuer, clockTolerance: CLOCK_SKEW_SECONDS, requiredClaims: ['exp'] });
    let payload: JWTPayload;
    try {
      // A key not seen yet (just rotated in): fetch the JWKS again, once, even within the cooldown.
      ({ payload } = await verify().catch(async (error) => (error instanceof errors.JWKSNoMatchingKey ? (await keys.reload(), verify()) : Promise.reject(error))));
    } catch (error) {
      throw new TokenError(reasonOf(error));
    }
    const audiences = payload.aud === undefined ? [payload.client_id] : [payload.aud].flat();
    if (!audiences.some((value) => typeof value === 'string' && audience.includes(value))) throw new TokenError('the token was not issued for this portal (audience)');
    if (payload.token_use !== tokenUse) throw new TokenError(`the API needs an ${tokenUse === 'id' ? 'ID' : 'access'} token (token_use ${tokenUse})`);
    return payload;
  };
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired: sign in again';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token is not signed with RS256';
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) return 'the token signature is not valid: sign in again';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token was not issued for this portal (${error.claim})`;
  return 'the bearer token is not a valid JWT';
}
