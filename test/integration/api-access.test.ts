import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../shared/api/openapi.ts';
import { pbrOn, runPbr, smallContract, startStackProcess, type StackProcess } from '../support/pbr-process.ts';
import { foreignKey, idTokenClaims, signToken, stackSigningKey } from '../support/stack-tokens.ts';

/*
 * The access matrix of the HTTP API on the real local stack: the same handler as
 * in Lambda, behind the local stand-in for API Gateway's JWT authorizer, with
 * RS256 ID tokens from the stack's OpenID provider (`pbr token`).
 */
let stack: StackProcess;
let dir: string;
const tokens: Record<string, string> = {};

const contract = smallContract;
const pbr = pbrOn(() => stack, 50);

/** The holder's claims, as the provider puts them in an ID token. */
const holderClaims = () => idTokenClaims(stack.endpoints, { sub: 'holder', 'cognito:groups': ['holder'] });

async function call(path: string, token?: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  const response = await fetch(`${stack.endpoints.api}${path}`, { ...init, headers });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, type, body: type.includes('json') ? JSON.parse(text) : text };
}

beforeAll(async () => {
  stack = await startStackProcess();
  dir = await mkdtemp(join(tmpdir(), 'pbr-api-'));
  for (const [id, municipality] of [['koege', 'Køge'], ['stevns', 'Stevns']] as const) {
    const file = join(dir, `${id}.json`);
    await writeFile(file, JSON.stringify(contract(id, municipality)));
    await pbr('upload-contract', file);
    const hours = join(dir, `${id}-2024-01.csv`);
    await writeFile(hours, 'participant,date,hours,activity\nA,2024-01-08,12,ordinary\nB,2024-01-09,4,training\nB,2024-01-16,5,training\n');
    await runPbr(['upload', hours, '--partnership', id, '--month', '2024-01', '--source', 'actor', '--data', stack.dataDir]);
  }
  await pbr('recalc', '--as-of', '2024-01');
  tokens.holder = await pbr('token', '--role', 'holder');
  tokens.koege = await pbr('token', '--role', 'municipality', '--municipality', 'Køge');
});

afterAll(async () => {
  await stack?.stop();
});

describe('who sees what', () => {
  it('the project holder sees every partnership', async () => {
    const { status, body } = await call('/partnerships', tokens.holder);
    expect(status).toBe(200);
    expect(body.partnerships.map((p: { partnership: string }) => p.partnership)).toEqual(['koege', 'stevns']);
    expect(body.partnerships[0].statementMonths).toEqual(['2024-01']);
  });

  it('a municipality user sees only its own municipality, from the token (not the URL)', async () => {
    const { body } = await call('/partnerships', tokens.koege);
    expect(body.partnerships.map((p: { partnership: string }) => p.partnership)).toEqual(['koege']);
    expect((await call('/partnerships/koege/statements/2024-01', tokens.koege)).status).toBe(200);
    expect((await call('/partnerships/koege/reports', tokens.koege)).status).toBe(200);
  });

  it("another municipality's partnership answers exactly like one that does not exist (404)", async () => {
    for (const path of ['/partnerships/stevns/statements', '/partnerships/stevns/statements/2024-01', '/partnerships/stevns/reports']) {
      const other = await call(path, tokens.koege);
      const missing = await call(path.replace('stevns', 'nowhere'), tokens.koege);
      expect(other.status, path).toBe(404);
      expect(missing.status).toBe(404);
      expect(other.body.message.replace('stevns', 'X')).toBe(missing.body.message.replace('nowhere', 'X'));
    }
    const scenario = await call('/partnerships/stevns/scenarios', tokens.koege, { method: 'POST', body: '{}' });
    expect(scenario.status).toBe(404);
  });

  it('the holder-only routes refuse municipality users with 403, even for their own partnership', async () => {
    expect((await call('/partnerships/koege/hours', tokens.koege)).status).toBe(403);
    const upload = await call('/partnerships/koege/uploads', tokens.koege, { method: 'POST', body: JSON.stringify({ month: '2024-02', source: 'x', format: 'csv' }) });
    expect(upload.status).toBe(403);
    expect(upload.body.message).toBe('only the project holder may do this');
    expect((await call('/partnerships/koege/hours', tokens.holder)).status).toBe(200);
  });

  it('a token without a role gets 403 with what to do', async () => {
    const roleless = await signToken(idTokenClaims(stack.endpoints, { sub: 'nobody', 'cognito:groups': [] }), await stackSigningKey(stack.endpoints));
    const { status, body } = await call('/partnerships', roleless);
    expect(status).toBe(403);
    expect(body.message).toContain('no role');
  });
});

