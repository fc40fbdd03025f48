/*
 * Events a municipality (or the project holder) can subscribe to: published on
 * EventBridge in AWS (source PIPELINE_EVENT_SOURCE, detail-type the event's
 * `type`), not published locally. They carry identifiers and counts, never
 * participant values. README "Deploy to AWS" shows a subscription rule.
 */

/** EventBridge `source` of every pipeline event. */
export const PIPELINE_EVENT_SOURCE = 'pbr.partnerships';

/** A statement was computed and published (DynamoDB, `statements/P/YYYY-MM.json|.csv`). */
export interface StatementPublished {
  type: 'Statement published';
  detail: { partnership: string; asOf: string; jsonKey: string; csvKey: string; computedAt: string };
}

/** A timesheet was rejected whole: nothing of it counts until a corrected version is uploaded. */
export interface UploadRejected {
  type: 'Upload rejected';
  detail: { partnership: string; month: string; source: string; key: string; reasonCode: string; reason: string };
}

export type PipelineEvent = StatementPublished | UploadRejected;

/**
 * Where the use cases announce events. Best effort: an implementation logs what it
 * could not publish and never throws (a notification must not fail or repeat the work).
 */
export interface PipelineEvents {
  publish(event: PipelineEvent): Promise<void>;
}

/** Locally and in tests: nothing is published. */
export const noEvents: PipelineEvents = { publish: () => Promise.resolve() };
