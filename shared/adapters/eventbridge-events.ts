import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PIPELINE_EVENT_SOURCE, type PipelineEvent, type PipelineEvents } from '../events.ts';
import type { Logger } from '../logger.ts';

/**
 * Pipeline events on an EventBridge bus (the account's default bus unless named):
 * source `pbr.partnerships`, detail-type the event's type. Best effort, as the port
 * promises: a refused or failed put is logged, never thrown, so a notification can
 * neither fail an ingest nor make a recalculation run again.
 */
export class EventBridgeEvents implements PipelineEvents {
  readonly #client: EventBridgeClient;
  readonly #busName: string;
  readonly #log: Logger;

  constructor(client: EventBridgeClient, busName: string, log: Logger) {
    this.#client = client;
    this.#busName = busName;
    this.#log = log;
  }

  async publish(event: PipelineEvent): Promise<void> {
    try {
      const result = await this.#client.send(
        new PutEventsCommand({
          Entries: [{ EventBusName: this.#busName, Source: PIPELINE_EVENT_SOURCE, DetailType: event.type, Detail: JSON.stringify(event.detail) }],
        }),
      );
      if (result.FailedEntryCount) {
        this.#log.warn('pipeline event not published', { type: event.type, errorCode: result.Entries?.[0]?.ErrorCode });
      }
    } catch (error) {
      this.#log.warn('pipeline event not published', { type: event.type, error: error instanceof Error ? error.name : 'unknown' });
    }
  }
}
