import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeScenario } from '../../local/demo/scenario.ts';
import { recalculateAll } from '../../local/recalculate-all.ts';
import { createS3Client } from '../../shared/adapters/aws-clients.ts';
import { reportKey } from '../../shared/uploads/report-key.ts';
import { inputKey } from '../../shared/uploads/input-key.ts';
import { formatOfName } from '../../shared/timesheets/read-timesheet.ts';
import { MANIFEST_FILE } from '../../local/demo/scenario.ts';
import { endProgress, progressLine, UsageError, type Command, type Values } from '../command.ts';
import { LoadProgress } from '../load-progress.ts';
import { readScenarioManifest } from '../scenario-folder.ts';
import { DEFAULT_DATA_DIR, resolveTarget } from '../target.ts';
import { DEFAULT_WAIT_SECONDS, uploadFile } from '../uploads.ts';
import { DEFAULT_CONCURRENCY, DEFAULT_THREADS, defaultLogFile, formatLoadSummary, loadScenario, monthsBetween } from './load.ts';
import { runLocalStack, STACK_OPTIONS, STACK_USAGE } from './stack.ts';

const DEMO_SEED = 1;
const LOADED_MARKER = 'demo-loaded.json';
/** The national demo's own data folder, so its 98 partnerships never mix with the Sjælland demo's four. */
export const NATIONAL_DATA_DIR = join(DEFAULT_DATA_DIR, 'national');

/**
 * The national demo: the stack, and the national scenario (generated into the data
 * folder the first time) loaded through pbr load's code path; a later start finds
 * everything in the load's log and the statements current, and changes nothing.
 */
async function nationalDemo(values: Values): Promise<{ dataDir: string; api: string }> {
  const dataDir = (values.data as string | undefined) ?? NATIONAL_DATA_DIR;
  const { endpoints } = await runLocalStack({ ...values, data: dataDir });
  const scenario = join(dataDir, 'national-scenario');
  const generated = await readFile(join(scenario, MANIFEST_FILE), 'utf8').then(() => true, () => false);
  if (!generated) {
    process.stderr.write(`demo: generating the national scenario into ${scenario} (once)…\n`);
    await writeScenario(scenario, { seed: DEMO_SEED, scale: 'national' });
  }
  const target = await resolveTarget({ data: dataDir });
  const summary = await loadScenario(await readScenarioManifest(scenario), target, {
    concurrency: DEFAULT_CONCURRENCY,
    threads: DEFAULT_THREADS,
    logFile: defaultLogFile(dataDir, scenario, target),
    idleSeconds: DEFAULT_WAIT_SECONDS,
    progress: new LoadProgress('demo'),
  });
  process.stderr.write(formatLoadSummary(summary));
  return { dataDir, api: endpoints.api };
}

/** `pbr demo` (npm start): the local stack with the demo loaded. */
export const demo: Command = {
  usage: `
Usage: pbr demo [options]

Starts the local stack (see pbr stack) and, the first time, loads the demo
scenario modelled on Region Sjælland's programme (pbr generate --scale sjaelland):
contracts and rosters for Køge, Odsherred, Stevns and Holbæk, then every monthly
timesheet Feb 2019 - Sep 2022 in upload order (a correction and a few bad rows
included), all through S3 to the same handlers as in AWS; then the statements for
every month. Prints the portal's address and keeps running until Ctrl-C. Data
stays in the data folder: the next start skips the loading.
  --scale national   instead, the national scenario (pbr generate --scale national:
                     98 municipalities, 5,000 participants, ~10,600 timesheets),
                     generated once and loaded as pbr load does, with every month's
                     statements; data in ${NATIONAL_DATA_DIR} unless --data says otherwise
                     (npm start -- --scale national)
${STACK_USAGE}`,
  options: { ...STACK_OPTIONS, scale: { type: 'string' } },
  async run(values) {
    const scale = (values.scale as string | undefined) ?? 'sjaelland';
    if (scale !== 'sjaelland' && scale !== 'national') throw new UsageError(`--scale must be sjaelland or national, not "${scale}"`);
    if (scale === 'national') {
      const { dataDir, api } = await nationalDemo(values);
      process.stdout.write(`national demo loaded: open the portal at ${api}/\nother commands take --data ${dataDir}, e.g.\n  npx pbr statement --partnership m001 --month 2021-12 --format text --data ${dataDir}\nCtrl-C stops the stack; the data stays in ${dataDir}\n`);
      return new Promise<number>(() => {});
    }
    const stack = await runLocalStack(values);
    const dataDir = (values.data as string | undefined) ?? DEFAULT_DATA_DIR;
    const marker = join(dataDir, LOADED_MARKER);
    const alreadyLoaded = !values['in-memory'] && (await readFile(marker, 'utf8').then(() => true, () => false));
    if (alreadyLoaded) {
      process.stderr.write(`demo data already loaded in ${dataDir} (delete that folder to load it again)\n`);
    } else {
      const manifest = await writeScenario(join(dataDir, 'demo-scenario'), { seed: DEMO_SEED, scale: 'sjaelland' });
      const s3 = createS3Client();
      const { bucket } = stack.endpoints;
      for (const p of manifest.partnerships) {
        await uploadFile(s3, bucket, inputKey('contract', p.id), p.contractFile);
        await uploadFile(s3, bucket, inputKey('roster', p.id), p.rosterFile);
      }
      await stack.settled();
      for (const [i, t] of manifest.timesheets.entries()) {
        await uploadFile(s3, bucket, reportKey(t, formatOfName(t.file)!), t.file);
        if (i % 10 === 9) {
          await stack.settled();
          progressLine(`demo: ${i + 1}/${manifest.timesheets.length} timesheets ingested`);
        }
      }
      await stack.settled();
      endProgress();
      const months = monthsBetween(manifest.timesheets[0]!.month, manifest.timesheets.at(-1)!.month);
      for (const [i, month] of months.entries()) {
        progressLine(`demo: statements as of ${month} (${i + 1}/${months.length})`);
        const { failed } = await recalculateAll(month);
        if (failed.length > 0) process.stderr.write(`\nstatements failed for ${failed.join(', ')} as of ${month}\n`);
      }
      endProgress();
      await writeFile(marker, JSON.stringify({ seed: DEMO_SEED, loadedAt: new Date().toISOString() }) + '\n');
      process.stderr.write(`demo: ${manifest.partnerships.length} partnerships, ${manifest.participants} participants, ${manifest.timesheets.length} timesheets, statements for ${months.length} months\n`);
    }
    const { api } = stack.endpoints;
    process.stdout.write(
      [
        `demo loaded: open the portal at ${api}/`,
        'or, in another terminal:',
        '  npx pbr statement --partnership koege --month 2022-09 --format text',
        '  npx pbr export-hours --partnership holbaek',
        '  npx pbr reports --partnership odsherred',
        `  curl -H "Authorization: Bearer $(npx pbr token --role municipality --municipality Køge)" ${api}/partnerships`,
        `Ctrl-C stops the stack; the data stays in ${dataDir}`,
        '',
      ].join('\n'),
    );
    return new Promise<number>(() => {});
  },
};
