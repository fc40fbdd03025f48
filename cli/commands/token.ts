import { readFile } from 'node:fs/promises';
import { EXIT, UsageError, type Command } from '../command.ts';
import { DEFAULT_DATA_DIR, stackFile } from '../target.ts';
import { signInLocally } from '../../local/oidc-sign-in.ts';
import type { StackEndpoints } from '../../local/local-stack.ts';

/** `pbr token`: an ID token from the local stack's OpenID provider, shaped like Cognito's. */
export const token: Command = {
  usage: `
Usage: pbr token --role holder|municipality [--municipality NAME] [--data DIR]

Signs in through the running \`pbr stack\`'s OpenID provider (code flow with PKCE,
as the portal does) and prints the RS256 ID token, with the claims a Cognito ID
token carries in AWS (cognito:groups, custom:municipality). Lifetime: the
stack's PBR_ID_TOKEN_TTL (1 hour). Use it as
  curl -H "Authorization: Bearer $(npx pbr token --role holder)" http://127.0.0.1:8480/partnerships`,
  options: { role: { type: 'string' }, municipality: { type: 'string' }, data: { type: 'string' } },
  async run(values) {
    const role = values.role;
    if (role !== 'holder' && role !== 'municipality') throw new UsageError('--role must be holder or municipality');
    const file = stackFile((values.data as string | undefined) ?? DEFAULT_DATA_DIR);
    let endpoints: StackEndpoints;
    try {
      endpoints = JSON.parse(await readFile(file, 'utf8')) as StackEndpoints;
    } catch {
      throw new Error(`no local stack found (${file}): start one with \`npx pbr stack\` or \`npm start\``);
    }
    const municipality = values.municipality as string | undefined;
    if (role === 'municipality' && !municipality) throw new UsageError('a municipality user needs --municipality NAME');
    process.stdout.write((await signInLocally(endpoints, role, municipality)).id_token + '\n');
    return EXIT.ok;
  },
};
