import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  ListUsersInGroupCommand,
  ResourceNotFoundException,
  UsernameExistsException,
  UserNotFoundException,
  type UserStatusType,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { InputError } from '../../cli/command.ts';
import { main } from '../../cli/pbr.ts';
import { checkedMunicipality, ROLES } from '../../cli/user-pool.ts';
import { GROUPS } from '../../infra/api.ts';

/* `pbr admin user add|list|remove` against a Cognito stand-in: the SDK client mocked, no network. */

const POOL = 'eu-north-1_Ab12Cd';
const cognito = mockClient(CognitoIdentityProviderClient);

let dir: string;
let outputs: string;
let stdout = '';
let stderr = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pbr-admin-'));
  outputs = join(dir, 'outputs.json');
  // What `cdk deploy --outputs-file` writes for the Pbr stack (infra/pbr-stack.ts addOutputs).
  await writeFile(outputs, JSON.stringify({ Pbr: { BucketName: 'pbr-data', TableName: 'pbr', UserPoolId: POOL, UserPoolClientId: 'client' } }));
});

beforeEach(() => {
  cognito.reset();
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
});

afterEach(() => {
  vi.restoreAllMocks();
});

const pbr = (...args: string[]) => main(['admin', 'user', ...args]);
const inputs = <T extends object>(command: new (input: T) => { input: T }) => cognito.commandCalls(command as never).map((call) => (call.args[0] as { input: T }).input);
const everyCall = () => cognito.calls().map((call) => (call.args[0] as { constructor: { name: string } }).constructor.name);

