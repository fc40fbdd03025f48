import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handleApiRequest } from '../../shared/api/api.ts';
import { testContract } from '../simulation/builders.ts';
import { inMemoryApi } from './in-memory-api.ts';

/*
 * The Lambda handler's own guards, without AWS: none of these requests reaches a
 * store (the size limit, the path checks and the event shape come first).
 */
let handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;

beforeAll(async () => {
  process.env.TABLE_NAME ??= 'unused';
  process.env.BUCKET_NAME ??= 'unused';
  process.env.AWS_REGION ??= 'eu-north-1';
  handler = (await import('../../functions/api/handler.ts')).handler as never;
});

afterEach(() => vi.restoreAllMocks());

const event = (rawPath: string, extra: Record<string, unknown> = {}) => ({
  rawPath,
  rawQueryString: '',
  headers: {},
  isBase64Encoded: false,
  requestContext: { http: { method: 'POST' }, authorizer: { jwt: { claims: { sub: 'h', 'cognito:groups': '[holder]' } } } },
  ...extra,
});

describe('the API Lambda handler', () => {
  it('refuses a body over 64 KiB with 413, also when API Gateway hands it over base64-encoded', async () => {
    const body = Buffer.from('x'.repeat(64 * 1024 + 1)).toString('base64');
    const response = await handler(event('/partnerships/koege/scenarios', { body, isBase64Encoded: true }), {});
    expect([response.statusCode, JSON.parse(response.body).message]).toEqual([413, 'the request body is larger than 64 KiB']);
  });

  it('a malformed escape or a CPR-like id in the path is a 400 that does not repeat it', async () => {
    expect((await handler(event('/partnerships/%E0%A4%A/scenarios'), {})).statusCode).toBe(400);
    const cpr = await handler(event('/partnerships/3112997822/scenarios'), {});
    expect(cpr.statusCode).toBe(400);
    expect(cpr.body).not.toContain('3112997822');
  });

  it('an event of the wrong shape is a logged 500 with a generic message, not a Lambda error', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
    const response = await handler({ rawPath: 3112997822, requestContext: {} }, {});
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body).message).toMatch(/^something went wrong on our side/);
    const logged = lines.map((line) => JSON.parse(line)).find((line) => line.message === 'API handler failed');
    expect(logged?.level).toBe('ERROR');
    expect(lines.join('')).not.toContain('3112997822');
  });
});

describe('GET /partnerships/{id}/contract', () => {
  const contract = testContract((doc) => {
    Object.assign(doc, { feeSchedule: [{ month: '2024-01', amount: doc.programmeFee / 2 }, { month: '2024-07', amount: doc.programmeFee / 2 }] });
  });
  const { world, deps } = inMemoryApi(contract);
  const get = (id: string, claims: Record<string, unknown> | undefined) => handleApiRequest({ method: 'GET', path: `/partnerships/${id}/contract`, query: {}, headers: {}, claims }, deps);
  const holder = { sub: 'h', 'cognito:groups': ['holder'] };
  const municipality = (name: string) => ({ sub: 'm', 'cognito:groups': ['municipality'], 'custom:municipality': name });

  it('answers the holder and the own municipality (any spelling) with the contract in use and its version', async () => {
    for (const claims of [holder, municipality('Testby'), municipality('TESTBY')]) {
      const response = await get('test', claims);
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toEqual({ partnership: 'test', version: world.versions.contract, contract: JSON.parse(JSON.stringify(contract)) });
    }
  });

  it("answers another municipality 404 exactly like a partnership that does not exist, and no token 401", async () => {
    const other = await get('test', municipality('Roskilde'));
    const missing = await get('nosuch', holder);
    expect([other.status, missing.status]).toEqual([404, 404]);
    expect(JSON.parse(other.body).message.replace('test', 'X')).toBe(JSON.parse(missing.body).message.replace('nosuch', 'X'));
    expect((await get('test', undefined)).status).toBe(401);
  });

  it("refuses a Cognito access token with 401 (API Gateway's authorizer cannot tell it from an ID token), and takes ID tokens", async () => {
    expect((await get('test', { ...holder, token_use: 'access' })).status).toBe(401);
    expect((await get('test', { ...municipality('Testby'), token_use: 'access' })).status).toBe(401);
    expect((await get('test', { ...holder, token_use: 'id' })).status).toBe(200);
  });
});
