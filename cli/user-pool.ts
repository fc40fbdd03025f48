import { readFile } from 'node:fs/promises';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  ListUsersInGroupCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { quoteSafely, redactCpr, safeToRepeat } from '../shared/cpr-numbers.ts';
import { InputError, UsageError } from './command.ts';

/* The portal's users in a deployed stack's Cognito user pool, for `pbr admin user`. */

/** The roles a portal user has; each is the Cognito group of the same name (infra/api.ts GROUPS). */
export const ROLES = ['holder', 'municipality'] as const;
export type Role = (typeof ROLES)[number];

/** The CfnOutput of the stack (infra/pbr-stack.ts) that names its user pool. */
export const USER_POOL_OUTPUT = 'UserPoolId';

/** The user pool of a deployed stack, found in the file `cdk deploy --outputs-file FILE` wrote. */
export interface UserPool {
  id: string;
  /** The pool's region: the prefix of its id (`eu-north-1_AbC123`). */
  region: string;
  stack: string;
}

/** A pool id, `<region>_<suffix>`: the region is read from it, so the outputs need no Region. */
const POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d+)_[0-9A-Za-z]+$/;

/** The longest `custom:municipality` the pool accepts (infra/api.ts: maxLen 64). */
const MUNICIPALITY_MAX = 64;
/** A name as the contracts write it: letters, then letters, spaces, hyphens, dots or apostrophes (Køge, Lyngby-Taarbæk, Ærø). */
const MUNICIPALITY = /^\p{L}[\p{L}\p{M} .'-]*$/u;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const EMAIL_MAX = 254;

/**
 * The user pool in a CDK outputs file: the stack with a UserPoolId output, or the
 * one named `stack` when the file holds several. Errors say what to do.
 */
export async function readUserPool(file: string, stack?: string): Promise<UserPool> {
  const shown = redactCpr(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(`cannot read the outputs file ${shown} (${code}): write it when deploying, with cdk deploy --outputs-file ${shown}`);
  }
  let outputs: unknown;
  try {
    outputs = JSON.parse(text);
  } catch {
    outputs = undefined;
  }
  if (typeof outputs !== 'object' || outputs === null || Array.isArray(outputs)) {
    throw new Error(`${shown} is not a CDK outputs file (JSON like {"Pbr": {"UserPoolId": "eu-north-1_…"}}, as cdk deploy --outputs-file writes it)`);
  }
  const stacks = Object.entries(outputs as Record<string, unknown>).filter(([, values]) => typeof (values as Record<string, unknown> | null)?.[USER_POOL_OUTPUT] === 'string');
  const chosen = stack === undefined ? stacks : stacks.filter(([name]) => name === stack);
  if (chosen.length === 0) {
    const which = stack === undefined ? 'no stack' : `no stack named ${quoteSafely(stack)}`;
    throw new Error(`${shown} has ${which} with a ${USER_POOL_OUTPUT} output: is it the outputs file of the pbr stack (cdk deploy --outputs-file ${shown})?`);
  }
  if (chosen.length > 1) throw new UsageError(`${shown} holds several stacks with a user pool (${chosen.map(([name]) => name).join(', ')}): choose one with --stack NAME`);
  const [name, values] = chosen[0]!;
  const id = (values as Record<string, string>)[USER_POOL_OUTPUT]!;
  const region = POOL_ID.exec(id)?.[1];
  if (!region) throw new Error(`${shown}: ${USER_POOL_OUTPUT} ${quoteSafely(id)} of stack ${name} is not a user pool id (REGION_SUFFIX)`);
  return { id, region, stack: name };
}

/** The e-mail address a user signs in with, checked: refused (exit 2) when malformed or when it holds 6 or more digits, which could be a CPR number. */
export function checkedEmail(value: string): string {
  const email = value.trim();
  if (!safeToRepeat(email)) throw new InputError('--email holds 6 or more digits (it could hold a CPR number) or is too long: use the person\'s work address');
  if (!EMAIL.test(email) || email.length > EMAIL_MAX) throw new InputError(`--email ${quoteSafely(email)} is not an e-mail address`);
  return email;
}

/** A municipality's name as the contracts write it (NFC), or an InputError describing the shape expected. */
export function checkedMunicipality(value: string): string {
  const name = value.normalize('NFC').trim();
  if (name.length > MUNICIPALITY_MAX || !MUNICIPALITY.test(name)) {
    throw new InputError(
      `--municipality ${quoteSafely(name)} is not a municipality's name: letters, spaces, "-", "." or "'", at most ${MUNICIPALITY_MAX} characters, written as in the contracts' "municipality" field (e.g. Køge, Lyngby-Taarbæk)`,
    );
  }
  return name;
}

/** A user to invite: a holder, or a municipality user with their municipality. */
export type NewUser = { email: string; role: 'holder' } | { email: string; role: 'municipality'; municipality: string };

/** A user as `pbr admin user list` shows them. */
export interface PoolUser {
  email: string;
  /** The groups they are in (a user in none cannot use the portal). */
  roles: Role[];
  municipality?: string;
  /** Cognito's UserStatus: FORCE_CHANGE_PASSWORD until the first sign-in, then CONFIRMED. */
  status: string;
  enabled: boolean;
  created?: string;
}

/** The Cognito client for the pool's region (credentials from the usual AWS environment). */
export function userPoolClient(pool: UserPool): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ region: pool.region });
}

