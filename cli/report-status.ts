import type { ReportVersionStatus } from '../shared/ingest/ports.ts';

/** One line per version and one per reason: what `pbr reports` and `pbr upload` print. */
export function formatStatus(status: ReportVersionStatus, reasons: readonly string[] = status.reasons): string {
  const version = status.versionId ?? status.sequencer;
  const head = [
    `${status.month} ${status.source}`,
    status.outcome === 'accepted' && !status.current ? 'accepted, since replaced' : `${status.outcome}${status.current ? ' (current)' : ''}`,
    `version ${version}`,
    `at ${status.processedAt}`,
    `rows ${status.rows}, accepted ${status.acceptedRows}, rejected ${status.rejectedRows}`,
    ...(status.encoding ? [`read as ${status.encoding}`] : []),
  ].join('  ');
  return [head, ...reasons.map((reason) => `    ${reason}`)].join('\n');
}
