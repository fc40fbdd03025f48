import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';

// The one home of AWS clients: every handler and the local stack make theirs here, configured alike.

/** Wraps a new client, e.g. with X-Ray subsegments per call; returns the client it is given. */
export type ClientInstrumentation = <C extends object>(client: C) => C;

let instrument: ClientInstrumentation = (client) => client;

/**
 * Every client created after this call goes through `instrumentation`. Lambda handlers
 * set the Powertools tracer here (functions/middleware/powertools.ts) before they create
 * clients; the local stack and the CLI never load the tracer (its import costs ~0.5 s).
 */
export function instrumentAwsClients(instrumentation: ClientInstrumentation): void {
  instrument = instrumentation;
}

/**
 * S3 client for Lambda and the local stack alike. The SDK reads endpoints from
 * AWS_ENDPOINT_URL_S3 by itself; a local endpoint (s3rver) needs path-style URLs
 * and checksums only where required, or streamed uploads get stored with
 * aws-chunked framing.
 */
export function createS3Client(env: NodeJS.ProcessEnv = process.env): S3Client {
  return instrument(
    new S3Client({
      forcePathStyle: env.AWS_ENDPOINT_URL_S3 !== undefined,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  );
}

/** DynamoDB document client (endpoint from AWS_ENDPOINT_URL_DYNAMODB when local). */
export function createDocumentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(instrument(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/** SQS client (the recalculation queue and the ingest failure queue; not used locally). */
export function createSqsClient(): SQSClient {
  return instrument(new SQSClient({}));
}

/** EventBridge client (pipeline events, Lambda only): loaded on first use, so the CLI never pays its import. */
export async function createEventBridgeClient(): Promise<EventBridgeClient> {
  const { EventBridgeClient } = await import('@aws-sdk/client-eventbridge');
  return instrument(new EventBridgeClient({}));
}
