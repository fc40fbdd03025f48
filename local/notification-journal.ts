import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Notification } from './s3-notifications.ts';

/**
 * The local stack's notification journal, in `<data>/notifications/`: S3 delivers
 * every notification at least once, so the local stack keeps each one on disk from
 * the moment the upload is answered until its function has handled it, and sends
 * what is left again after a crash.
 *
 * - `pending/<sequencer>.json`: not yet handled (route and notification);
 * - `failed/<sequencer>.json`: retries ran out; what AWS's failure queue would keep
 *   (the Lambda destination event, whose `requestPayload` is the notification);
 * - `last-sequencer`: the highest sequencer handed out, so sequencers never go back
 *   across restarts even when the clock does.
 *
 * Every file is written to a temporary name and renamed, so a crash leaves either
 * the whole file or none.
 */

/** One notification on its way to a function. */
export interface JournalEntry {
  /** Its (first record's) sequencer: the file name and the delivery order. */
  sequencer: string;
  /** The function it goes to, e.g. "ingest-report". */
  route: string;
  notification: S3Notification;
}

export interface NotificationJournal {
  /** The highest sequencer ever journaled, or undefined for a new journal. */
  readonly lastSequencer: string | undefined;
  /** Notifications not yet handled, in sequencer order (what to redeliver on start). */
  pending(): Promise<JournalEntry[]>;
  /** Keeps a notification before it is delivered. */
  add(entry: JournalEntry): Promise<void>;
  /** Forgets a handled notification. */
  done(sequencer: string): Promise<void>;
  /** Keeps the failure record of a notification whose retries ran out, and forgets it as pending. */
  failed(sequencer: string, record: unknown): Promise<void>;
}

const SUFFIX = '.json';
const TEMPORARY = '.tmp';

/** The sequencer at the head of a notification: what names its journal file. */
export function sequencerOf(notification: S3Notification): string {
  return notification.Records[0]!.s3.object.sequencer;
}

/** Opens (creating if needed) the journal in `dir`, dropping half-written temporary files. */
export async function openNotificationJournal(dir: string): Promise<NotificationJournal> {
  const pendingDir = join(dir, 'pending');
  const failedDir = join(dir, 'failed');
  const lastFile = join(dir, 'last-sequencer');
  await mkdir(pendingDir, { recursive: true });
  await mkdir(failedDir, { recursive: true });

  const names = async (folder: string) =>
    (await readdir(folder)).filter((name) => name.endsWith(SUFFIX) && !name.includes(TEMPORARY)).map((name) => name.slice(0, -SUFFIX.length));
  for (const folder of [dir, pendingDir, failedDir]) {
    const leftovers = (await readdir(folder)).filter((name) => name.includes(TEMPORARY));
    await Promise.all(leftovers.map((name) => rm(join(folder, name), { force: true })));
  }
  const written = await readFile(lastFile, 'utf8').then((text) => text.trim(), () => '');
  // The pending and failed files name sequencers too: a crash may come before last-sequencer is written.
  let last: string | undefined = [written, ...(await names(pendingDir)), ...(await names(failedDir))].filter(Boolean).sort().at(-1);

  let temporaries = 0;
  const writeAtomically = async (path: string, text: string) => {
    const temporary = `${path}${TEMPORARY}-${process.pid}-${temporaries++}`;
    await writeFile(temporary, text);
    await rename(temporary, path);
  };
  const pendingFile = (sequencer: string) => join(pendingDir, sequencer + SUFFIX);
  // One write of last-sequencer at a time, each writing the highest so far: a later one never loses to an earlier one.
  let lastWritten = Promise.resolve();

  return {
    get lastSequencer() {
      return last;
    },
    async pending() {
      const entries = await Promise.all((await names(pendingDir)).map(async (sequencer) => JSON.parse(await readFile(pendingFile(sequencer), 'utf8')) as JournalEntry));
      return entries.sort((a, b) => a.sequencer.localeCompare(b.sequencer));
    },
    async add(entry) {
      await writeAtomically(pendingFile(entry.sequencer), JSON.stringify(entry));
      if (last !== undefined && entry.sequencer <= last) return;
      last = entry.sequencer;
      const write = () => writeAtomically(lastFile, last + '\n');
      await (lastWritten = lastWritten.then(write, write));
    },
    async done(sequencer) {
      await rm(pendingFile(sequencer), { force: true });
    },
    async failed(sequencer, record) {
      await writeAtomically(join(failedDir, sequencer + SUFFIX), JSON.stringify(record, null, 2) + '\n');
      await rm(pendingFile(sequencer), { force: true });
    },
  };
}
