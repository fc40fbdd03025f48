import fc from 'fast-check';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../shared/api/openapi.ts';
import { MAX_BODY_BYTES, MAX_JSON_DEPTH } from '../../shared/api/request.ts';
import { arbitraryCprWriting } from '../support/cpr-spellings.ts';
import { cprsIn } from '../support/leak-scan.ts';
import { pbrOn, smallContract, startStackProcess, type StackProcess } from '../support/pbr-process.ts';

/*
 * A property-based fuzz test of the HTTP API, driven by its OpenAPI document: for
 * every operation, random valid requests (values drawn from the documented
 * schemas) and invalid ones (junk and CPR-like ids, malformed %-escapes,
 * out-of-range months, deep, huge and non-JSON bodies, unknown fields, wrong
 * types), as the project holder, a municipality user or nobody, sent over HTTP to
 * the local API server on the real local stack. No answer may be a 5xx, every 4xx
 * is JSON with a message, and no answer repeats a CPR number sent to it.
 */
let stack: StackProcess;
const tokens: Record<string, string | undefined> = { nobody: undefined };
const RUNS_PER_OPERATION = 40;

const contract = smallContract;
const pbr = pbrOn(() => stack, 20);

/** A request part that may carry CPR numbers: what it says and the CPR numbers (10 digits) in it. */
interface Part<T> {
  value: T;
  cprs: string[];
}
const plain = <T>(value: T): Part<T> => ({ value, cprs: [] });

/** Text an attacker would send: CPR numbers in any spelling, random text, malformed escapes, too long ids, months out of range. */
const junk: fc.Arbitrary<Part<string> & { raw?: boolean }> = fc.oneof(
  arbitraryCprWriting.map(({ digits, written }) => ({ value: written, cprs: [digits] })),
  fc.string({ unit: 'grapheme', maxLength: 40 }).map(plain),
  fc.constantFrom('%', '%zz', 'k%C3%B', '%E0%A4%A', '%00', '%2F..%2F').map((value) => ({ value, cprs: [], raw: true })),
  fc.constantFrom('KOEGE', 'a'.repeat(64), '2150-01', '1969-12', '0000-00', '9999-12', '2024-13', '1e999', 'NaN', '-1', '169', 'null', '2024-W54').map(plain),
);

type Schema = { type?: string; pattern?: string; enum?: readonly unknown[]; const?: unknown; minimum?: number; maximum?: number; examples?: readonly unknown[]; properties?: Record<string, Schema>; required?: readonly string[]; propertyNames?: Schema; maxProperties?: number };