describe('authentication (401)', () => {
  it('refuses a missing token', async () => {
    const { status, body } = await call('/partnerships');
    expect(status).toBe(401);
    expect(body.message).toContain('bearer token');
  });

  it('refuses an expired token', async () => {
    const expired = await signToken(holderClaims(), await stackSigningKey(stack.endpoints), { ttlSeconds: 60, now: Date.now() - 3600_000 });
    const { status, body } = await call('/partnerships', expired);
    expect(status).toBe(401);
    expect(body.message).toContain('expired');
  });

  it('refuses a forged token (signed with another key, or with the claims edited)', async () => {
    const forged = await signToken(holderClaims(), { ...(await foreignKey()), kid: (await stackSigningKey(stack.endpoints)).kid });
    expect((await call('/partnerships', forged)).status).toBe(401);
    const [header, , signature] = tokens.koege!.split('.');
    const edited = Buffer.from(JSON.stringify({ ...holderClaims(), exp: 9999999999 })).toString('base64url');
    const { status, body } = await call('/partnerships', `${header}.${edited}.${signature}`);
    expect(status).toBe(401);
    expect(body.message).toContain('signature');
    expect((await call('/partnerships', 'not-a-jwt')).status).toBe(401);
  });

  it('serves the OpenAPI document without a token', async () => {
    const { status, body } = await call('/openapi.json');
    expect(status).toBe(200);
    expect(body).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
  });
});

describe('what the routes return', () => {
  it('a statement as JSON, and as CSV with Accept: text/csv', async () => {
    const json = await call('/partnerships/koege/statements/2024-01', tokens.koege);
    // Issue 8 (spec 4, 8): outcomes carry a label and the weeks and hours that reached them.
    expect(json.body.outcomes).toEqual([{ participant: 'A', outcome: 'job_start', label: 'Første kvalificerende uge', week: '2024-W02', amount: 5000, evidence: [{ week: '2024-W02', hours: 12 }] }]);
    // Evidence (spec 8): what it was computed from, the report version counted by its key and sequencer.
    expect(json.body.manifest).toMatchObject({ seed: expect.any(Number), runs: expect.any(Number), codeVersion: expect.any(String), computedAt: expect.any(String) });
    expect(json.body.manifest.reports).toEqual([expect.objectContaining({ key: 'reports/koege/2024-01/actor.csv', sequencer: expect.stringMatching(/^[0-9A-F]{32}$/), acceptedRows: 3, rejectedRows: 0 })]);
    expect(json.body.manifest.contract).toMatchObject({ key: 'contracts/koege.json', sequencer: expect.stringMatching(/^[0-9A-F]{32}$/) });
    const csv = await call('/partnerships/koege/statements/2024-01', tokens.koege, { headers: { accept: 'text/csv' } });
    expect(csv.type).toContain('text/csv');
    expect(csv.body).toMatch(/^section,item,week,participant,amount\noutcome,job_start,2024-W02,A,5000.00\n/);
  });

  it('weekly hours with participants under the threshold in their last 2 weeks with data flagged', async () => {
    const { body } = await call('/partnerships/koege/hours?threshold=15', tokens.holder);
    expect(body.participants).toEqual([
      { participant: 'A', lastWeeks: [{ week: '2024-W02', activeHours: 12 }], belowThreshold: true },
      { participant: 'B', lastWeeks: [{ week: '2024-W02', activeHours: 4 }, { week: '2024-W03', activeHours: 5 }], belowThreshold: true },
    ]);
    const lower = await call('/partnerships/koege/hours?threshold=5', tokens.holder);
    expect(lower.body.participants.map((p: { belowThreshold: boolean }) => p.belowThreshold)).toEqual([false, false]);
    expect((await call('/partnerships/koege/hours?threshold=-1', tokens.holder)).status).toBe(400);
  });

  it('a presigned upload lands in the pipeline like any other upload', async () => {
    const { status, body } = await call('/partnerships/koege/uploads', tokens.holder, { method: 'POST', body: JSON.stringify({ month: '2024-02', source: 'web', format: 'csv' }) });
    expect(status).toBe(201);
    expect(body.key).toBe('reports/koege/2024-02/web.csv');
    const put = await fetch(body.url, { method: 'PUT', headers: body.headers, body: 'participant,date,hours,activity\nC,2024-02-05,3,training\nC,2024-02-06,x,training\n' });
    expect(put.status).toBe(200);
    await expect
      .poll(async () => (await call('/partnerships/koege/reports', tokens.holder)).body.reports.find((r: { key: string }) => r.key === body.key)?.reasons, { timeout: 20_000 })
      .toEqual(['line 3: column "hours": "x" is not a number of hours']);
  });

  it('a what-if scenario overrides parameters, and names invalid ones', async () => {
    const base = await call('/partnerships/koege/scenarios', tokens.koege, { method: 'POST', body: JSON.stringify({ runs: 20 }) });
    const richer = await call('/partnerships/koege/scenarios', tokens.koege, { method: 'POST', body: JSON.stringify({ runs: 20, set: { 'outcomes.job_start.price': 7000 } }) });
    expect(base.body.totals.outcomePayments).toBe(5000);
    expect(richer.body.totals.outcomePayments).toBe(7000);
    expect(richer.body.projection.runs).toBe(20);
    const bad = await call('/partnerships/koege/scenarios', tokens.koege, { method: 'POST', body: JSON.stringify({ set: { 'benefit.refusion.0.rate': 2 } }) });
    expect(bad.status).toBe(400);
    expect(bad.body.problems).toEqual(['benefit.refusion[0].rate: must be between 0 and 1']);
  });
});

