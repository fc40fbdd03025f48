import { z } from 'zod';
import { identifierProblem } from '../identifiers.ts';
import { quoteSafely } from '../cpr-numbers.ts';
import { ACTIVITIES } from '../weekly-hours/activities.ts';
import { MONTH_LABEL, monthRange } from '../weeks/iso-week.ts';

/*
 * The payment-by-results contract of one partnership (spec 4), validated with
 * messages that name the field, so nothing is ever computed from a bad contract.
 * Every number is finite and bounded (what-if scenarios come from API users), and
 * ids are identifiers that can never hold a CPR number (spec 2.4).
 */

/** Amounts in DKK: 10 billion is far above any partnership's budget. */
export const MAX_AMOUNT = 10_000_000_000;
/** Hours in a week. */
const MAX_WEEK_HOURS = 168;
/** Counts of weeks in a rule (10 years) and of weeks on benefit before referral (100 years). */
const MAX_RULE_WEEKS = 520;
const MAX_BENEFIT_WEEKS = 5200;
const MAX_TEXT = 200;

/** A date the week arithmetic supports (monthRange decides the years). */
function supportedDate(date: string): boolean {
  try {
    monthRange(date.slice(0, 7));
    return true;
  } catch {
    return false;
  }
}

const isoDate = z.iso
  .date({ error: 'must be a date YYYY-MM-DD', abort: true })
  .refine(supportedDate, { error: 'must be a date between 1970-01-01 and 2149-12-31' });
const amount = z
  .number({ error: 'must be a number' })
  .nonnegative({ error: 'must not be negative' })
  .max(MAX_AMOUNT, { error: `must be at most ${MAX_AMOUNT.toLocaleString('en')}` });
const weekHours = z
  .number({ error: 'must be a number' })
  .nonnegative({ error: 'must not be negative' })
  .max(MAX_WEEK_HOURS, { error: `must be at most ${MAX_WEEK_HOURS} (hours in a week)` });
const share = z.number({ error: 'must be a number' }).min(0, { error: 'must be between 0 and 1' }).max(1, { error: 'must be between 0 and 1' });
const wholeNumber = (min: number, max: number) =>
  z
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: min === 0 ? 'must not be negative' : `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });
const count = wholeNumber(1, MAX_RULE_WEEKS);
const text = z.string().min(1, { error: 'must not be empty' }).max(MAX_TEXT, { error: `must be at most ${MAX_TEXT} characters` });
const activity = z.enum(ACTIVITIES, { error: `must be one of ${ACTIVITIES.join(', ')}` });
const activities = z
  .array(activity)
  .min(1, { error: 'must name at least one activity' })
  .max(ACTIVITIES.length, { error: `must name at most ${ACTIVITIES.length} activities` });
/** Outcome ids appear on statements and in what-if paths: a name, never personal data. */
const outcomeId = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, { error: 'must be 1–64 letters, digits, "_" or "-", starting with a letter (e.g. job_start)', abort: true })
  .refine((id) => !/\d{6}/.test(id), { error: 'must not contain 6 or more digits in a row' });
/** A partnership id or report source (spec 2.4) as a zod field; the message never repeats the value. */
export const identifierField = (what: string) =>
  z.string().superRefine((value, context) => {
    const problem = identifierProblem(what, value);
    if (problem) context.addIssue({ code: 'custom', message: problem.slice(what.length + 1) });
  });

/** The name a statement shows for an outcome (spec 4); without it a Danish name for the rule. */
const label = text.optional();
const common = { id: outcomeId, label, price: amount };
const hoursRule = { activities, minHours: weekHours };

const outcome = z.discriminatedUnion(
  'rule',
  [
    z.object({ ...common, rule: z.literal('referral') }).strict(),
    z.object({ ...common, rule: z.literal('first_week'), ...hoursRule }).strict(),
    z.object({ ...common, rule: z.literal('cumulative_weeks'), ...hoursRule, weeks: count }).strict(),
    z.object({ ...common, rule: z.literal('periodic'), ...hoursRule, after: outcomeId, weeks: count, times: count }).strict(),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? 'unknown rule: use referral, first_week, cumulative_weeks or periodic' : undefined) },
);
export type Outcome = z.infer<typeof outcome>;

/** One instalment of the programme fee (spec 4): the month it is due and its amount. */
const feeInstalment = z
  .object({ month: z.string().regex(MONTH_LABEL, { error: 'must be a month YYYY-MM' }), amount })
  .strict();
/** Months of a fee schedule: one a month over the longest contract the dates allow, with room to spare. */
const MAX_INSTALMENTS = 2400;

const refusionStep = z.object({ fromWeek: wholeNumber(1, MAX_BENEFIT_WEEKS), rate: share }).strict();

const benefit = z
  .object({
    weeklyRate: amount,
    hourlyWage: amount,
    disregardPerHour: amount,
    educationOffBenefitHours: weekHours,
    priorWeeksOnBenefit: wholeNumber(0, MAX_BENEFIT_WEEKS),
    refusion: z.array(refusionStep).min(1, { error: 'needs at least one step' }).max(100, { error: 'at most 100 steps' }),
    municipalCostPerHour: z.partialRecord(activity, amount).default({}),
  })
  .strict();

export const contractSchema = z
  .object({
    partnership: identifierField('partnership'),
    name: text,
    municipality: text,
    start: isoDate,
    end: isoDate,
    programmeFee: amount,
    cap: amount,
    maxPerParticipant: amount,
    deadweight: share,
    feeSchedule: z.array(feeInstalment).max(MAX_INSTALMENTS, { error: `at most ${MAX_INSTALMENTS} instalments` }).optional(),
    outcomes: z.array(outcome).min(1, { error: 'needs at least one outcome' }).max(31, { error: 'at most 31 outcomes' }),
    benefit,
  })
  .strict();

export type Contract = z.infer<typeof contractSchema>;

/** A contract that failed validation: every problem as `field: reason`. */
export class ContractError extends Error {
  readonly problems: string[];
  constructor(source: string, problems: string[]) {
    super(`${source}: invalid contract\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('') || '(contract)';
}

