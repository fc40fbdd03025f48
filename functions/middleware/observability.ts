import type { MiddlewareObj } from '@middy/core';
import { noEvents, type PipelineEvents } from '../../shared/events.ts';
import { createLogger, type Logger } from '../../shared/logger.ts';
import { noMetrics, type Metrics } from '../../shared/metrics.ts';

/** What a handler logs, measures and announces with, and the middy middlewares that go with them. */
export interface Observability {
  log: Logger;
  metrics: Metrics;
  events: PipelineEvents;
  /** `middy().use(middleware)`: Lambda context on every log line, metrics flushed after each invocation. */
  middleware: MiddlewareObj[];
}

/**
 * A handler's logger, metrics and events. In Lambda (AWS_LAMBDA_FUNCTION_NAME is set)
 * Powertools, loaded only there (functions/middleware/powertools.ts: request id and cold
 * start on every line, EMF metrics, X-Ray on the AWS clients, EventBridge events); the
 * local stack and tests get the stderr JSON logger and no metrics or events. Call it
 * (top-level await) before creating AWS clients, so Lambda's are traced.
 */
export async function observability(service: string, env: NodeJS.ProcessEnv = process.env): Promise<Observability> {
  if (env.AWS_LAMBDA_FUNCTION_NAME) return (await import('./powertools.ts')).powertoolsObservability(service, env);
  return { log: createLogger(service), metrics: noMetrics, events: noEvents, middleware: [] };
}