describe('lists in pages, on the real stack (issue 14)', () => {
  type Listed = { partnership: string; latest: { month: string; net: number; projection: { net: { p50: number } } | null } | null };

  it('the partnerships a page at a time, searched without Danish letters, each with the headline the pipeline stored beside its newest statement', async () => {
    const first = await call('/partnerships?limit=1', tokens.holder);
    expect([first.body.partnerships.map((p: Listed) => p.partnership), first.body.total]).toEqual([['koege'], 2]);
    const [koege] = first.body.partnerships as Listed[];
    expect(koege!.latest!.month).toBe('2024-01');
    expect(typeof koege!.latest!.net).toBe('number');
    expect(typeof koege!.latest!.projection!.net.p50).toBe('number');
    const statement = (await call('/partnerships/koege/statements/2024-01', tokens.holder)).body;
    expect(koege!.latest!.net).toBe(statement.totals.net);
    const second = await call(`/partnerships?limit=1&cursor=${first.body.nextCursor}`, tokens.holder);
    expect([second.body.partnerships.map((p: Listed) => p.partnership), second.body.nextCursor]).toEqual([['stevns'], null]);
    expect((await call('/partnerships?q=koge', tokens.holder)).body.partnerships.map((p: Listed) => p.partnership)).toEqual(['koege']);
    const bad = await call('/partnerships?cursor=nope!', tokens.holder);
    expect([bad.status, bad.body.problems]).toEqual([400, [expect.stringMatching(/^cursor: /)]]);
  });

  it('weekly hours in the default window, and the reports of one month and source', async () => {
    const hours = (await call('/partnerships/koege/hours', tokens.holder)).body;
    // the 13 weeks up to the end of the newest month with a report (January's, or February's once a test above added one)
    expect([hours.available.from, hours.to, hours.nextCursor]).toEqual(['2024-W01', hours.available.to, null]);
    expect(['2024-W05', '2024-W09']).toContain(hours.to);
    const january = (hours.weeks as { participant: string; week: string }[]).filter((w) => w.week <= '2024-W05').map((w) => `${w.participant} ${w.week}`);
    expect(january.sort()).toEqual(['A 2024-W02', 'B 2024-W02', 'B 2024-W03']);
    const reports = (await call('/partnerships/koege/reports?month=2024-01&source=actor', tokens.holder)).body;
    expect(reports.reports.length).toBeGreaterThan(0);
    expect(reports.reports.every((r: { month: string; source: string }) => r.month === '2024-01' && r.source === 'actor')).toBe(true);
    expect([reports.inputs, reports.nextCursor]).toEqual([[], null]);
  });
});

