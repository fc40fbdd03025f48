import { sameMunicipality } from '../shared/api/caller.ts';

/*
 * The local OpenID provider's users: the project holder, and one user for every
 * municipality that a loaded contract names (read when someone signs in, so the
 * demo's municipalities and a test's own are there as soon as their contracts are),
 * spelled as the contract spells it. A municipality no contract names yet gets a
 * user too, as an administrator may create one before its contract arrives (it
 * sees no partnerships). Their claims are shaped like a Cognito user's of the
 * user pool in infra/api.ts.
 */

/** A seeded user: account id `holder` or `municipality:<name>`. */
export interface LocalUser {
  accountId: string;
  role: 'holder' | 'municipality';
  municipality?: string;
}

/** The account id of the holder, or of a municipality's user: also what `login_hint` names. */
export const accountIdOf = (role: 'holder' | 'municipality', municipality?: string): string =>
  role === 'holder' ? 'holder' : `municipality:${(municipality ?? '').normalize('NFC')}`;

/** The user behind an account id (`holder`, `municipality:<name>`); undefined for anything else. */
export async function findLocalUser(accountId: string, municipalities: () => Promise<string[]>): Promise<LocalUser | undefined> {
  if (accountId === 'holder') return { accountId, role: 'holder' };
  const named = /^municipality:(.*\S.*)$/s.exec(accountId)?.[1]?.trim();
  if (!named) return undefined;
  const municipality = (await municipalities()).find((known) => sameMunicipality(known, named)) ?? named.normalize('NFC');
  return { accountId: accountIdOf('municipality', municipality), role: 'municipality', municipality };
}

/** Every seeded user, the holder first: what the provider's sign-in page offers. */
export async function localUsers(municipalities: () => Promise<string[]>): Promise<LocalUser[]> {
  const names = [...new Set((await municipalities()).map((name) => name.normalize('NFC')))].sort((a, b) => a.localeCompare(b, 'da'));
  return [{ accountId: 'holder', role: 'holder' }, ...names.map((municipality) => ({ accountId: accountIdOf('municipality', municipality), role: 'municipality' as const, municipality }))];
}

const username = (user: LocalUser) => (user.role === 'holder' ? 'holder' : `kommune-${user.municipality}`);

/**
 * The user's claims as Cognito puts them in an ID token (`token_use: id`) or an
 * access token (`token_use: access`, no custom attributes): groups, and for a
 * municipality user `custom:municipality` (infra/api.ts, shared/api/caller.ts).
 */
export function cognitoClaims(user: LocalUser, use: 'id' | 'access'): Record<string, unknown> {
  const groups = { 'cognito:groups': [user.role] };
  if (use === 'access') return { token_use: 'access', username: username(user), ...groups };
  return {
    sub: user.accountId,
    token_use: 'id',
    'cognito:username': username(user),
    email: `${username(user).replace(/[^\w.-]/g, '_')}@pbr.local`,
    email_verified: true,
    ...groups,
    ...(user.municipality ? { 'custom:municipality': user.municipality } : {}),
  };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The provider's own sign-in page (when no `login_hint` names a user): one button per seeded user. */
export function signInPage(action: string, users: LocalUser[], problem?: string): string {
  const buttons = users
    .map((user) => `<li><button type="submit" name="account" value="${escapeHtml(user.accountId)}" data-testid="local-user">${escapeHtml(user.role === 'holder' ? 'Projektholder' : user.municipality!)}</button></li>`)
    .join('');
  return `<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Log ind (lokal udbyder)</title></head><body>
<h1>Log ind – lokal OpenID-udbyder</h1>${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ''}
<p>Kun til udvikling: vælg en bruger. I AWS logger man ind hos Cognito.</p>
<form method="post" action="${escapeHtml(action)}"><ul>${buttons}</ul></form></body></html>`;
}
