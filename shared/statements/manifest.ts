import type { ReportVersionStatus } from '../ingest/ports.ts';
import type { InputVersionRef, ManifestReport, StatementManifest } from '../partnerships/ports.ts';

/*
 * The evidence of spec 8: what a statement was computed from, so an auditor can
 * fetch every input version again and rerun it with the same seed and code.
 */

/** What a manifest names, before the moment and the code that computed it are added. */
export type ManifestInputs = Omit<StatementManifest, 'codeVersion' | 'computedAt'>;

/**
 * The report versions a statement as of `asOf` counts: the current version of
 * each report up to that month (a rejected or superseded version never counts),
 * by month and source.
 */
export function reportsCounted(statuses: readonly ReportVersionStatus[], asOf: string): ManifestReport[] {
  return statuses
    .filter((status) => status.current && status.month <= asOf)
    .map(({ key, versionId, sequencer, month, source, acceptedRows, rejectedRows }) => ({
      key,
      ...(versionId ? { versionId } : {}),
      sequencer,
      month,
      source,
      acceptedRows,
      rejectedRows,
    }))
    .sort((a, b) => a.month.localeCompare(b.month) || a.source.localeCompare(b.source));
}

/** The inputs part of a manifest: stable while no input changes, so it may enter the inputs hash. */
export function manifestInputs(
  versions: { contract?: InputVersionRef; roster?: InputVersionRef },
  statuses: readonly ReportVersionStatus[],
  asOf: string,
  run: { seed: number; runs: number },
): ManifestInputs {
  return {
    ...(versions.contract ? { contract: versions.contract } : {}),
    ...(versions.roster ? { roster: versions.roster } : {}),
    reports: reportsCounted(statuses, asOf),
    seed: run.seed,
    runs: run.runs,
  };
}