describe('pbr admin user add', () => {
  it('invites a municipality user: AdminCreateUser (e-mail verified, custom:municipality, invitation by e-mail), then the group, in the pool\'s region', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: { Username: '5f0c-sub' } });
    cognito.on(AdminAddUserToGroupCommand).resolves({});
    // Tårnby typed with a decomposed å (a + combining ring): stored composed (NFC), as the API compares names.
    const code = await pbr('add', '--email', 'anne@taarnby.dk', '--role', 'municipality', '--municipality', 'Ta\u030arnby', '--outputs', outputs);
    expect([code, stderr]).toEqual([0, '']);
    expect(everyCall()).toEqual(['AdminCreateUserCommand', 'AdminAddUserToGroupCommand']);
    expect(inputs(AdminCreateUserCommand)).toEqual([
      {
        UserPoolId: POOL,
        Username: 'anne@taarnby.dk',
        UserAttributes: [
          { Name: 'email', Value: 'anne@taarnby.dk' },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'custom:municipality', Value: 'T\u00e5rnby' },
        ],
        DesiredDeliveryMediums: ['EMAIL'],
      },
    ]);
    expect(inputs(AdminAddUserToGroupCommand)).toEqual([{ UserPoolId: POOL, Username: '5f0c-sub', GroupName: 'municipality' }]);
    const client = cognito.call(0).thisValue as CognitoIdentityProviderClient;
    expect(await client.config.region()).toBe('eu-north-1');
    expect(stdout).toMatch(/^invited anne@taarnby\.dk as a user of Tårnby to user pool eu-north-1_Ab12Cd \(stack Pbr, eu-north-1\): Cognito e-mails a temporary password/);
  });

  it('invites the project holder without a municipality, into group holder', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: { Username: 'holder-sub' } });
    expect(await pbr('add', '--email', 'lead@holder.dk', '--role', 'holder', '--outputs', outputs)).toBe(0);
    expect(inputs(AdminCreateUserCommand)[0]!.UserAttributes).toEqual([
      { Name: 'email', Value: 'lead@holder.dk' },
      { Name: 'email_verified', Value: 'true' },
    ]);
    expect(inputs(AdminAddUserToGroupCommand)).toEqual([{ UserPoolId: POOL, Username: 'holder-sub', GroupName: 'holder' }]);
  });

  it('a user who exists already: said in plain words, exit 1, nothing else called', async () => {
    cognito.on(AdminCreateUserCommand).rejects(new UsernameExistsException({ message: 'An account with the given email already exists.', $metadata: {} }));
    expect(await pbr('add', '--email', 'anne@koege.dk', '--role', 'municipality', '--municipality', 'Køge', '--outputs', outputs)).toBe(1);
    expect(stderr).toBe(`pbr admin: a user with e-mail anne@koege.dk already exists in user pool ${POOL} (pbr admin user list shows every user; remove it first to invite it again)\n`);
    expect(everyCall()).toEqual(['AdminCreateUserCommand']);
  });

  it('when the group cannot be joined, the new user is deleted again (no user without a role is left)', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: { Username: 'sub-1' } });
    cognito.on(AdminAddUserToGroupCommand).rejects(new ResourceNotFoundException({ message: 'Group not found.', $metadata: {} }));
    expect(await pbr('add', '--email', 'anne@koege.dk', '--role', 'municipality', '--municipality', 'Køge', '--outputs', outputs)).toBe(1);
    expect(everyCall()).toEqual(['AdminCreateUserCommand', 'AdminAddUserToGroupCommand', 'AdminDeleteUserCommand']);
    expect(inputs(AdminDeleteUserCommand)).toEqual([{ UserPoolId: POOL, Username: 'sub-1' }]);
    expect(stderr).toMatch(/^pbr admin: Group not found\. .*not added to group municipality, so it was removed again/);
  });

  it.each([
    [['--municipality', '0101901234'], '--municipality'],
    [['--municipality', 'Køge 4600'], '--municipality'],
    [['--municipality', 'Køge; DROP'], '--municipality'],
    [['--municipality', 'K'.repeat(65)], '--municipality'],
    [['--municipality', 'Køge', '--email', 'anne'], '--email'],
    [['--municipality', 'Køge', '--email', '010190-1234@koege.dk'], '--email'],
  ])('refuses %j with exit 2 before reading the outputs or calling AWS, never repeating a CPR-like number', async (extra, option) => {
    const args = ['add', '--email', 'anne@koege.dk', '--role', 'municipality', '--outputs', join(dir, 'missing.json'), ...extra];
    expect(await pbr(...args)).toBe(2);
    expect(stderr).toMatch(new RegExp(`^pbr admin: ${option} `));
    expect(stderr).not.toMatch(/0101901234|010190/);
    expect(cognito.calls()).toEqual([]);
  });

  it.each([
    [['--role', 'admin', '--email', 'a@b.dk'], '--role must be holder or municipality'],
    [['--role', 'municipality', '--email', 'a@b.dk'], '--municipality is required'],
    [['--role', 'holder', '--email', 'a@b.dk', '--municipality', 'Køge'], '--municipality is for --role municipality only'],
    [['--role', 'holder', '--email', 'a@b.dk', '--format', 'json'], '--format is not an option of pbr admin user add'],
    [['--role', 'holder'], '--email is required'],
  ])('usage errors (exit 64): %j', async (extra, message) => {
    expect(await pbr('add', '--outputs', outputs, ...extra)).toBe(64);
    expect(stderr).toContain(message);
    expect(cognito.calls()).toEqual([]);
  });
});

