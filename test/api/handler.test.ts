import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

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
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
    const response = await handler({ rawPath: 3112997822, requestContext: {} }, {});
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body).message).toMatch(/^something went wrong on our side/);
    const logged = lines.map((line) => JSON.parse(line)).find((line) => line.message === 'API handler failed');
    expect(logged?.level).toBe('ERROR');
    expect(lines.join('')).not.toContain('3112997822');
  });
});
