import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { queueBatches, type RecalculationQueue } from '../statements/recalculation-queue.ts';

/**
 * An SQS queue of JSON messages: the recalculation queue (one message per
 * partnership) and the ingest failure queue (the destination events it keeps).
 */
export class SqsQueue implements RecalculationQueue {
  readonly #sqs: SQSClient;
  readonly #queueUrl: string;

  constructor(sqs: SQSClient, queueUrl: string) {
    this.#sqs = sqs;
    this.#queueUrl = queueUrl;
  }

  /** Sends one value as a JSON message (the failure queue keeps each destination event as it came). */
  async send(message: unknown): Promise<void> {
    await this.#sqs.send(new SendMessageCommand({ QueueUrl: this.#queueUrl, MessageBody: JSON.stringify(message) }));
  }

  /** Sends every value as one JSON message, in batches; throws when any message was not queued. */
  async enqueue(messages: readonly unknown[]): Promise<void> {
    for (const batch of queueBatches(messages)) {
      const response = await this.#sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.#queueUrl,
          Entries: batch.map((message, i) => ({ Id: String(i), MessageBody: JSON.stringify(message) })),
        }),
      );
      if (response.Failed?.length) throw new Error(`${response.Failed.length} messages were not queued: ${response.Failed.map((f) => f.Message).join('; ')}`);
    }
  }
}
