import { readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { StackEndpoints } from '../local/local-stack.ts';
import { signInLocally } from '../local/oidc-sign-in.ts';
import { stackFile } from '../cli/target.ts';

/*
 * A bounded load test of the HTTP API (issue 14): every municipality's users reading
 * their statements at once, on a running local stack that holds the national load
 * (`pbr stack --data DIR` + `pbr load`, or `npm start -- --scale national`). Each
 * municipality signs in through the stack's OpenID provider (a real RS256 ID token
 * for its own municipality), then CLIENTS clients per municipality send REQUESTS
 * requests in all: mostly one statement of a random month, sometimes the statement
 * list or the partnership list. Records p50/p90/p99/max latency and every non-2xx
 * as an error. Prints a Markdown table. Run by hand:
 *
 *   node bench/api-load-test.ts --data DIR [--clients 5] [--requests 20000]
 */

/** How many clients per municipality, and requests in all. */
export interface ApiLoadOptions {
  clients: number;
  requests: number;
}

/** Runs the load test against the stack at `endpoints`; returns its Markdown section and the number of errors. */
export async function apiLoadTest(endpoints: StackEndpoints, { clients: clientsPerMunicipality, requests: total }: ApiLoadOptions, command: string): Promise<{ markdown: string; errors: number }> {
  /** GET `path` with `token`: the parsed JSON body, or an error naming the status. */
  const getJson = async <T>(path: string, token: string): Promise<T> => {
    const response = await fetch(`${endpoints.api}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
    return (await response.json()) as T;
  };
  /** Every page of a listing that answers `{ …, nextCursor }` (null on the last page). */
  const allPages = async <T>(path: string, token: string, itemsOf: (page: Record<string, unknown>) => T[]): Promise<T[]> => {
    const items: T[] = [];
    let cursor: string | undefined;
    do {
      const page = await getJson<Record<string, unknown>>(`${path}${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`, token);
      items.push(...itemsOf(page));
      cursor = (page.nextCursor as string | null) ?? undefined;
    } while (cursor);
    return items;
  };

  // What there is to read: every partnership and its statement months (the holder sees them all).
  const holder = (await signInLocally(endpoints, 'holder')).id_token;
  const partnerships = await allPages<{ partnership: string; municipality: string }>('/partnerships', holder, (page) => page.partnerships as { partnership: string; municipality: string }[]);
  const months = new Map<string, string[]>();
  for (const { partnership } of partnerships) months.set(partnership, await allPages<string>(`/partnerships/${partnership}/statements`, holder, (page) => page.months as string[]));
  const byMunicipality = new Map<string, string[]>();
  for (const { partnership, municipality } of partnerships) byMunicipality.set(municipality, [...(byMunicipality.get(municipality) ?? []), partnership]);
  const users = await Promise.all([...byMunicipality].map(async ([municipality, ids]) => ({ municipality, ids, token: (await signInLocally(endpoints, 'municipality', municipality)).id_token })));

  const latencies: number[] = [];
  const errors = new Map<string, number>();
  let sent = 0;
  let seed = 12345;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  /** One client of one municipality: requests until the shared budget is spent. */
  const client = async (user: (typeof users)[number]) => {
    while (sent < total) {
      sent++;
      const id = pick(user.ids);
      const roll = random();
      const path = roll < 0.8 && (months.get(id)?.length ?? 0) > 0 ? `/partnerships/${id}/statements/${pick(months.get(id)!)}` : roll < 0.9 ? `/partnerships/${id}/statements` : '/partnerships';
      const started = performance.now();
      try {
        const response = await fetch(`${endpoints.api}${path}`, { headers: { authorization: `Bearer ${user.token}` } });
        await response.arrayBuffer();
        if (!response.ok) errors.set(String(response.status), (errors.get(String(response.status)) ?? 0) + 1);
      } catch (error) {
        errors.set((error as Error).message, (errors.get((error as Error).message) ?? 0) + 1);
      }
      latencies.push(performance.now() - started);
    }
  };

  const loadBefore = loadavg();
  const started = performance.now();
  await Promise.all(users.flatMap((user) => Array.from({ length: clientsPerMunicipality }, () => client(user))));
  const seconds = (performance.now() - started) / 1000;
  const loadAfter = loadavg();
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(0);
  const failed = [...errors.values()].reduce((a, b) => a + b, 0);
  const markdown = [
    `### API load test (${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores ${cpus()[0]?.model.trim()}, load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')})`,
    '',
    `\`${command}\`: ${users.length} municipalities × ${clientsPerMunicipality} clients = ${users.length * clientsPerMunicipality} at once, ${partnerships.length} partnerships, ${[...months.values()].reduce((n, m) => n + m.length, 0)} statements to read (80 % one statement, 10 % a statement list, 10 % the partnership list), each with its municipality's own ID token from the stack's OpenID provider.`,
    '',
    '| requests | errors | wall time | throughput | p50 | p90 | p99 | max |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${latencies.length.toLocaleString('en')} | ${failed}${failed > 0 ? ` (${[...errors].map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''} | ${seconds.toFixed(1)} s | ${(latencies.length / seconds).toFixed(0)} req/s | ${at(0.5)} ms | ${at(0.9)} ms | ${at(0.99)} ms | ${at(1)} ms |`,
    '',
  ].join('\n');
  return { markdown, errors: failed };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { data: { type: 'string' }, clients: { type: 'string' }, requests: { type: 'string' } } });
  const data = values.data ?? '.pbr';
  const options = { clients: Number(values.clients ?? 5), requests: Number(values.requests ?? 20000) };
  const endpoints = JSON.parse(await readFile(stackFile(data), 'utf8')) as StackEndpoints;
  const { markdown, errors } = await apiLoadTest(endpoints, options, `node bench/api-load-test.ts --data ${data} --clients ${options.clients} --requests ${options.requests}`);
  process.stdout.write(markdown);
  process.exit(errors > 0 ? 1 : 0);
}
