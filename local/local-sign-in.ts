import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDocumentClient } from '../shared/adapters/aws-clients.ts';
import { DynamoPartnershipStore } from '../shared/adapters/dynamodb-partnership-store.ts';
import type { LocalSignIn } from './api-server.ts';
import { createJwtAuthorizer } from './jwt-authorizer.ts';
import { startLocalOidcProvider, type LocalOidcProvider, type TokenLifetimes } from './oidc-provider.ts';
import { localUsers } from './oidc-users.ts';

/*
 * Sign-in on the local stack, wired as in AWS: the local OpenID provider plays
 * the Cognito user pool, the API server verifies its ID tokens like API
 * Gateway's JWT authorizer, and `config.json` has the shape infra/portal.ts
 * deploys (plus the seeded users, for the portal's role picker).
 */

export interface LocalSignInOptions {
  port: number;
  keysFile: string;
  table: string;
  region: string;
  lifetimes: TokenLifetimes;
  listen: (server: Server, port: number) => Promise<AddressInfo>;
}

/** The provider, and what the API server needs from it. Call after the AWS SDK points at the stack. */
export async function startLocalSignIn(options: LocalSignInOptions): Promise<{ provider: LocalOidcProvider; signIn: LocalSignIn }> {
  const store = new DynamoPartnershipStore(createDocumentClient(), options.table);
  const municipalities = async () => (await store.partnerships()).map((partnership) => partnership.municipality);
  const provider = await startLocalOidcProvider({ port: options.port, keysFile: options.keysFile, municipalities, lifetimes: options.lifetimes, listen: options.listen });
  const authorize = createJwtAuthorizer({ issuer: provider.issuer, audience: [provider.clientId], jwksUri: provider.jwksUri, tokenUse: 'id' });
  const portalConfig = async () => ({
    auth: 'cognito',
    apiUrl: '',
    cognito: { region: options.region, userPoolId: 'local', clientId: provider.clientId, domain: provider.issuer, tokenUse: 'id' },
    // Local only: the role picker signs in through the provider as one of these (login_hint = accountId).
    localUsers: (await localUsers(municipalities)).map(({ accountId, role, municipality }) => ({ accountId, role, municipality })),
  });
  return { provider, signIn: { authorize, portalConfig } };
}
