import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';

// The one home of AWS clients: every handler and the local stack make theirs here, configured alike.

/**
 * S3 client for Lambda and the local stack alike. The SDK reads endpoints from
 * AWS_ENDPOINT_URL_S3 by itself; a local endpoint (s3rver) needs path-style URLs
 * and checksums only where required, or streamed uploads get stored with
 * aws-chunked framing.
 */
export function createS3Client(env: NodeJS.ProcessEnv = process.env): S3Client {
  return new S3Client({
    forcePathStyle: env.AWS_ENDPOINT_URL_S3 !== undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** DynamoDB document client (endpoint from AWS_ENDPOINT_URL_DYNAMODB when local). */
export function createDocumentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/** SQS client (the recalculation queue and the ingest failure queue; not used locally). */
export function createSqsClient(): SQSClient {
  return new SQSClient({});
}