/** Random values valid for a (simple) JSON schema of the document, its examples among them. */
function valid(schema: Schema): fc.Arbitrary<unknown> {
  const examples = schema.examples?.length ? [fc.constantFrom(...schema.examples)] : [];
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  const generated = (() => {
    switch (schema.type) {
      case 'string':
        return schema.pattern ? fc.stringMatching(new RegExp(schema.pattern)) : fc.string();
      case 'integer':
        return fc.integer({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9 });
      case 'number':
        return fc.double({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9, noNaN: true });
      case 'object':
        if (schema.properties) {
          const keys = Object.fromEntries(Object.entries(schema.properties).map(([key, inner]) => [key, valid(inner)]));
          return fc.record(keys, { requiredKeys: [...(schema.required ?? [])] as never[] });
        }
        return fc.dictionary(valid(schema.propertyNames ?? { type: 'string' }) as fc.Arbitrary<string>, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  })();
  return examples.length ? fc.oneof(...examples, generated) : generated;
}

/** A body that is wrong: one of the documented fields replaced or added with junk, deep, huge or not JSON at all. */
function invalidBody(schema: Schema): fc.Arbitrary<Part<string>> {
  const fields = Object.keys(schema.properties ?? {});
  const withField = fc.tuple(valid(schema), fc.oneof(fc.constantFrom(...fields, 'colour', '__proto__'), junk.map((j) => j.value)), fc.oneof(junk, fc.jsonValue().map(plain)));
  return fc.oneof(
    withField.map(([body, key, value]) => ({ value: JSON.stringify({ ...(body as object), [key]: value.value }), cprs: value.cprs })),
    withField.map(([body, key, value]) => ({ value: JSON.stringify({ ...(body as object), set: { [key]: value.value } }), cprs: value.cprs })),
    junk.map(({ value, cprs }) => ({ value: JSON.stringify({ source: value, month: '2024-02', format: 'csv', set: { [value]: 1 } }), cprs })),
    fc.integer({ min: MAX_JSON_DEPTH + 1, max: 200_000 }).map((depth) => plain(`{"set":${'['.repeat(depth)}${']'.repeat(depth)}}`)),
    fc.integer({ min: MAX_BODY_BYTES + 1, max: 4 * MAX_BODY_BYTES }).map((size) => plain(JSON.stringify({ set: { name: 'x'.repeat(size) } }))),
    fc.string({ unit: 'grapheme', maxLength: 50 }).map(plain),
    fc.constantFrom('', 'null', '[]', '"x"', '{"runs":1e999}', '{"runs":-0.5}', '{"seed":4294967296}').map(plain),
  );
}

interface Operation {
  method: string;
  path: string;
  parameters: { name: string; in: 'path' | 'query'; schema: Schema }[];
  body?: Schema;
}
const operations: Operation[] = Object.entries(openApiDocument.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => {
    const op = operation as { parameters?: Operation['parameters']; requestBody?: { content: { 'application/json': { schema: Schema } } } };
    return { method: method.toUpperCase(), path, parameters: op.parameters ?? [], body: op.requestBody?.content['application/json'].schema };
  }),
);

interface FuzzRequest {
  role: string;
  path: string;
  body?: string;
  cprs: string[];
}

/** Valid or invalid requests for one operation. */
function requests(op: Operation): fc.Arbitrary<FuzzRequest> {
  const param = (schema: Schema, kind: 'path' | 'query') =>
    fc.oneof({ weight: 2, arbitrary: valid(schema).map((v) => ({ value: encodeURIComponent(String(v)), cprs: [] as string[] })) }, junk.map((j) => ({ value: j.raw ? j.value : encodeURIComponent(j.value), cprs: j.cprs })));
  const params = fc.tuple(...op.parameters.map((p) => param(p.schema, p.in)));
  const extraQuery = fc.option(junk.map((j) => ({ value: `${encodeURIComponent(j.value)}=1`, cprs: j.cprs })), { nil: undefined });
  const body = op.body ? fc.oneof(valid(op.body).map((b) => plain(JSON.stringify(b))), invalidBody(op.body)) : fc.constant(undefined);
  return fc.record({ role: fc.constantFrom('holder', 'koege', 'nobody'), params, extraQuery, body }).map(({ role, params, extraQuery, body }) => {
    let path = op.path;
    const query: string[] = [];
    op.parameters.forEach((p, i) => (p.in === 'path' ? (path = path.replace(`{${p.name}}`, params[i]!.value)) : query.push(`${p.name}=${params[i]!.value}`)));
    if (extraQuery) query.push(extraQuery.value);
    const cprs = [...params.flatMap((p) => p.cprs), ...(extraQuery?.cprs ?? []), ...(body?.cprs ?? [])];
    return { role, path: query.length ? `${path}?${query.join('&')}` : path, body: body?.value, cprs };
  });
}

async function send(method: string, request: FuzzRequest) {
  const token = tokens[request.role];
  const response = await fetch(`${stack.endpoints.api}${request.path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    body: request.body,
  });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

beforeAll(async () => {
  stack = await startStackProcess();
  const dir = await mkdtemp(join(tmpdir(), 'pbr-fuzz-'));
  for (const [id, municipality] of [['koege', 'Køge'], ['stevns', 'Stevns'], ['roskilde', 'Roskilde']] as const) {
    const file = join(dir, `${id}.json`);
    await writeFile(file, JSON.stringify(contract(id, municipality)));
    await pbr('upload-contract', file);
  }
  const hours = join(dir, 'koege-2024-01.csv');
  await writeFile(hours, 'participant,date,hours,activity\nA,2024-01-08,12,ordinary\nB,2024-01-09,4,training\n3112997822,2024-01-10,5,training\n');
  await pbr('upload', hours, '--partnership', 'koege', '--month', '2024-01', '--source', 'actor');
  // A big roster for the budget tests: 2,000 participants referred at the start.
  const roster = join(dir, 'roskilde-roster.csv');
  await writeFile(roster, `participant,partnership,referral_date\n${Array.from({ length: 2000 }, (_, i) => `R${i},roskilde,2024-01-01`).join('\n')}\n`);
  await pbr('upload-roster', roster, '--partnership', 'roskilde');
  await pbr('recalc', '--as-of', '2024-01');
  tokens.holder = await pbr('token', '--role', 'holder');
  tokens.koege = await pbr('token', '--role', 'municipality', '--municipality', 'Køge');
});

afterAll(async () => {
  await stack?.stop();
});

describe('the API never answers 5xx to any input, and never repeats a CPR number', () => {
  it.each(operations.map((op) => [`${op.method} ${op.path}`, op] as const))('%s', async (_, op) => {
    await fc.assert(
      fc.asyncProperty(requests(op), async (request) => {
        const { status, type, text } = await send(op.method, request);
        expect(status, text).toBeLessThan(500);
        if (status >= 400) {
          expect(type).toContain('application/json');
          expect(JSON.parse(text).message).toMatch(/\S/);
        }
        expect(cprsIn(text, request.cprs)).toEqual([]);
      }),
      { numRuns: RUNS_PER_OPERATION },
    );
  });

  it('the stack logged no unexpected error while being fuzzed', () => {
    expect(stack.output()).not.toMatch(/API (request|handler) failed|local API server failed/);
  });
});

describe('a what-if over the budget is refused at once, and cannot stall the others', () => {
  const scenario = (body: unknown) => send('POST', { role: 'holder', path: '/partnerships/roskilde/scenarios', body: JSON.stringify(body), cprs: [] });

  it('refuses the attacker’s what-if (end 9999-12-31) and one over the work budget quickly, with what to change', async () => {
    const far = await scenario({ set: { end: '9999-12-31' } });
    expect(far.status).toBe(400);
    const started = performance.now();
    const heavy = await scenario({ asOf: '2024-02', runs: 5000 });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(heavy.status).toBe(422);
    expect(JSON.parse(heavy.text).problems[0]).toMatch(/^runs: at most \d+ fit this scenario$/);
  });

  it('answers a normal request within the budget while the largest allowed what-if runs', async () => {
    const refused = JSON.parse((await scenario({ asOf: '2024-02', runs: 5000 })).text);
    const runs = Number(/at most (\d+)/.exec(refused.problems[0])![1]);
    const started = performance.now();
    const heavy = scenario({ asOf: '2024-02', runs });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const normal = await send('GET', { role: 'koege', path: '/partnerships/koege/statements/2024-01', cprs: [] });
    const waited = performance.now() - started;
    expect(normal.status).toBe(200);
    expect(waited).toBeLessThan(5000);
    const answer = await heavy;
    expect(answer.status, answer.text).toBe(200);
    expect(JSON.parse(answer.text).projection.runs).toBe(runs);
  });
});