describe('the outputs file', () => {
  const add = (file: string, ...extra: string[]) => pbr('add', '--email', 'a@b.dk', '--role', 'holder', '--outputs', file, ...extra);

  it('missing: exit 1, naming cdk deploy --outputs-file; no --outputs at all: exit 64', async () => {
    expect(await add(join(dir, 'none.json'))).toBe(1);
    expect(stderr).toMatch(/cannot read the outputs file .*none\.json \(ENOENT\): write it when deploying, with cdk deploy --outputs-file/);
    stderr = '';
    expect(await pbr('list')).toBe(64);
    expect(stderr).toContain('--outputs is required');
    expect(cognito.calls()).toEqual([]);
  });

  it('without a UserPoolId output, or not JSON: exit 1 saying what the file should be', async () => {
    const other = join(dir, 'other.json');
    await writeFile(other, JSON.stringify({ Other: { BucketName: 'x' } }));
    expect(await add(other)).toBe(1);
    expect(stderr).toMatch(/has no stack with a UserPoolId output: is it the outputs file of the pbr stack/);
    await writeFile(other, 'BucketName = x');
    expect(await add(other)).toBe(1);
    expect(stderr).toMatch(/is not a CDK outputs file/);
    expect(cognito.calls()).toEqual([]);
  });

  it('with several stacks: --stack chooses (without it, exit 64); the region comes from the chosen pool id', async () => {
    const two = join(dir, 'two.json');
    await writeFile(two, JSON.stringify({ PbrTest: { UserPoolId: 'eu-central-1_Test1' }, PbrProd: { UserPoolId: 'eu-west-1_Prod1' } }));
    expect(await add(two)).toBe(64);
    expect(stderr).toContain('several stacks with a user pool (PbrTest, PbrProd): choose one with --stack NAME');
    cognito.on(ListUsersCommand).resolves({ Users: [] });
    cognito.on(ListUsersInGroupCommand).resolves({ Users: [] });
    expect(await pbr('list', '--outputs', two, '--stack', 'PbrProd')).toBe(0);
    expect(inputs(ListUsersCommand)).toEqual([{ UserPoolId: 'eu-west-1_Prod1' }]);
    expect(inputs(ListUsersInGroupCommand).map((input) => input.UserPoolId)).toEqual(['eu-west-1_Prod1', 'eu-west-1_Prod1']);
    expect(await (cognito.call(0).thisValue as CognitoIdentityProviderClient).config.region()).toBe('eu-west-1');
    expect(stdout).toBe('no users in user pool eu-west-1_Prod1 (stack PbrProd)\n');
  });
});

describe('pbr admin user list', () => {
  const created = new Date('2026-11-30T09:15:00Z');
  const user = (sub: string, email: string, municipality?: string, status: UserStatusType = 'CONFIRMED'): UserType => ({
    Username: sub,
    Attributes: [{ Name: 'email', Value: email }, ...(municipality ? [{ Name: 'custom:municipality', Value: municipality }] : [])],
    UserStatus: status,
    Enabled: true,
    UserCreateDate: created,
  });

  beforeEach(() => {
    // Two pages of users, so pagination is followed; groups through ListUsersInGroup per role.
    cognito.on(ListUsersCommand, { UserPoolId: POOL }).resolves({ Users: [user('s-2', 'bo@odsherred.dk', 'Odsherred', 'FORCE_CHANGE_PASSWORD'), user('s-1', 'lead@holder.dk')], PaginationToken: 'page-2' });
    cognito.on(ListUsersCommand, { UserPoolId: POOL, PaginationToken: 'page-2' }).resolves({ Users: [user('s-3', 'anne@koege.dk', 'Køge'), user('s-4', 'nobody@x.dk')] });
    cognito.on(ListUsersInGroupCommand, { GroupName: 'holder' }).resolves({ Users: [{ Username: 's-1' }] });
    cognito.on(ListUsersInGroupCommand, { GroupName: 'municipality' }).resolves({ Users: [{ Username: 's-2' }], NextToken: 'more' });
    cognito.on(ListUsersInGroupCommand, { GroupName: 'municipality', NextToken: 'more' }).resolves({ Users: [{ Username: 's-3' }] });
  });

  it('lists every user with role, municipality and status, sorted by e-mail (text)', async () => {
    expect(await pbr('list', '--outputs', outputs)).toBe(0);
    expect(inputs(ListUsersCommand)).toEqual([{ UserPoolId: POOL }, { UserPoolId: POOL, PaginationToken: 'page-2' }]);
    expect(inputs(ListUsersInGroupCommand)).toEqual([
      { UserPoolId: POOL, GroupName: 'holder' },
      { UserPoolId: POOL, GroupName: 'municipality' },
      { UserPoolId: POOL, GroupName: 'municipality', NextToken: 'more' },
    ]);
    expect(stdout.split('\n')).toEqual([
      'email            role          municipality  status                 enabled  created',
      'anne@koege.dk    municipality  Køge          CONFIRMED              yes      2026-11-30',
      'bo@odsherred.dk  municipality  Odsherred     FORCE_CHANGE_PASSWORD  yes      2026-11-30',
      'lead@holder.dk   holder                      CONFIRMED              yes      2026-11-30',
      'nobody@x.dk      (no group)                  CONFIRMED              yes      2026-11-30',
      '',
    ]);
  });

  it('--format json and --format csv give the same users', async () => {
    expect(await pbr('list', '--outputs', outputs, '--format', 'json')).toBe(0);
    const json = JSON.parse(stdout);
    expect(json[0]).toEqual({ email: 'anne@koege.dk', roles: ['municipality'], municipality: 'Køge', status: 'CONFIRMED', enabled: true, created: created.toISOString() });
    expect(json.map((u: { email: string }) => u.email)).toEqual(['anne@koege.dk', 'bo@odsherred.dk', 'lead@holder.dk', 'nobody@x.dk']);
    stdout = '';
    expect(await pbr('list', '--outputs', outputs, '--format', 'csv')).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('email,role,municipality,status,enabled,created');
    expect(lines[3]).toBe(`lead@holder.dk,holder,,CONFIRMED,yes,${created.toISOString()}`);
  });
});

