import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createNotificationDelivery, type LocalHandler, type NotificationRoute } from '../../local/notification-delivery.ts';
import { ASYNC_RETRY_ATTEMPTS } from '../../shared/uploads/notice.ts';
import { openNotificationJournal, sequencerOf, type JournalEntry } from '../../local/notification-journal.ts';
import { createNotificationShaper, type S3Notification } from '../../local/s3-notifications.ts';
import { REPORT_FILTERS } from '../../shared/uploads/report-key.ts';

const shape = createNotificationShaper('eu-north-1');
const notification = (key = 'reports/p/2024-03/a.csv'): S3Notification =>
  shape({ Records: [{ eventName: 'ObjectCreated:Put', eventTime: '2024-03-01T00:00:00.000Z', s3: { bucket: { name: 'b' }, object: { key, size: 1 } } }] }, REPORT_FILTERS)!;
const entry = (n: S3Notification, route = 'ingest-report'): JournalEntry => ({ sequencer: sequencerOf(n), route, notification: n });

const folders: string[] = [];
const folder = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pbr-journal-'));
  folders.push(dir);
  return dir;
};
afterAll(() => Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true }))));
const files = async (dir: string, sub: string) => (await readdir(join(dir, sub))).sort();
const silent = () => {};

/** A route whose handler records the keys it is given and then behaves as `behave` says. */
function recordingRoute(behave: (key: string) => Promise<unknown> = async () => undefined, onFailure?: LocalHandler) {
  const delivered: string[] = [];
  const route: NotificationRoute = {
    name: 'ingest-report',
    handler: async (event) => {
      const key = (event as S3Notification).Records[0]!.s3.object.key;
      delivered.push(key);
      return behave(key);
    },
    onFailure,
  };
  return { route, delivered };
}

describe('the notification journal', () => {
  it('writes the notification before it is delivered and removes it once handled', async () => {
    const dir = await folder();
    const journal = await openNotificationJournal(dir);
    const n = notification();
    let pendingDuringDelivery = false;
    const { route } = recordingRoute(async () => (pendingDuringDelivery = existsSync(join(dir, 'pending', `${sequencerOf(n)}.json`))));
    const delivery = await createNotificationDelivery({ region: 'eu-north-1', journal, routes: Promise.resolve([route]), log: silent });
    await delivery.accept('ingest-report', n);
    expect(await files(dir, 'pending')).toEqual([`${sequencerOf(n)}.json`]);
    await delivery.settled();
    expect(pendingDuringDelivery).toBe(true);
    expect(await files(dir, 'pending')).toEqual([]);
    expect(await files(dir, 'failed')).toEqual([]);
  });

  it('on start, delivers what an earlier run left pending, in sequencer order, before any new notification', async () => {
    const dir = await folder();
    const earlier = await openNotificationJournal(dir);
    const left = ['a', 'b', 'c', 'd'].map((name) => notification(`reports/p/2024-03/${name}.csv`));
    for (const n of [left[2]!, left[0]!, left[3]!, left[1]!]) await earlier.add(entry(n)); // journaled, never delivered: a crash

    const { route, delivered } = recordingRoute();
    let loadRoutes!: (routes: NotificationRoute[]) => void;
    const delivery = await createNotificationDelivery({ region: 'eu-north-1', journal: await openNotificationJournal(dir), routes: new Promise((resolve) => (loadRoutes = resolve)), log: silent });
    await delivery.accept('ingest-report', notification('reports/p/2024-03/new.csv')); // arrives before the handlers are loaded
    loadRoutes([route]);
    await delivery.settled();
    expect(delivered).toEqual(['a', 'b', 'c', 'd', 'new'].map((name) => `reports/p/2024-03/${name}.csv`));
    expect(await files(dir, 'pending')).toEqual([]);
  });

  it('keeps exactly the notifications not yet handled, and never forgets the highest sequencer', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }), async (handled) => {
        const dir = await folder();
        const journal = await openNotificationJournal(dir);
        const entries = handled.map(() => entry(notification()));
        await Promise.all(entries.map((e) => journal.add(e)));
        await Promise.all(entries.filter((_, i) => handled[i]).map((e) => journal.done(e.sequencer)));
        const reopened = await openNotificationJournal(dir);
        expect((await reopened.pending()).map((e) => e.sequencer)).toEqual(entries.filter((_, i) => !handled[i]).map((e) => e.sequencer).sort());
        expect(reopened.lastSequencer).toBe(entries.map((e) => e.sequencer).sort().at(-1));
        // A stack started on this journal hands out sequencers after every one it has seen.
        const next = sequencerOf(createNotificationShaper('eu-north-1', reopened.lastSequencer)({ Records: [{ eventName: 'ObjectCreated:Put', eventTime: '', s3: { bucket: { name: 'b' }, object: { key: 'reports/p/2024-03/z.csv' } } }] }, REPORT_FILTERS)!);
        expect(next > reopened.lastSequencer!).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('drops half-written temporary files when it opens', async () => {
    const dir = await folder();
    const journal = await openNotificationJournal(dir);
    const kept = entry(notification());
    await journal.add(kept);
    await writeFile(join(dir, 'pending', `${kept.sequencer}.json.tmp-1-0`), '{"half');
    const reopened = await openNotificationJournal(dir);
    expect((await reopened.pending()).map((e) => e.sequencer)).toEqual([kept.sequencer]);
    expect(await files(dir, 'pending')).toEqual([`${kept.sequencer}.json`]);
  });
});

