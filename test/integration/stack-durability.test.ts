import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/aws-clients.ts';
import { DynamoHoursStore } from '../../shared/adapters/dynamodb-hours-store.ts';
import { isoWeekOf } from '../support/week-labels.ts';
import { activeCentiHours } from '../../shared/weekly-hours/weekly-hours.ts';
import { runPbr, startStackProcess, type StackProcess } from '../support/pbr-process.ts';

/*
 * S3 delivers every notification at least once; so must the local stack. A stack
 * killed with SIGKILL (with DynamoDB Local) in the middle of an ingest, started
 * again on the same data folder, finishes that ingest from its journal.
 */
const PARTNERSHIP = 'durable';
const MONTH = '2024-03';
/**
 * 1,000 participants × 10 rows on every weekday of March 2024: 210,000 rows, but
 * only 5,000 participant-weeks, since writing those to DynamoDB Local takes the time
 * (seconds), not reading rows.
 */
const PARTICIPANTS = 1_000;
const ROWS_PER_DAY = 10;

let dataDir: string;
let files: string;
let stack: StackProcess | undefined;

const weekdaysOfMonth = (): string[] =>
  Array.from({ length: 31 }, (_, i) => `${MONTH}-${String(i + 1).padStart(2, '0')}`).filter((day) => {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  });

/** Hours of each of participant i's rows: 0.25 to 2 h (at most 20 h a day), so a mix-up between participants shows. */
const hoursOf = (i: number) => ((i % 8) + 1) * 25;

/** Writes the timesheet; returns "participant,week" → expected active centi-hours. */
async function bigTimesheet(path: string): Promise<{ rows: number; expected: Map<string, number> }> {
  const days = weekdaysOfMonth();
  const lines = ['participant,date,hours,activity'];
  const expected = new Map<string, number>();
  for (let i = 0; i < PARTICIPANTS; i++) {
    const participant = `P-${String(i).padStart(5, '0')}`;
    for (const day of days) {
      for (let row = 0; row < ROWS_PER_DAY; row++) lines.push(`${participant},${day},${hoursOf(i) / 100},training`);
      const key = `${participant},${isoWeekOf(day)}`;
      expected.set(key, (expected.get(key) ?? 0) + ROWS_PER_DAY * hoursOf(i));
    }
  }
  await writeFile(path, lines.join('\n') + '\n');
  return { rows: lines.length - 1, expected };
}

const pendingFiles = async () => readdir(join(dataDir, 'notifications', 'pending')).catch(() => [] as string[]);

/** Polls `check` every 100 ms until it returns something; fails with `what` after `seconds`. */
async function eventually<T>(what: string, seconds: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const store = () => new DynamoHoursStore(createDocumentClient(), stack!.endpoints.table);
const statusOf = async (versionId: string) => (await store().reportStatuses(PARTNERSHIP)).find((status) => status.versionId === versionId);

/** True once the ingest has started writing hours items (it is under way, not finished). */
async function writingHours(): Promise<true | undefined> {
  const { Items } = await createDocumentClient().send(
    new QueryCommand({
      TableName: stack!.endpoints.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :hours)',
      ExpressionAttributeValues: { ':pk': `PARTNERSHIP#${PARTNERSHIP}`, ':hours': 'HOURS#' },
      Limit: 1,
    }),
  );
  return (Items ?? []).length > 0 ? true : undefined;
}

/** The version id `pbr upload` reports for its upload. */
const uploadedVersion = (stdout: string) => /^uploaded .* \(version ([^)]+)\)$/m.exec(stdout)?.[1];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pbr-durable-'));
  files = await mkdtemp(join(tmpdir(), 'pbr-durable-files-'));
  stack = await startStackProcess('stack', /^ready /m, dataDir);
});

afterAll(async () => {
  await stack?.stop();
  await rm(files, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

describe('the local stack delivers every notification at least once', () => {
  it('an ingest killed half-way (SIGKILL) completes after a restart on the same data folder', { timeout: 900_000 }, async () => {
    const path = join(files, 'bulk.csv');
    const { rows, expected } = await bigTimesheet(path);
    const uploaded = await runPbr(['upload', path, '--partnership', PARTNERSHIP, '--month', MONTH, '--source', 'bulk', '--no-wait', '--data', dataDir]);
    expect(uploaded.code, uploaded.stderr).toBe(0);
    const version = uploadedVersion(uploaded.stdout)!;
    expect(version).toBeDefined();
    // Journaled before the upload was answered.
    expect(await pendingFiles()).toHaveLength(1);

    await eventually('the ingest to start writing hours', 300, writingHours);
    expect(await statusOf(version), 'the ingest finished before the crash: make the file bigger').toBeUndefined();
    await stack!.crash();
    const left = await pendingFiles();
    expect(left).toHaveLength(1);

    stack = await startStackProcess('stack', /^ready /m, dataDir);
    // Accepted and current: reportStatuses reads versions and pointers in two queries, so a read during the commit may see the version before its pointer.
    const status = await eventually('the redelivered ingest, accepted and current', 600, async () => {
      const seen = await statusOf(version);
      return seen?.current ? seen : undefined;
    });
    expect(status).toMatchObject({ outcome: 'accepted', current: true, rows, acceptedRows: rows, rejectedRows: 0 });
    expect(stack.output()).toContain('redelivering notifications left pending');

    const stored = new Map((await store().weeklyHours(PARTNERSHIP)).map((week) => [`${week.participant},${week.week}`, activeCentiHours(week)]));
    expect(stored.size).toBe(expected.size);
    const differing = [...expected].filter(([key, centiHours]) => stored.get(key) !== centiHours);
    expect(differing.slice(0, 5)).toEqual([]);
    // Once handled, the notification leaves the journal (just after the status is stored).
    await eventually('the journal to empty', 60, async () => ((await pendingFiles()).length === 0 ? true : undefined));
    expect(existsSync(join(dataDir, 'notifications', 'failed', left[0]!))).toBe(false);
  });

  it('two quick uploads of the same key each wait for, and print, the status of their own version', { timeout: 300_000 }, async () => {
    const sheet = async (name: string, hours: number) => {
      const file = join(files, name);
      await writeFile(file, ['participant,date,hours,activity', `Q-1,${MONTH}-04,${hours},training`].join('\n') + '\n');
      return file;
    };
    const upload = async (file: string) => runPbr(['upload', file, '--partnership', PARTNERSHIP, '--month', MONTH, '--source', 'quick', '--wait', '240', '--data', dataDir]);
    const results = await Promise.all([upload(await sheet('first.csv', 3)), upload(await sheet('second.csv', 5))]);
    const versions = results.map((result) => {
      expect(result.code, result.stderr).toBe(0);
      const version = uploadedVersion(result.stdout)!;
      const statusLine = result.stdout.split('\n').find((line) => line.startsWith(`${MONTH} quick`));
      expect(statusLine).toContain(`version ${version} `);
      return version;
    });
    expect(new Set(versions).size).toBe(2);
  });
});
