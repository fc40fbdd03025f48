import { EXIT, FORMAT_OPTIONS, outputFormat, required, UsageError, type Command, type Values } from '../command.ts';
import { textTable } from '../text-table.ts';
import { addUser, checkedEmail, checkedMunicipality, listUsers, readUserPool, removeUser, ROLES, userPoolClient, type NewUser, type PoolUser, type UserPool } from '../user-pool.ts';
import { csvRow, textCell } from '../../shared/spreadsheet-cells.ts';

/** The options each action takes (besides --outputs and --stack, which all take). */
const ACTION_OPTIONS: Record<string, readonly string[]> = {
  add: ['email', 'role', 'municipality'],
  list: ['format', 'json'],
  remove: ['email'],
};
const COMMON_OPTIONS = ['outputs', 'stack'];

/** The action of `pbr admin user ACTION`, with every option checked against it. */
function actionOf(values: Values, positionals: readonly string[]): string {
  const [noun, action, ...extra] = positionals;
  if (noun !== 'user' || action === undefined || !(action in ACTION_OPTIONS) || extra.length > 0) {
    throw new UsageError('expected pbr admin user add|list|remove');
  }
  const allowed = [...ACTION_OPTIONS[action]!, ...COMMON_OPTIONS];
  const stray = Object.keys(values).find((name) => values[name] !== undefined && !allowed.includes(name));
  if (stray) throw new UsageError(`--${stray} is not an option of pbr admin user ${action}`);
  return action;
}

/** The user `add` invites, from --email, --role and --municipality. */
function newUser(values: Values): NewUser {
  const email = checkedEmail(required(values, 'email'));
  const role = required(values, 'role');
  if (role === 'holder') {
    if (values.municipality !== undefined) throw new UsageError('--municipality is for --role municipality only (a holder sees every partnership)');
    return { email, role };
  }
  if (role !== 'municipality') throw new UsageError(`--role must be ${ROLES.join(' or ')}`);
  return { email, role, municipality: checkedMunicipality(required(values, 'municipality')) };
}

const roleText = (user: PoolUser) => (user.roles.length > 0 ? user.roles.join('+') : '(no group)');

/** The users in the chosen format: an aligned table, a JSON array, or CSV with a header. */
function formatUsers(users: readonly PoolUser[], format: 'text' | 'json' | 'csv', pool: UserPool): string {
  if (format === 'json') return JSON.stringify(users, null, 2) + '\n';
  const rows = users.map((user) => [user.email, roleText(user), user.municipality ?? '', user.status, user.enabled ? 'yes' : 'no', user.created ?? '']);
  const header = ['email', 'role', 'municipality', 'status', 'enabled', 'created'];
  if (format === 'csv') return [header, ...rows].map((row) => csvRow(row.map(textCell))).join('\n') + '\n';
  if (users.length === 0) return `no users in user pool ${pool.id} (stack ${pool.stack})\n`;
  return textTable([header, ...rows.map((row) => [...row.slice(0, 5), row[5]!.slice(0, 10)])]);
}

/** `pbr admin user add|list|remove`: the portal's users in a deployed stack's Cognito user pool. */
export const admin: Command = {
  usage: `
Usage: pbr admin user add --email E --role holder|municipality [--municipality NAME] --outputs FILE [--stack NAME]
       pbr admin user list --outputs FILE [--stack NAME] [--format text|json|csv]
       pbr admin user remove --email E --outputs FILE [--stack NAME]

Manages who may use the portal and the API of a deployed stack: the users of
its Cognito user pool. FILE is what \`cdk deploy --outputs-file FILE\` wrote; the
pool is its UserPoolId output (the region is the pool id's prefix), --stack
names the stack when FILE holds several. AWS credentials come from the usual
environment (AWS_PROFILE, aws sso login, …) and need cognito-idp:Admin* and
cognito-idp:List* on the pool.

  add      invites a user. Cognito e-mails them a temporary password; at their
           first sign-in they choose a password and set up an authenticator app
           (TOTP). --role holder (the project holder) sees every partnership;
           --role municipality only those of --municipality, written as in the
           contracts' "municipality" field (e.g. Køge; case does not matter).
           A user who exists already is refused (remove them first).
  list     every user: e-mail, role (their group), municipality, status
           (FORCE_CHANGE_PASSWORD until the first sign-in, then CONFIRMED), enabled,
           created.
  remove   deletes a user: they can no longer sign in.

Exit 2 when --email or --municipality is refused (an e-mail address with 6 or
more digits is refused: it could hold a CPR number), 1 when the outputs file
cannot be used, AWS refuses, or the user exists (add) or does not (remove).`,
  options: { email: { type: 'string' }, role: { type: 'string' }, municipality: { type: 'string' }, outputs: { type: 'string' }, stack: { type: 'string' }, ...FORMAT_OPTIONS },
  async run(values, positionals) {
    const action = actionOf(values, positionals);
    // Arguments are checked before the outputs file is read or AWS is asked.
    const user = action === 'add' ? newUser(values) : undefined;
    const email = action === 'remove' ? checkedEmail(required(values, 'email')) : undefined;
    const format = action === 'list' ? outputFormat(values, ['text', 'json', 'csv']) : undefined;
    const pool = await readUserPool(required(values, 'outputs'), values.stack as string | undefined);
    const client = userPoolClient(pool);
    const where = `user pool ${pool.id} (stack ${pool.stack}, ${pool.region})`;
    switch (action) {
      case 'add': {
        await addUser(client, pool, user!);
        const role = user!.role === 'municipality' ? `a user of ${user!.municipality}` : 'the project holder';
        process.stdout.write(`invited ${user!.email} as ${role} to ${where}: Cognito e-mails a temporary password; at the first sign-in they choose a password and set up TOTP\n`);
        break;
      }
      case 'remove':
        await removeUser(client, pool, email!);
        process.stdout.write(`removed ${email} from ${where}\n`);
        break;
      default:
        process.stdout.write(formatUsers(await listUsers(client, pool), format!, pool));
    }
    return EXIT.ok;
  },
};