type Loose = Record<string, unknown> & { outcomes?: Loose[]; benefit?: { refusion?: Loose[] }; feeSchedule?: Loose[] };

/**
 * Rules across fields, checked on the raw document so they are reported together
 * with the field errors (zod skips refinements of objects that have any).
 */
function crossFieldProblems(document: unknown): string[] {
  if (typeof document !== 'object' || document === null) return [];
  const c = document as Loose;
  const problems: string[] = [];
  const dates = isoDate.safeParse(c.start).success && isoDate.safeParse(c.end).success;
  if (dates && (c.end as string) < (c.start as string)) problems.push(`end: ${c.end} is before start ${c.start}`);
  const outcomes = Array.isArray(c.outcomes) ? c.outcomes : [];
  const ids = new Set<unknown>();
  outcomes.forEach((o, i) => {
    if (typeof o?.id !== 'string') return; // a missing id is a field error already
    if (ids.has(o.id)) problems.push(`outcomes[${i}].id: ${quoteSafely(o.id)} is used twice`);
    ids.add(o.id);
  });
  outcomes.forEach((o, i) => {
    if (o?.rule !== 'periodic' || typeof o.after !== 'string') return;
    const target = outcomes.find((other) => other?.id === o.after);
    if (!target) problems.push(`outcomes[${i}].after: names unknown outcome ${quoteSafely(o.after)}`);
    else if (target.rule === 'periodic') problems.push(`outcomes[${i}].after: ${quoteSafely(o.after)} is itself periodic; name a one-off outcome`);
  });
  const steps = Array.isArray(c.benefit?.refusion) ? c.benefit.refusion : [];
  if (steps.length > 0 && steps[0]?.fromWeek !== 1) problems.push('benefit.refusion[0].fromWeek: the first step must start at week 1');
  for (let i = 1; i < steps.length; i++) {
    const [before, step] = [steps[i - 1]?.fromWeek, steps[i]?.fromWeek];
    if (typeof before === 'number' && typeof step === 'number' && step <= before) {
      problems.push(`benefit.refusion[${i}].fromWeek: steps must be ascending: ${step} does not come after ${before}`);
    }
  }
  problems.push(...feeScheduleProblems(c, dates));
  return problems;
}

/**
 * The fee schedule (spec 4): each month once, inside the contract's months, and
 * the amounts summing to the programme fee to the øre. Malformed instalments are
 * field errors already and are skipped here.
 */
function feeScheduleProblems(c: Loose, dates: boolean): string[] {
  if (!Array.isArray(c.feeSchedule)) return [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  let totalOere = 0;
  c.feeSchedule.forEach((instalment, i) => {
    const month = instalment?.month;
    if (typeof instalment?.amount === 'number' && Number.isFinite(instalment.amount)) totalOere += Math.round(instalment.amount * 100);
    if (typeof month !== 'string' || !MONTH_LABEL.test(month)) return;
    const first = seen.get(month);
    if (first !== undefined) problems.push(`feeSchedule[${i}].month: ${month} is listed twice (first at feeSchedule[${first}])`);
    else seen.set(month, i);
    if (!dates) return;
    const [startMonth, endMonth] = [(c.start as string).slice(0, 7), (c.end as string).slice(0, 7)];
    if (month < startMonth || month > endMonth) problems.push(`feeSchedule[${i}].month: ${month} is outside the contract (${startMonth} – ${endMonth})`);
  });
  const fee = c.programmeFee;
  if (typeof fee === 'number' && Number.isFinite(fee) && totalOere !== Math.round(fee * 100)) {
    problems.push(`feeSchedule: the amounts sum to ${(totalOere / 100).toFixed(2)}, not the programme fee ${fee.toFixed(2)}`);
  }
  return problems;
}

/** Validates a parsed contract document; throws a ContractError naming each bad field. */
export function parseContract(document: unknown, source = 'contract'): Contract {
  const parsed = contractSchema.safeParse(document);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${fieldPath(issue.path)}: ${issue.message}`)),
    ...crossFieldProblems(document),
  ];
  if (problems.length > 0 || !parsed.success) throw new ContractError(source, problems);
  return parsed.data;
}

/** Parses contract JSON text (syntax errors become ContractErrors too). */
export function parseContractJson(text: string, source = 'contract'): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ContractError(source, [`not valid JSON (${(error as Error).message})`]);
  }
}