/** What a Cognito (or credentials) error means for the person at the terminal; other errors pass through. */
function plainError(error: unknown, pool: UserPool, email?: string): Error {
  const name = (error as Error).name;
  const message = redactCpr((error as Error).message);
  switch (name) {
    case 'UsernameExistsException':
      return new Error(`a user with e-mail ${email} already exists in user pool ${pool.id} (pbr admin user list shows every user; remove it first to invite it again)`);
    case 'UserNotFoundException':
      return new Error(`no user with e-mail ${email} in user pool ${pool.id} (pbr admin user list shows every user)`);
    case 'ResourceNotFoundException':
      return new Error(`${message} (user pool ${pool.id} in ${pool.region}, stack ${pool.stack}: do these AWS credentials reach the account the stack is deployed in?)`);
    case 'CredentialsProviderError':
      return new Error(`no AWS credentials found (${message}): sign in first, e.g. aws sso login --profile NAME and AWS_PROFILE=NAME`);
    case 'NotAuthorizedException':
    case 'AccessDeniedException':
    case 'UnrecognizedClientException':
      return new Error(`AWS refused: ${message} (the credentials need cognito-idp:Admin* and cognito-idp:List* on user pool ${pool.id})`);
    case 'InvalidParameterException':
      return new Error(`Cognito refused the values: ${message}`);
    default:
      return error as Error;
  }
}

/**
 * Invites a user: AdminCreateUser with the e-mail (verified, so it is where the
 * invitation and password resets go) and, for a municipality user, the
 * `custom:municipality` attribute the API reads; Cognito e-mails a temporary
 * password. Then adds the user to their role's group. When that fails the user
 * is deleted again, so no user is left half made (able to sign in, no role).
 */
export async function addUser(client: CognitoIdentityProviderClient, pool: UserPool, user: NewUser): Promise<void> {
  const attributes = [
    { Name: 'email', Value: user.email },
    { Name: 'email_verified', Value: 'true' },
    ...(user.role === 'municipality' ? [{ Name: 'custom:municipality', Value: user.municipality }] : []),
  ];
  let username: string;
  try {
    const created = await client.send(new AdminCreateUserCommand({ UserPoolId: pool.id, Username: user.email, UserAttributes: attributes, DesiredDeliveryMediums: ['EMAIL'] }));
    username = created.User?.Username ?? user.email;
  } catch (error) {
    throw plainError(error, pool, user.email);
  }
  try {
    await client.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.id, Username: username, GroupName: user.role }));
  } catch (error) {
    const reason = `${plainError(error, pool, user.email).message}; the user was not added to group ${user.role}`;
    try {
      await client.send(new AdminDeleteUserCommand({ UserPoolId: pool.id, Username: username }));
    } catch {
      throw new Error(`${reason}, and removing it again failed too: remove it with pbr admin user remove --email ${user.email}`);
    }
    throw new Error(`${reason}, so it was removed again (its invitation e-mail is void)`);
  }
}

/** Deletes a user (AdminDeleteUser): they can no longer sign in, and their tokens stop working within the hour. */
export async function removeUser(client: CognitoIdentityProviderClient, pool: UserPool, email: string): Promise<void> {
  try {
    await client.send(new AdminDeleteUserCommand({ UserPoolId: pool.id, Username: email }));
  } catch (error) {
    throw plainError(error, pool, email);
  }
}

const attribute = (user: UserType, name: string) => user.Attributes?.find((a) => a.Name === name)?.Value;

/** Every page of a listing: `fetch` gets the token of the page before (none for the first) and returns its items and the next token. */
async function allPages<T>(fetch: (token: string | undefined) => Promise<[items: T[] | undefined, next: string | undefined]>): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const [items, next] = await fetch(token);
    all.push(...(items ?? []));
    token = next;
  } while (token);
  return all;
}

/** Every user of the pool (ListUsers) with the groups they are in (ListUsersInGroup per role), sorted by e-mail. */
export async function listUsers(client: CognitoIdentityProviderClient, pool: UserPool): Promise<PoolUser[]> {
  try {
    const rolesOf = new Map<string, Role[]>();
    for (const role of ROLES) {
      const members = await allPages(async (token) => {
        const page = await client.send(new ListUsersInGroupCommand({ UserPoolId: pool.id, GroupName: role, ...(token ? { NextToken: token } : {}) }));
        return [page.Users, page.NextToken];
      });
      for (const member of members) rolesOf.set(member.Username!, [...(rolesOf.get(member.Username!) ?? []), role]);
    }
    const users = await allPages(async (token) => {
      const page = await client.send(new ListUsersCommand({ UserPoolId: pool.id, ...(token ? { PaginationToken: token } : {}) }));
      return [page.Users, page.PaginationToken];
    });
    return users
      .map((user): PoolUser => {
        const municipality = attribute(user, 'custom:municipality');
        return {
          email: redactCpr(attribute(user, 'email') ?? user.Username ?? ''),
          roles: rolesOf.get(user.Username!) ?? [],
          ...(municipality ? { municipality: redactCpr(municipality) } : {}),
          status: user.UserStatus ?? 'UNKNOWN',
          enabled: user.Enabled ?? true,
          ...(user.UserCreateDate ? { created: user.UserCreateDate.toISOString() } : {}),
        };
      })
      .sort((a, b) => a.email.localeCompare(b.email));
  } catch (error) {
    throw plainError(error, pool);
  }
}
