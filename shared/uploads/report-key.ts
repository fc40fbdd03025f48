import { identifierProblem } from '../identifiers.ts';
import { formatOfName, TIMESHEET_FORMATS, type TimesheetFormat } from '../timesheets/read-timesheet.ts';
import { MONTH_LABEL } from '../weeks/iso-week.ts';

/** A report's identity (spec 2.2): uploading the same identity again is a correction. */
export interface ReportIdentity {
  partnership: string;
  month: string;
  source: string;
}

/** Where uploaded reports live in the bucket. */
export const REPORTS_PREFIX = 'reports/';
/** The S3 notification filters (prefix and suffix) that deliver every report, for the stack and the local stack alike. */
export const REPORT_FILTERS: { prefix: string; suffix: string }[] = TIMESHEET_FORMATS.map((format) => ({ prefix: REPORTS_PREFIX, suffix: `.${format}` }));
const REPORT_LAYOUT = 'a report must be stored as reports/PARTNERSHIP/YYYY-MM/SOURCE.csv or .xlsx';

/**
 * What a bucket key says: the value when it is valid, or why not. A problem never
 * quotes the key or its parts (they may hold a CPR number); `partnership` is set
 * when that part is a valid id, so the refusal can be listed with its partnership.
 */
export type KeyReading<T> = ({ ok: true } & T) | { ok: false; problem: string; partnership?: string };

/** `reports/P/YYYY-MM/S.csv|.xlsx`: where a report lives in the bucket; throws when an identifier is not valid (spec 2.4). */
export function reportKey(identity: ReportIdentity, format: TimesheetFormat): string {
  const problem = identifierProblem('partnership', identity.partnership) ?? identifierProblem('source', identity.source);
  if (problem) throw new Error(problem);
  if (!MONTH_LABEL.test(identity.month)) throw new Error('month must be YYYY-MM');
  return `${REPORTS_PREFIX}${identity.partnership}/${identity.month}/${identity.source}.${format}`;
}

/** The identity and format of a report key, or why it is not one. */
export function readReportKey(key: string): KeyReading<{ report: ReportIdentity; format: TimesheetFormat }> {
  if (!key.startsWith(REPORTS_PREFIX)) return { ok: false, problem: REPORT_LAYOUT };
  const parts = key.slice(REPORTS_PREFIX.length).split('/');
  const partnership = parts[0]!;
  const partnershipProblem = identifierProblem('partnership', partnership);
  if (partnershipProblem) return { ok: false, problem: partnershipProblem };
  const refuse = (problem: string) => ({ ok: false as const, problem, partnership });
  if (parts.length !== 3) return refuse(REPORT_LAYOUT);
  const [, month, file] = parts as [string, string, string];
  if (!MONTH_LABEL.test(month)) return refuse('the month folder must be YYYY-MM (month 01–12)');
  const format = formatOfName(file);
  if (!format) return refuse('only .csv and .xlsx timesheets are read');
  const source = file.slice(0, file.length - format.length - 1);
  const sourceProblem = identifierProblem('source', source);
  if (sourceProblem) return refuse(sourceProblem);
  return { ok: true, report: { partnership, month, source }, format };
}