describe('bad input is a 4xx with a message, never a 500 (issue 7)', () => {
  it('a malformed %-escape in the path is a 400', async () => {
    for (const path of ['/partnerships/%/statements', '/partnerships/koege/statements/20%zz', '/partnerships/k%C3%B/reports']) {
      const { status, body } = await call(path, tokens.holder);
      expect(status, path).toBe(400);
      expect(body.message).toBe('the path has a malformed %-escape');
    }
  });

  it('an as-of month outside 1970–2149 is a 400 saying which months are valid', async () => {
    for (const month of ['2150-01', '1969-12', '0000-01']) {
      const { status, body } = await call(`/partnerships/koege/statements/${month}`, tokens.koege);
      expect(status, month).toBe(400);
      expect(body.message).toBe('the month in the path must be a month YYYY-MM from 1970-01 to 2149-12');
    }
    const scenario = await call('/partnerships/koege/scenarios', tokens.koege, { method: 'POST', body: JSON.stringify({ asOf: '2150-01' }) });
    expect([scenario.status, scenario.body.problems]).toEqual([400, ['asOf: must be a month YYYY-MM from 1970-01 to 2149-12']]);
  });

  it('deeply nested JSON is a 400, and a body over 64 KiB a 413 (the server keeps none of it)', async () => {
    const deep = await call('/partnerships/koege/scenarios', tokens.koege, { method: 'POST', body: `{"set":${'['.repeat(10_000)}${']'.repeat(10_000)}}` });
    expect([deep.status, deep.body.message]).toEqual([400, 'the request body is nested more than 16 levels deep']);
    const huge = await call('/partnerships/koege/scenarios', tokens.koege, { method: 'POST', body: 'x'.repeat(50 * 1024 * 1024) });
    expect([huge.status, huge.body.message]).toEqual([413, 'the request body is larger than 64 KiB']);
  });

  it('unknown fields are named, and an upload source or path id that could be a CPR number is refused without repeating it', async () => {
    const unknown = await call('/partnerships/koege/scenarios', tokens.koege, { method: 'POST', body: JSON.stringify({ runs: 1, colour: 'blue' }) });
    expect([unknown.status, unknown.body.problems]).toEqual([400, ['body: unknown field "colour"']]);
    const source = await call('/partnerships/koege/uploads', tokens.holder, { method: 'POST', body: JSON.stringify({ month: '2024-02', source: '311299-7822', format: 'csv' }) });
    expect(source.status).toBe(400);
    expect(source.body.problems).toEqual(['source: must not contain 6 or more digits in a row, nor 9 or more split by dashes (it could be a CPR number)']);
    const id = await call('/partnerships/311299-7822/reports', tokens.holder);
    expect(id.status).toBe(400);
    expect(JSON.stringify([source.body, id.body])).not.toMatch(/311299|7822/);
  });

  it("the attacker's what-if (end 9999-12-31) is refused at once, and what-ifs may not rename the partnership", async () => {
    const started = Date.now();
    const far = await call('/partnerships/koege/scenarios', tokens.koege, { method: 'POST', body: JSON.stringify({ set: { end: '9999-12-31' } }) });
    expect(Date.now() - started).toBeLessThan(2000);
    expect([far.status, far.body.problems]).toEqual([400, ['end: must be a date between 1970-01-01 and 2149-12-31']]);
    const later = await call('/partnerships/koege/scenarios', tokens.koege, { method: 'POST', body: JSON.stringify({ set: { end: '2030-01-01' } }) });
    expect(later.body.problems).toEqual(["end: must be between 2019-01-01 and 2029-12-31 (the contract's dates ± 5 years)"]);
    const renamed = await call('/partnerships/koege/scenarios', tokens.koege, { method: 'POST', body: JSON.stringify({ set: { partnership: 'stevns' } }) });
    expect(renamed.status).toBe(400);
  });
});
