import { z } from 'zod';
import { ACTIVITIES } from '../timesheets/vocabulary.ts';

/*
 * The payment-by-results contract of one partnership (spec 4), validated with
 * messages that name the field, so nothing is ever computed from a bad contract.
 */

const isoDate = z.iso.date({ error: 'must be a date YYYY-MM-DD' });
const amount = z.number({ error: 'must be a number' }).nonnegative({ error: 'must not be negative' });
const share = z.number({ error: 'must be a number' }).min(0, { error: 'must be between 0 and 1' }).max(1, { error: 'must be between 0 and 1' });
const count = z.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).positive({ error: 'must be at least 1' });
const activity = z.enum(ACTIVITIES, { error: `must be one of ${ACTIVITIES.join(', ')}` });
const activities = z.array(activity).min(1, { error: 'must name at least one activity' });

const common = { id: z.string().min(1, { error: 'must not be empty' }), price: amount };
const hoursRule = { activities, minHours: amount };

const outcome = z.discriminatedUnion(
  'rule',
  [
    z.object({ ...common, rule: z.literal('referral') }).strict(),
    z.object({ ...common, rule: z.literal('first_week'), ...hoursRule }).strict(),
    z.object({ ...common, rule: z.literal('cumulative_weeks'), ...hoursRule, weeks: count }).strict(),
    z.object({ ...common, rule: z.literal('periodic'), ...hoursRule, after: z.string().min(1), weeks: count, times: count }).strict(),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? 'unknown rule: use referral, first_week, cumulative_weeks or periodic' : undefined) },
);
export type Outcome = z.infer<typeof outcome>;

const refusionStep = z.object({ fromWeek: count, rate: share }).strict();

const benefit = z
  .object({
    weeklyRate: amount,
    hourlyWage: amount,
    disregardPerHour: amount,
    educationOffBenefitHours: amount,
    priorWeeksOnBenefit: z.number().int({ error: 'must be a whole number' }).nonnegative({ error: 'must not be negative' }),
    refusion: z.array(refusionStep).min(1, { error: 'needs at least one step' }),
    municipalCostPerHour: z.partialRecord(activity, amount).default({}),
  })
  .strict();

export const contractSchema = z
  .object({
    partnership: z.string().min(1, { error: 'must not be empty' }),
    name: z.string().min(1, { error: 'must not be empty' }),
    municipality: z.string().min(1, { error: 'must not be empty' }),
    start: isoDate,
    end: isoDate,
    programmeFee: amount,
    cap: amount,
    maxPerParticipant: amount,
    deadweight: share,
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

type Loose = Record<string, unknown> & { outcomes?: Loose[]; benefit?: { refusion?: Loose[] } };

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
    if (ids.has(o.id)) problems.push(`outcomes[${i}].id: "${o.id}" is used twice`);
    ids.add(o.id);
  });
  outcomes.forEach((o, i) => {
    if (o?.rule !== 'periodic' || typeof o.after !== 'string') return;
    const target = outcomes.find((other) => other?.id === o.after);
    if (!target) problems.push(`outcomes[${i}].after: names unknown outcome "${o.after}"`);
    else if (target.rule === 'periodic') problems.push(`outcomes[${i}].after: "${o.after}" is itself periodic; name a one-off outcome`);
  });
  const steps = Array.isArray(c.benefit?.refusion) ? c.benefit.refusion : [];
  if (steps.length > 0 && steps[0]?.fromWeek !== 1) problems.push('benefit.refusion[0].fromWeek: the first step must start at week 1');
  for (let i = 1; i < steps.length; i++) {
    const [before, step] = [steps[i - 1]?.fromWeek, steps[i]?.fromWeek];
    if (typeof before === 'number' && typeof step === 'number' && step <= before) {
      problems.push(`benefit.refusion[${i}].fromWeek: steps must be ascending: ${step} does not come after ${before}`);
    }
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

/**
 * What-if scenarios: `path=value` overrides applied to the contract document
 * before validation, so an override can never produce an unvalidated contract.
 * Paths are dotted; an outcome is named by its id (`outcomes.job_start.price=20000`)
 * or index; values are JSON when they parse as JSON, else strings.
 */
export function applyOverrides(document: unknown, overrides: readonly string[]): unknown {
  const copy = structuredClone(document) as Record<string, unknown>;
  for (const override of overrides) {
    const eq = override.indexOf('=');
    if (eq <= 0) throw new ContractError('--set', [`"${override}" is not path=value`]);
    const path = override.slice(0, eq).split('.');
    const text = override.slice(eq + 1);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = text;
    }
    let node: unknown = copy;
    for (let i = 0; i < path.length; i++) {
      const part = path[i]!;
      const container = node as Record<string, unknown> | unknown[];
      const key = Array.isArray(container)
        ? /^\d+$/.test(part) ? Number(part) : container.findIndex((item) => (item as { id?: string })?.id === part)
        : part;
      const last = i === path.length - 1;
      const isObject = typeof node === 'object' && node !== null;
      // New keys are allowed at the end (e.g. a cost per hour); strict validation catches typos.
      const exists = isObject && (Array.isArray(container) ? key !== -1 && (key as number) < container.length : last || Object.hasOwn(container, key));
      if (!exists) throw new ContractError('--set', [`${path.slice(0, i + 1).join('.')}: no such parameter in the contract`]);
      if (last) (container as Record<string | number, unknown>)[key as string | number] = value;
      else node = (container as Record<string | number, unknown>)[key as string | number];
    }
  }
  return copy;
}
