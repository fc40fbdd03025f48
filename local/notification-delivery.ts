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

/** Lambda's asynchronous invocations retry a failed event twice. */

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
}

export interface NotificationDelivery {
  /** Journals a notification for `route` and queues it; resolves once it is journaled. */
  accept(route: string, notification: S3Notification): Promise<void>;
  /** Queues other work (the monthly recalculation) behind the notifications so far. */
  enqueue(task: () => Promise<unknown>): void;
  /** Resolves when everything queued so far, and anything queued meanwhile, is done. */
  settled(): Promise<void>;
  /** Delivers nothing more: what is in flight or queued stays pending for the next start. */
  stop(): void;
}

/**
 * Delivers notifications one at a time, in order, each retried like an asynchronous
 * Lambda invocation and then handed to the route's onFailure destination. With a
 * journal, the notifications left pending by an earlier run are delivered first, in
 * sequencer order, before any new one (at least once, as S3 does).
 */
export async function createNotificationDelivery(options: NotificationDeliveryOptions): Promise<NotificationDelivery> {
  const { journal, log } = options;
  const leftOver = (await journal?.pending()) ?? [];
  let stopped = false;

  /** Runs `handler` up to 1 + ASYNC_RETRY_ATTEMPTS times; the last error, or undefined once it succeeded. */
  const invoke = async (handler: LocalHandler, event: unknown, about: Record<string, unknown>): Promise<unknown> => {
    let failure: unknown;
    for (let attempt = 1; attempt <= 1 + ASYNC_RETRY_ATTEMPTS && !stopped; attempt++) {
      try {
        await handler(event, {} as never);
        return undefined;
      } catch (error) {
        failure = error;
        const last = attempt === 1 + ASYNC_RETRY_ATTEMPTS;
        log(JSON.stringify({ level: 'ERROR', service: 'local-stack', message: last ? 'invocation failed after retries' : 'invocation failed; retrying', ...about, attempt, error: String(error) }));
      }
    }
    return failure;
  };

  const deliver = async (routes: Map<string, NotificationRoute>, { sequencer, route: name, notification }: JournalEntry) => {
    const route = routes.get(name);
    const handler = route?.handler ?? (() => Promise.reject(new Error(`no local function named ${name}`)));
    const failure = await invoke(handler, notification, { function: name, sequencer });
    if (stopped) return; // left pending: delivered again on the next start
    if (failure === undefined) return journal?.done(sequencer);
    const record = destinationEvent(options.region, name, notification, failure, 1 + ASYNC_RETRY_ATTEMPTS);
    if (route?.onFailure) await invoke(route.onFailure, record, { function: `${name} onFailure`, sequencer });
    if (stopped) return;
    await journal?.failed(sequencer, record);
  };

  const routes = options.routes.then((list) => new Map(list.map((route) => [route.name, route])));
  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = (task: () => Promise<unknown>) => {
    queue = queue.then(task).catch((error) => log(JSON.stringify({ level: 'ERROR', service: 'local-stack', message: 'queued work failed', error: String(error) })));
  };
  enqueue(async () => {
    const byName = await routes;
    if (leftOver.length > 0) log(JSON.stringify({ level: 'INFO', service: 'local-stack', message: 'redelivering notifications left pending', count: leftOver.length }));
    for (const entry of leftOver) await deliver(byName, entry);
  });

  return {
    accept(route, notification) {
      const entry = { sequencer: sequencerOf(notification), route, notification };
      const journaled = journal?.add(entry) ?? Promise.resolve();
      // Delivered even when journaling failed: the upload then answers an error and is retried, a duplicate at worst.
      enqueue(async () => {
        await journaled.catch(() => {}); // never remove a journal file before it is written
        await deliver(await routes, entry);
      });
      return journaled;
    },
    enqueue,
    async settled() {
      let seen;
      do {
        seen = queue;
        await seen;
      } while (seen !== queue);
    },
    stop() {
      stopped = true;
    },
  };
}
