import { join } from 'node:path';
import { MANIFEST_FILE, SCENARIO_SCALES, writeScenario, type ScenarioScale } from '../../local/demo/scenario.ts';
import { WORLD_SHAPES, type WorldShape } from '../../local/demo/worlds.ts';
import { endProgress, EXIT, progressLine, UsageError, type Command, wholeNumber } from '../command.ts';

export const DEFAULT_GENERATE_SEED = 1;
export const DEFAULT_SCALE: ScenarioScale = 'sjaelland';
export const DEFAULT_OUT = 'generated';
export const DEFAULT_SHAPE: WorldShape = 'steady';

const megabytes = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;

/** `pbr generate`: seeded scenario files for the demo, benchmarks and backtests. */
export const generate: Command = {
  usage: `
Usage: pbr generate [--seed N] [--scale sjaelland|national|world] [--shape SHAPE] [--out DIR]

Writes a scenario of partnerships into DIR: contracts/<id>.json,
rosters/<id>.csv, timesheets/<id>/<YYYY-MM>/<source>.csv|.xlsx and
manifest.json (every timesheet's partnership, month and source, in upload order).
The same seed (and shape) gives byte-identical files.
  --seed N     PRNG seed, 0 to 4294967295 (default ${DEFAULT_GENERATE_SEED})
  --scale      sjaelland (default): modelled on Region Sjælland's programme:
               Køge, Odsherred, Stevns (cluster 1) and Holbæk (cluster 2), 47
               participants referred 2019-2021, COVID pauses, Feb 2019 - Sep 2022;
               CSV and XLSX, a correction and a few rows rejected on purpose.
               national: 98 municipalities, 5,000 participants, 2019-2021, CSV
               only, for benchmarks and load tests.
               world: a test world for backtests: 3-5 partnerships of 15-120
               participants, ~3-year contracts in 2022-2026, CSV only; Christmas
               and summer breaks, ~26 weeks' training (18-34), internships of
               3-30 weeks, jobs lost and found again, education, dropouts, roster
               exits for those who left.
  --shape      the world's shape (--scale world only; default ${DEFAULT_SHAPE}):
               steady    referrals evenly over 18 months, a good labour market
               seasonal  front-loaded referrals, long holidays, hotels and cafés
                         closed every winter
               closures  two waves; a big employer closes for 3-5 months and
                         lays off half its staff; more jobs lost
               late      most referrals in the contract's second year, slow
                         careers, fewer jobs
  --out DIR    output directory (default ${DEFAULT_OUT}/); existing files are overwritten

CPR numbers in the data are invented. Upload a scenario in manifest order
(pbr upload FILE --partnership P --month M --source S) so corrections replace
earlier versions; a correction's first version is in <YYYY-MM>/first-version/.`,
  options: { seed: { type: 'string' }, scale: { type: 'string' }, shape: { type: 'string' }, out: { type: 'string' } },
  async run(values, positionals) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const seed = wholeNumber(values, 'seed', DEFAULT_GENERATE_SEED);
    if (seed > 0xffff_ffff) throw new UsageError(`--seed must be at most 4294967295, not ${seed}`);
    const scale = (values.scale as string | undefined) ?? DEFAULT_SCALE;
    if (!(SCENARIO_SCALES as readonly string[]).includes(scale)) throw new UsageError(`--scale must be ${SCENARIO_SCALES.join(', ')}, not "${scale}"`);
    const shapeText = values.shape as string | undefined;
    if (shapeText !== undefined && scale !== 'world') throw new UsageError('--shape is for --scale world only');
    if (shapeText !== undefined && !(WORLD_SHAPES as readonly string[]).includes(shapeText)) throw new UsageError(`--shape must be ${WORLD_SHAPES.join(', ')}, not "${shapeText}"`);
    const shape = scale === 'world' ? ((shapeText ?? DEFAULT_SHAPE) as WorldShape) : undefined;
    const out = (values.out as string | undefined) ?? DEFAULT_OUT;
    const started = performance.now();
    let manifest;
    try {
      manifest = await writeScenario(out, {
        seed,
        scale: scale as ScenarioScale,
        shape,
        onProgress: (p) => progressLine(`generating: ${p.partnershipsDone}/${p.partnerships} partnerships, ${p.files.toLocaleString('en')} files, ${p.rows.toLocaleString('en')} rows`),
      });
    } finally {
      endProgress();
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const ids = manifest.partnerships.map((p) => p.id);
    const xlsx = manifest.timesheets.filter((t) => t.file.endsWith('.xlsx')).length;
    const mistakes = manifest.timesheets.reduce((n, t) => n + t.mistakes.length, 0);
    const corrections = manifest.timesheets.filter((t) => t.correction).length;
    const extras = [xlsx > 0 ? `${xlsx} XLSX` : '', corrections > 0 ? `${corrections} correction${corrections > 1 ? 's' : ''}` : '', mistakes > 0 ? `${mistakes} rows to be rejected on purpose` : ''].filter(Boolean);
    process.stdout.write(
      [
        `generated the ${shape ? `${shape} world` : `${scale} scenario`} (seed ${seed}) in ${join(out, '.')}`,
        `  partnerships  ${ids.length} (${ids.length > 6 ? `${ids.slice(0, 3).join(', ')} … ${ids[ids.length - 1]}` : ids.join(', ')})`,
        `  participants  ${manifest.participants.toLocaleString('en')}`,
        `  timesheets    ${manifest.timesheets.length.toLocaleString('en')} files, ${manifest.rows.toLocaleString('en')} rows${extras.length > 0 ? ` (${extras.join(', ')})` : ''}`,
        `  size          ${megabytes(manifest.bytes)} in ${seconds} s`,
        `  manifest      ${join(out, MANIFEST_FILE)} (upload order)`,
        '',
      ].join('\n'),
    );
    return EXIT.ok;
  },
};
