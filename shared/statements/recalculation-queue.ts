import { z } from 'zod';
import { FIRST_MONTH, type RecalculationTrigger } from '../uploads/recalculation-trigger.ts';
import { MONTH_LABEL } from '../weeks/iso-week.ts';

const month = z.string().regex(MONTH_LABEL, { error: 'must be YYYY-MM' });

/**
 * One queued recalculation of one partnership (the body of one SQS message):
 * `asOf` makes that month's statement exist (the monthly schedule, `pbr recalc`);
 * `from` recalculates every stored month from there on (an accepted input, spec 8).
 */
export const recalculationRequest = z
  .object({
    partnership: z.string().min(1),
    asOf: month.optional(),
    from: z.union([month, z.literal(FIRST_MONTH)]).optional(),
  })
  .refine((request) => request.asOf !== undefined || request.from !== undefined, { error: 'needs asOf or from' });
export type RecalculationRequest = z.infer<typeof recalculationRequest>;

/**
 * Where recalculation requests go: the SQS queue in AWS (whose messages reach the
 * recalculation function), the recalculation handler itself in the local stack.
 * Throws when a request could not be queued.
 */
export interface RecalculationQueue {
  enqueue(requests: readonly RecalculationRequest[]): Promise<void>;
}

/** SQS carries at most 10 messages per SendMessageBatch and per delivered batch; the local stack delivers alike. */
export const QUEUE_BATCH_SIZE = 10;

/** `items` in consecutive batches of QUEUE_BATCH_SIZE, in order. */
export function queueBatches<T>(items: readonly T[]): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += QUEUE_BATCH_SIZE) batches.push(items.slice(i, i + QUEUE_BATCH_SIZE));
  return batches;
}

/**
 * The monthly fan-out (EventBridge Scheduler in AWS, the in-process schedule and
 * `pbr recalc` locally): one request per known partnership, as of `asOf`.
 * Returns the requests, in the order they were queued.
 */
export async function queueRecalculations(
  asOf: string,
  deps: { partnerships: { partnerships(): Promise<{ partnership: string }[]> }; queue: RecalculationQueue },
): Promise<RecalculationRequest[]> {
  const requests = (await deps.partnerships.partnerships()).map(({ partnership }) => ({ partnership, asOf }));
  await deps.queue.enqueue(requests);
  return requests;
}

/** What one partnership's recalculation covers once the requests of a batch are merged. */
export interface RecalculationPlan {
  partnership: string;
  /** Every stored month from here on (`first`: all of them); none when only `asOf` months were asked for. */
  from?: string;
  /** Months whose statement must exist afterwards, ascending. */
  asOf: string[];
}

/** The earlier of two `from` values (`first` before any month). */
function earlierFrom(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  if (a === FIRST_MONTH || b === FIRST_MONTH) return FIRST_MONTH;
  return a < b ? a : b;
}

/**
 * Merges requests per partnership (the earliest `from`, every `asOf`), so a burst
 * of uploads delivered in one batch costs one recalculation per partnership.
 * Plans come in the order each partnership first appears.
 */
export function coalesceRequests(requests: readonly RecalculationRequest[]): RecalculationPlan[] {
  const plans = new Map<string, RecalculationPlan>();
  for (const { partnership, asOf, from } of requests) {
    const plan = plans.get(partnership) ?? { partnership, asOf: [] };
    plan.from = earlierFrom(plan.from, from);
    if (asOf !== undefined && !plan.asOf.includes(asOf)) plan.asOf = [...plan.asOf, asOf].sort();
    if (plan.from === undefined) delete plan.from;
    plans.set(partnership, plan);
  }
  return [...plans.values()];
}

/** The trigger that accepted inputs announce through: one request on `queue` per accepted version. */
export function queueTrigger(queue: RecalculationQueue): RecalculationTrigger {
  return { recalculateFrom: (partnership, from) => queue.enqueue([{ partnership, from }]) };
}
