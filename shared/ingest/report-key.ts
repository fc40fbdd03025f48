import { formatOfName, type TimesheetFormat } from '../timesheets/read-timesheet.ts';
import { MONTH_LABEL } from '../weeks/iso-week.ts';

/** A report's identity (spec 2.2): uploading the same identity again is a correction. */
export interface ReportIdentity {
  partnership: string;
  month: string;
  source: string;
}

export const REPORTS_PREFIX = 'reports/';
const NAME = /^[^/#\u0000-\u001f]+$/;

/** Why a partnership or source name cannot be part of a key, or undefined when it can. */
export function nameProblem(what: string, name: string): string | undefined {
  if (!NAME.test(name) || name.trim() !== name) {
    return `${what} "${name}" must be non-empty, without "/", "#", control characters or surrounding spaces`;
  }
  return undefined;
}

/** `reports/P/YYYY-MM/S.csv|.xlsx`: where a report lives in the bucket. */
export function reportKey(identity: ReportIdentity, format: TimesheetFormat): string {
  for (const [what, name] of [['partnership', identity.partnership], ['source', identity.source]] as const) {
    const problem = nameProblem(what, name);
    if (problem) throw new Error(problem);
  }
  if (!MONTH_LABEL.test(identity.month)) throw new Error(`month "${identity.month}" is not YYYY-MM`);
  return `${REPORTS_PREFIX}${identity.partnership}/${identity.month}/${identity.source}.${format}`;
}

/** The identity and format of a report key, or undefined for keys that are not reports. */
export function parseReportKey(key: string): (ReportIdentity & { format: TimesheetFormat }) | undefined {
  const match = /^reports\/([^/]+)\/([^/]+)\/([^/]+)\.[^./]+$/.exec(key);
  const format = formatOfName(key);
  if (!match || !format) return undefined;
  const [, partnership, month, source] = match as unknown as [string, string, string, string];
  if (!MONTH_LABEL.test(month) || nameProblem('', partnership) || nameProblem('', source)) return undefined;
  return { partnership, month, source, format };
}

/**
 * S3 sequencers grow per key but vary in length: left-padded to one width they
 * compare as strings, in code and in DynamoDB condition expressions alike.
 */
export function normaliseSequencer(sequencer: string): string {
  if (!/^[0-9A-Fa-f]{1,32}$/.test(sequencer)) throw new Error(`"${sequencer}" is not an S3 sequencer`);
  return sequencer.toUpperCase().padStart(32, '0');
}
