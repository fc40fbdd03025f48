import { LogFormatter, LogItem, Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { MetricUnit, Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { createEventBridgeClient, instrumentAwsClients } from '../../shared/adapters/aws-clients.ts';
import { EventBridgeEvents } from '../../shared/adapters/eventbridge-events.ts';
import { redactCpr } from '../../shared/cpr-numbers.ts';
import { noEvents } from '../../shared/events.ts';
import { redactLogValue, type Logger } from '../../shared/logger.ts';
import type { Metrics } from '../../shared/metrics.ts';
import type { Observability } from './observability.ts';

/**
 * Powertools' own line layout (level, message, timestamp, service, cold_start,
 * function_* and function_request_id, xray_trace_id), with the message and every
 * field the code adds redacted (redactLogValue): CPR-safe whatever reaches the
 * logger, also events Powertools itself would log. Lambda's context is not redacted:
 * it names the function and request, never a participant.
 */
export class RedactingLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const context = attributes.lambdaContext;
    const base = {
      level: attributes.logLevel,
      message: redactCpr(attributes.message),
      timestamp: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
      cold_start: context?.coldStart,
      function_arn: context?.invokedFunctionArn,
      function_memory_size: context?.memoryLimitInMB,
      function_name: context?.functionName,
      function_request_id: context?.awsRequestId,
      sampling_rate: attributes.sampleRateValue,
      xray_trace_id: attributes.xRayTraceId,
    };
    return new LogItem({ attributes: base }).addAttributes(redactLogValue(additional) as LogAttributes);
  }
}

/** The Logger port over a Powertools logger (fields become keys of the line). */
export function powertoolsLogger(logger: PowertoolsLogger): Logger {
  return {
    info: (message, fields = {}) => logger.info(message, fields),
    warn: (message, fields = {}) => logger.warn(message, fields),
    error: (message, fields = {}) => logger.error(message, fields),
  };
}

/**
 * The Metrics port over Powertools metrics: counts without dimensions are stored and
 * flushed by the logMetrics middleware after the invocation; a count with a Reason is
 * its own EMF document (Powertools' single metric), flushed at once.
 */
export function powertoolsMetrics(metrics: PowertoolsMetrics): Metrics {
  return {
    count(name, n, dimensions) {
      if (!dimensions) return metrics.addMetric(name, MetricUnit.Count, n);
      const single = metrics.singleMetric();
      single.addDimension('Reason', dimensions.Reason);
      single.addMetric(name, MetricUnit.Count, n);
    },
    duration(name, ms) {
      metrics.addMetric(name, MetricUnit.Milliseconds, ms);
    },
  };
}

/**
 * Lambda's observability: a Powertools logger (level from POWERTOOLS_LOG_LEVEL), EMF
 * metrics (namespace POWERTOOLS_METRICS_NAMESPACE, dimension `service`, a ColdStart
 * metric), the X-Ray tracer on every AWS client created from now on, and pipeline
 * events on EVENT_BUS_NAME when set. The service is POWERTOOLS_SERVICE_NAME, else `service`.
 */
export async function powertoolsObservability(service: string, env: NodeJS.ProcessEnv = process.env): Promise<Observability> {
  const serviceName = env.POWERTOOLS_SERVICE_NAME || service;
  const logger = new PowertoolsLogger({ serviceName, logFormatter: new RedactingLogFormatter() });
  const quiet = { debug: logger.debug.bind(logger), info: logger.debug.bind(logger), warn: logger.debug.bind(logger), error: logger.error.bind(logger) };
  // Powertools warns on every invocation that flushes no metric (the API's); that is expected here, so debug.
  const metrics = new PowertoolsMetrics({ serviceName, logger: quiet });
  const tracer = new Tracer({ serviceName, captureHTTPsRequests: false });
  instrumentAwsClients((client) => tracer.captureAWSv3Client(client));
  const log = powertoolsLogger(logger);
  return {
    log,
    metrics: powertoolsMetrics(metrics),
    events: env.EVENT_BUS_NAME ? new EventBridgeEvents(await createEventBridgeClient(), env.EVENT_BUS_NAME, log) : noEvents,
    middleware: [injectLambdaContext(logger, { resetKeys: true }), logMetrics(metrics, { captureColdStartMetric: true })],
  };
}
