/** Who is calling, as the token says: the project holder, or one municipality's user. */
export type Caller = { role: 'holder'; subject: string } | { role: 'municipality'; municipality: string; subject: string };

/** Cognito groups arrive as a list, or (through API Gateway's JWT authorizer) as "[a b]". */
function groupsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return value.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean);
  return [];
}

/**
 * The caller from verified token claims: group `holder`, or group
 * `municipality` with the `custom:municipality` attribute. Access is decided
 * from these claims only, never from anything in the URL.
 */
export function callerFromClaims(claims: Record<string, unknown>): Caller | undefined {
  const groups = groupsOf(claims['cognito:groups']);
  const subject = String(claims.sub ?? '');
  if (groups.includes('holder')) return { role: 'holder', subject };
  const municipality = claims['custom:municipality'];
  if (groups.includes('municipality') && typeof municipality === 'string' && municipality !== '') return { role: 'municipality', municipality, subject };
  return undefined;
}

/** Municipality names compared the way people write them (Køge, KØGE, composed or not). */
export function sameMunicipality(a: string, b: string): boolean {
  return a.normalize('NFC').toLocaleLowerCase('da') === b.normalize('NFC').toLocaleLowerCase('da');
}