describe('delivery retries and the failure destination', () => {
  it('after the retries, hands the Lambda destination event to onFailure and keeps it in failed/', async () => {
    const dir = await folder();
    const received: unknown[] = [];
    const { route, delivered } = recordingRoute(
      () => Promise.reject(new TypeError('boom')),
      async (event) => void received.push(event),
    );
    const delivery = await createNotificationDelivery({ region: 'eu-north-1', journal: await openNotificationJournal(dir), routes: Promise.resolve([route]), log: silent });
    const n = notification();
    await delivery.accept('ingest-report', n);
    await delivery.settled();
    expect(delivered).toHaveLength(1 + ASYNC_RETRY_ATTEMPTS);
    expect(received).toEqual([
      expect.objectContaining({
        requestContext: expect.objectContaining({ condition: 'RetriesExhausted', approximateInvokeCount: 1 + ASYNC_RETRY_ATTEMPTS, functionArn: expect.stringContaining(':function:ingest-report') }),
        requestPayload: n,
        responsePayload: { errorType: 'TypeError', errorMessage: 'boom' },
      }),
    ]);
    expect(await files(dir, 'pending')).toEqual([]);
    expect(JSON.parse(await readFile(join(dir, 'failed', `${sequencerOf(n)}.json`), 'utf8'))).toEqual(JSON.parse(JSON.stringify(received[0])));
  });

  it('keeps the failed event even when the failure handler fails too, and goes on with the next notification', async () => {
    const dir = await folder();
    let failureCalls = 0;
    const { route, delivered } = recordingRoute(
      async (key) => {
        if (key.endsWith('bad.csv')) throw new Error('boom');
      },
      async () => {
        failureCalls++;
        throw new Error('no table');
      },
    );
    const delivery = await createNotificationDelivery({ region: 'eu-north-1', journal: await openNotificationJournal(dir), routes: Promise.resolve([route]), log: silent });
    const bad = notification('reports/p/2024-03/bad.csv');
    await delivery.accept('ingest-report', bad);
    await delivery.accept('ingest-report', notification('reports/p/2024-03/good.csv'));
    await delivery.settled();
    expect(failureCalls).toBe(1 + ASYNC_RETRY_ATTEMPTS);
    expect(delivered.at(-1)).toBe('reports/p/2024-03/good.csv');
    expect(await files(dir, 'failed')).toEqual([`${sequencerOf(bad)}.json`]);
    expect(await files(dir, 'pending')).toEqual([]);
  });

  it('leaves a notification pending, not failed, when the stack stops while it is delivered', async () => {
    const dir = await folder();
    let fail!: (error: Error) => void;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let failureCalls = 0;
    const { route, delivered } = recordingRoute(
      () => {
        started();
        return new Promise((_, reject) => (fail = reject));
      },
      async () => void failureCalls++,
    );
    const delivery = await createNotificationDelivery({ region: 'eu-north-1', journal: await openNotificationJournal(dir), routes: Promise.resolve([route]), log: silent });
    const n = notification();
    await delivery.accept('ingest-report', n);
    await running;
    delivery.stop();
    fail(new Error('connection refused')); // what a handler sees once DynamoDB Local is gone
    await delivery.settled();
    expect(delivered).toHaveLength(1);
    expect(failureCalls).toBe(0);
    expect(await files(dir, 'pending')).toEqual([`${sequencerOf(n)}.json`]);
    expect(await files(dir, 'failed')).toEqual([]);
  });

  it('without a journal (an in-memory stack) delivers and retries all the same', async () => {
    let calls = 0;
    const { route, delivered } = recordingRoute(async () => {
      if (++calls === 1) throw new Error('once');
    });
    const delivery = await createNotificationDelivery({ region: 'eu-north-1', routes: Promise.resolve([route]), log: silent });
    await delivery.accept('ingest-report', notification());
    await delivery.settled();
    expect(delivered).toHaveLength(2);
  });
});