describe('pbr admin user remove', () => {
  it('deletes the user by e-mail (AdminDeleteUser)', async () => {
    cognito.on(AdminDeleteUserCommand).resolves({});
    expect(await pbr('remove', '--email', 'anne@koege.dk', '--outputs', outputs)).toBe(0);
    expect(everyCall()).toEqual(['AdminDeleteUserCommand']);
    expect(inputs(AdminDeleteUserCommand)).toEqual([{ UserPoolId: POOL, Username: 'anne@koege.dk' }]);
    expect(stdout).toBe(`removed anne@koege.dk from user pool ${POOL} (stack Pbr, eu-north-1)\n`);
  });

  it('an unknown user: plain words, exit 1', async () => {
    cognito.on(AdminDeleteUserCommand).rejects(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }));
    expect(await pbr('remove', '--email', 'ghost@koege.dk', '--outputs', outputs)).toBe(1);
    expect(stderr).toBe(`pbr admin: no user with e-mail ghost@koege.dk in user pool ${POOL} (pbr admin user list shows every user)\n`);
  });

  it('no credentials: says how to sign in, exit 1', async () => {
    const error = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    cognito.on(AdminDeleteUserCommand).rejects(error);
    expect(await pbr('remove', '--email', 'anne@koege.dk', '--outputs', outputs)).toBe(1);
    expect(stderr).toMatch(/^pbr admin: no AWS credentials found \(Could not load credentials from any providers\): sign in first/);
  });
});

describe('roles and municipality names', () => {
  it('each role is a group of the user pool (infra/api.ts)', () => {
    expect([...ROLES].sort()).toEqual(Object.values(GROUPS).sort());
  });

  it('an accepted municipality name is NFC, at most 64 characters and holds no digit; a refusal never repeats 6 digits', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('Køge', 'Lyngby-Taarbæk', 'Ærø', '010190-1234', 'Høje-Taastrup 2630')), (value) => {
        try {
          const name = checkedMunicipality(value);
          expect(name).toBe(name.normalize('NFC'));
          expect(name.length).toBeLessThanOrEqual(64);
          expect(name).not.toMatch(/\d/u);
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
          expect((error as Error).message).not.toMatch(/(\d\D{0,2}){6}/u);
        }
      }),
    );
    expect(['Køge', 'Lyngby-Taarbæk', 'Ærø', 'Høje-Taastrup'].map(checkedMunicipality)).toEqual(['Køge', 'Lyngby-Taarbæk', 'Ærø', 'Høje-Taastrup']);
  });
});
