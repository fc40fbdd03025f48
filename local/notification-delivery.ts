import { randomUUID } from 'node:crypto';
import type { JournalEntry, NotificationJournal } from './notification-journal.ts';
import { sequencerOf } from './notification-journal.ts';
import type { S3Notification } from './s3-notifications.ts';
import { ASYNC_RETRY_ATTEMPTS } from '../shared/uploads/notice.ts';

/** A Lambda handler as the local stack calls it. */
export type LocalHandler = (event: unknown, context: never) => Promise<unknown>;

/** A function that S3 notifications go to, as the CDK stack wires it. */
export interface NotificationRoute {
  /** The function's name, e.g. "ingest-report"; journaled with each notification. */
  name: string;
  handler: LocalHandler;
  /** The function's onFailure destination: gets the Lambda destination event once retries ran out. */
  onFailure?: LocalHandler;
}

/** The event a Lambda onFailure destination receives when an asynchronous invocation's retries ran out. */
export function destinationEvent(region: string, functionName: string, notification: S3Notification, error: unknown, invocations: number) {
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  return {
    version: '1.0',
    timestamp: new Date().toISOString(),
    requestContext: {
      requestId: randomUUID(),
      functionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}:$LATEST`,
      condition: 'RetriesExhausted',
      approximateInvokeCount: invocations,
    },
    requestPayload: notification,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: name, errorMessage: message },
  };
}

export interface NotificationDeliveryOptions {
  region: string;
  /** Keeps notifications until handled (a stack with a data folder); none: in memory only. */
  journal?: NotificationJournal;
  /** The functions, known once the stack's endpoints are (their clients read the environment). */
  routes: Promise<NotificationRoute[]>;
  log: (line: string) => void;
  /** Invocations at once (default DEFAULT_DELIVERY_CONCURRENCY); versions of one key are always delivered one at a time, in order. */
  concurrency?: number;
}

/**
 * Invocations the local stack runs at once, as Lambda runs several side by side:
 * DynamoDB Local answers on the other core meanwhile, so a bulk load does not
 * wait for each round trip in turn.
 */
export const DEFAULT_DELIVERY_CONCURRENCY = 4;

export interface NotificationDelivery {
  /** Journals a notification for `route` and queues it; resolves once it is journaled. */
  accept(route: string, notification: S3Notification): Promise<void>;
  /** Queues other work (the monthly recalculation, recalculation batches): it starts after the notifications so far have started. */
  enqueue(task: () => Promise<unknown>): void;
  /** Resolves when everything queued so far, and anything queued meanwhile, is done. */
  settled(): Promise<void>;
  /** True when nothing is queued or running now. */
  idle(): boolean;
  /** Delivers nothing more: what is in flight or queued stays pending for the next start. */
  stop(): void;
}

/**
 * Delivers notifications in order, a few at a time (those of one key one at a
 * time), each retried like an asynchronous Lambda invocation and then handed to the
 * route's onFailure destination. With a journal, the notifications left pending by an
 * earlier run are delivered first, in sequencer order, before any new one (at least
 * once, as S3 does).
 */
export async function createNotificationDelivery(options: NotificationDeliveryOptions): Promise<NotificationDelivery> {
  const { journal, log } = options;
  const leftOver = (await journal?.pending()) ?? [];
  let stopped = false;
  const context: DeliveryContext = { region: options.region, journal, log, stopped: () => stopped };
  const routes = options.routes.then((list) => new Map(list.map((route) => [route.name, route])));
  const { enqueue, settled, idle } = workPool(log, options.concurrency ?? DEFAULT_DELIVERY_CONCURRENCY);
  enqueue(
    async () => {
      const byName = await routes;
      if (leftOver.length > 0) log(JSON.stringify({ level: 'INFO', service: 'local-stack', message: 'redelivering notifications left pending', count: leftOver.length }));
      for (const entry of leftOver) await deliver(context, byName, entry);
    },
    undefined,
    true,
  );

  return {
    accept(route, notification) {
      const entry = { sequencer: sequencerOf(notification), route, notification };
      const journaled = journal?.add(entry) ?? Promise.resolve();
      // Delivered even when journaling failed: the upload then answers an error and is retried, a duplicate at worst.
      enqueue(async () => {
        await journaled.catch(() => {}); // never remove a journal file before it is written
        await deliver(context, await routes, entry);
      }, notification.Records[0]!.s3.object.key);
      return journaled;
    },
    enqueue: (task) => enqueue(task),
    settled,
    idle,
    stop() {
      stopped = true;
    },
  };
}

/** What delivering a notification needs besides the notification: where to journal and log, and whether the stack is stopping. */
interface DeliveryContext {
  region: string;
  journal?: NotificationJournal;
  log: (line: string) => void;
  stopped(): boolean;
}

/**
 * Delivers one journaled notification to its route: marked done once handled;
 * once retries ran out, handed to the onFailure destination and marked failed;
 * left pending (delivered again on the next start) when the stack stops meanwhile.
 */
async function deliver(context: DeliveryContext, routes: Map<string, NotificationRoute>, { sequencer, route: name, notification }: JournalEntry): Promise<void> {
  const { journal } = context;
  const route = routes.get(name);
  const handler = route?.handler ?? (() => Promise.reject(new Error(`no local function named ${name}`)));
  const failure = await invoke(context, handler, notification, { function: name, sequencer });
  if (context.stopped()) return; // left pending: delivered again on the next start
  if (failure === undefined) return journal?.done(sequencer);
  const record = destinationEvent(context.region, name, notification, failure, 1 + ASYNC_RETRY_ATTEMPTS);
  if (route?.onFailure) await invoke(context, route.onFailure, record, { function: `${name} onFailure`, sequencer });
  if (context.stopped()) return;
  await journal?.failed(sequencer, record);
}

/** Runs `handler` up to 1 + ASYNC_RETRY_ATTEMPTS times; the last error, or undefined once it succeeded. */
async function invoke(context: DeliveryContext, handler: LocalHandler, event: unknown, about: Record<string, unknown>): Promise<unknown> {
  let failure: unknown;
  for (let attempt = 1; attempt <= 1 + ASYNC_RETRY_ATTEMPTS && !context.stopped(); attempt++) {
    try {
      await handler(event, {} as never);
      return undefined;
    } catch (error) {
      failure = error;
      const last = attempt === 1 + ASYNC_RETRY_ATTEMPTS;
      context.log(JSON.stringify({ level: 'ERROR', service: 'local-stack', message: last ? 'invocation failed after retries' : 'invocation failed; retrying', ...about, attempt, error: String(error) }));
    }
  }
  return failure;
}

/** A queued task: same-lane tasks run one at a time in order; an exclusive one runs alone, and nothing queued after it starts before it ends. */
interface Job {
  task: () => Promise<unknown>;
  lane?: string;
  exclusive?: boolean;
}

/**
 * Runs tasks `limit` at a time in the order queued, as Lambda runs invocations
 * side by side, except that tasks of one lane (one object key) run one at a time
 * in order and an exclusive task runs alone. A task that fails is logged and the
 * next one runs.
 */
export function workPool(log: (line: string) => void, limit: number) {
  const waiting: Job[] = [];
  const lanes = new Set<string>();
  let running = 0;
  let exclusive = false;
  let idle: (() => void)[] = [];
  const start = (job: Job) => {
    running++;
    if (job.lane !== undefined) lanes.add(job.lane);
    exclusive ||= job.exclusive === true;
    void job
      .task()
      .catch((error) => log(JSON.stringify({ level: 'ERROR', service: 'local-stack', message: 'queued work failed', error: String(error) })))
      .finally(() => {
        running--;
        if (job.lane !== undefined) lanes.delete(job.lane);
        if (job.exclusive) exclusive = false;
        pump();
      });
  };
  const pump = () => {
    for (let i = 0; i < waiting.length && running < limit && !exclusive; ) {
      const job = waiting[i]!;
      if (job.exclusive && running > 0) break;
      if (job.lane !== undefined && lanes.has(job.lane)) {
        i++;
        continue;
      }
      waiting.splice(i, 1);
      start(job);
    }
    if (running === 0 && waiting.length === 0) {
      for (const resolve of idle) resolve();
      idle = [];
    }
  };
  return {
    enqueue(task: () => Promise<unknown>, lane?: string, asBarrier = false): void {
      waiting.push({ task, lane, exclusive: asBarrier });
      pump();
    },
    /** True when nothing is queued or running. */
    idle: () => running === 0 && waiting.length === 0,
    settled(): Promise<void> {
      if (running === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
  };
}
