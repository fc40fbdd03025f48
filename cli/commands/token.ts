import { readFile } from 'node:fs/promises';
import { UsageError, type Command, wholeNumber } from '../command.ts';
import { DEFAULT_DATA_DIR, stackFile } from '../target.ts';
import { devClaims, devSigningKey, signDevToken } from '../../local/dev-jwt.ts';
import type { StackEndpoints } from '../../local/local-stack.ts';

export const token: Command = {
  name: 'token',
  summary: 'a development token for the local stack’s API (holder or a municipality user)',
  usage: `
Usage: pbr token --role holder|municipality [--municipality NAME] [--ttl SECONDS] [--data DIR]

Prints a JWT the running \`pbr stack\` accepts, with the claims a Cognito ID token
carries in AWS (cognito:groups, custom:municipality). Use it as
  curl -H "Authorization: Bearer $(npx pbr token --role holder)" http://127.0.0.1:8480/partnerships`,
  options: { role: { type: 'string' }, municipality: { type: 'string' }, ttl: { type: 'string' }, data: { type: 'string' } },
  async run(values) {
    const role = values.role;
    if (role !== 'holder' && role !== 'municipality') throw new UsageError('--role must be holder or municipality');
    const file = stackFile((values.data as string | undefined) ?? DEFAULT_DATA_DIR);
    let endpoints: StackEndpoints;
    try {
      endpoints = JSON.parse(await readFile(file, 'utf8')) as StackEndpoints;
    } catch {
      throw new UsageError(`no local stack found (${file}): start one with \`npx pbr stack\` or \`npm start\``);
    }
    let claims;
    try {
      claims = devClaims(role, values.municipality as string | undefined);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const ttl = wholeNumber(values, 'ttl', 8 * 3600);
    process.stdout.write(signDevToken(await devSigningKey(endpoints.devKeyFile), claims, ttl) + '\n');
    return 0;
  },
};
