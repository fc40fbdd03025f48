import middy from '@middy/core';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { createDocumentClient, createS3Client } from '../../shared/adapters/aws-clients.ts';
import { DynamoHoursStore } from '../../shared/adapters/dynamodb-hours-store.ts';
import { DynamoPartnershipStore } from '../../shared/adapters/dynamodb-partnership-store.ts';
import { S3DataBucket } from '../../shared/adapters/s3-data-bucket.ts';
import { handleApiRequest, type ApiDependencies } from '../../shared/api/api.ts';
import { scrubDigitRuns } from '../../shared/cpr-numbers.ts';
import { observability } from '../middleware/observability.ts';
import { parseEvent } from '../middleware/parse-event.ts';

/** The parts of an API Gateway HTTP API (payload 2.0) event the API uses. */
const httpEvent = z.object({
  rawPath: z.string(),
  rawQueryString: z.string().default(''),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().default(false),
  requestContext: z.object({
    http: z.object({ method: z.string() }),
    authorizer: z.object({ jwt: z.object({ claims: z.record(z.string(), z.unknown()) }) }).optional(),
  }),
});

const { log, middleware } = await observability('api');
const env = z.object({ TABLE_NAME: z.string().min(1), BUCKET_NAME: z.string().min(1) }).parse(process.env);
const documents = createDocumentClient();
const bucket = new S3DataBucket(createS3Client(), env.BUCKET_NAME);
const deps: ApiDependencies = {
  hours: new DynamoHoursStore(documents, env.TABLE_NAME),
  partnerships: new DynamoPartnershipStore(documents, env.TABLE_NAME),
  presignUpload: (key, contentType) => bucket.presignUpload(key, contentType),
  log,
};

/** Anything thrown outside the routes (an event of the wrong shape, a bug) is a logged 500, never a Lambda error. */
const unexpectedErrors = {
  onError(request: { error?: unknown; response?: unknown }) {
    const error = request.error;
    log.error('API handler failed', { error: scrubDigitRuns(error instanceof Error ? (error.stack ?? error.message) : String(error)) });
    request.response = {
      statusCode: 500,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ message: 'something went wrong on our side; try again, and tell the project holder if it persists' }),
    };
  },
};

/**
 * HTTP API → the routes of shared/api. In AWS the JWT authorizer has verified the
 * token before this runs and passes its claims; locally `pbr stack` verifies the
 * dev token and builds the same event. Bodies over MAX_BODY_BYTES are refused
 * (413) by handleApiRequest: API Gateway itself would pass up to 10 MB.
 */
export const handler = middy()
  .use(middleware)
  .use(unexpectedErrors)
  .use(parseEvent(httpEvent))
  .handler<unknown>(async (event): Promise<APIGatewayProxyResultV2> => {
    const headers = Object.fromEntries(Object.entries(event.headers).map(([name, value]) => [name.toLowerCase(), value]));
    const response = await handleApiRequest(
      {
        method: event.requestContext.http.method.toUpperCase(),
        path: event.rawPath,
        query: Object.fromEntries(new URLSearchParams(event.rawQueryString)),
        headers,
        body: event.body !== undefined && event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body,
        claims: event.requestContext.authorizer?.jwt.claims,
      },
      deps,
    );
    return { statusCode: response.status, headers: response.headers, body: response.body, isBase64Encoded: response.isBase64Encoded ?? false };
  });
