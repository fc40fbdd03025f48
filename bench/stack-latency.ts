/**
 * The ingest on the local stack, end to end: `pbr stack --in-memory` started as a user
 * starts it (free ports), a report put into its bucket, and the time until its weekly
 * hours can be read from the table: polling every 10 ms for the report's current
 * version, after which DynamoHoursStore.weeklyHours (what the API and `pbr export-hours`
 * read) is checked to hold every participant-week. Each upload goes to a partnership of its own, so "visible"
 * means: all of its participant-weeks are there. Then the table items of each
 * partnership are counted: hours items per participant-week touched, also after a
 * correction (the same report uploaded again, a new version).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PBR = fileURLToPath(new URL('../bin/pbr.js', import.meta.url));
const POLL_MS = 10;
const VISIBLE_WITHIN_MS = 60_000;

/** What the stack run measured. */
export interface StackMeasurement {
  /** Upload → all participant-weeks readable, per upload, in ms. */
  latencies: number[];
  participantWeeks: number;
  /** Items under HOURS# of each partnership after its first version, and after a correction. */
  hoursItems: number[];
  hoursItemsAfterCorrection: number;
  /** REPORT# (current pointer) and VERSION# (history) items after the correction. */
  statusItemsAfterCorrection: number;
}

/** Runs `uploads` uploads of `file` (a `month` report) against a fresh local stack, which it stops again. */
export async function measureStack(file: string, month: string, uploads: number, participantWeeks: number, pseudonymKey: string, log: (line: string) => void): Promise<StackMeasurement> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pbr-bench-stack-'));
  const child = spawn(process.execPath, [PBR, 'stack', '--in-memory', '--data', dataDir], {
    env: { ...process.env, PBR_PSEUDONYM_KEY: pseudonymKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk;
        if (/^ready /m.test(output)) resolve();
      });
      child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk).slice(-20_000)));
      child.on('exit', (code) => reject(new Error(`pbr stack exited (${code}) before ready:\n${output}`)));
    });
    log('  local stack ready');
    const endpoints = JSON.parse(await readFile(join(dataDir, 'stack.json'), 'utf8'));
    const { localEnvironment } = await import('../local/local-stack.ts');
    Object.assign(process.env, localEnvironment(endpoints));
    const [{ PutObjectCommand }, { createDocumentClient, createS3Client }, { DynamoHoursStore, partitionKey }, { queryAll }] = await Promise.all([
      import('@aws-sdk/client-s3'),
      import('../shared/adapters/aws-clients.ts'),
      import('../shared/adapters/dynamodb-hours-store.ts'),
      import('../shared/adapters/dynamodb-items.ts'),
    ]);
    const s3 = createS3Client();
    const documents = createDocumentClient();
    const store = new DynamoHoursStore(documents, endpoints.table);
    const body = await readFile(file);
    const upload = (partnership: string) =>
      s3.send(new PutObjectCommand({ Bucket: endpoints.bucket, Key: `reports/${partnership}/${month}/bench.csv`, Body: body }));
    const countItems = async (partnership: string, prefix: string) => (await queryAll(documents, endpoints.table, partitionKey(partnership), prefix, 'pk')).length;

    const latencies: number[] = [];
    const hoursItems: number[] = [];
    for (let run = 1; run <= uploads; run++) {
      const partnership = `bench-${run}`;
      const started = performance.now();
      await upload(partnership);
      // Readers count only the items of a report's current version, written before it
      // is made current: the hours are visible the moment the report has a current version.
      while ((await store.currentSequencer({ partnership, month, source: 'bench' })) === undefined) {
        if (performance.now() - started > VISIBLE_WITHIN_MS) throw new Error(`${partnership}: hours not visible after ${VISIBLE_WITHIN_MS} ms:\n${output.slice(-4000)}`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      latencies.push(performance.now() - started);
      const seen = (await store.weeklyHours(partnership)).length;
      if (seen !== participantWeeks) throw new Error(`${partnership}: ${seen} participant-weeks visible once current, ${participantWeeks} expected`);
      hoursItems.push(await countItems(partnership, 'HOURS#'));
      log(`  upload ${run}/${uploads}: weekly hours visible after ${latencies.at(-1)!.toFixed(0)} ms`);
    }

    // A correction: the same report again, a newer version; the older version's items go.
    const corrected = 'bench-1';
    const before = await store.currentSequencer({ partnership: corrected, month, source: 'bench' });
    await upload(corrected);
    const deadline = performance.now() + VISIBLE_WITHIN_MS;
    while ((await store.currentSequencer({ partnership: corrected, month, source: 'bench' })) === before) {
      if (performance.now() > deadline) throw new Error('the correction never became current');
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    let hoursItemsAfterCorrection = await countItems(corrected, 'HOURS#');
    // The stale items are deleted just after the commit: give that a moment.
    for (let wait = 0; hoursItemsAfterCorrection > participantWeeks && wait < 100; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      hoursItemsAfterCorrection = await countItems(corrected, 'HOURS#');
    }
    const statusItemsAfterCorrection = (await countItems(corrected, 'REPORT#')) + (await countItems(corrected, 'VERSION#'));
    return { latencies, participantWeeks, hoursItems, hoursItemsAfterCorrection, statusItemsAfterCorrection };
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  }
}
