import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { CountMetric, DurationMetric } from '../shared/metrics.ts';
import { metricsNamespace, type PbrFunction } from './pbr-function.ts';

/** CDK context key: the operators' e-mail address, subscribed to the alarm topic (they confirm once by mail). */
export const ALARM_EMAIL_CONTEXT = 'alarmEmail';

/** The ingest's p99 duration above this share of its timeout raises an alarm: the next bigger file may time out. */
export const DURATION_ALARM_SHARE = 0.8;

/** The bus pipeline events go to (shared/events.ts): the account's default bus, where rules and cross-account targets are simplest. */
export const EVENT_BUS_NAME = 'default';

/** Alarm and dashboard period. */
const PERIOD = Duration.minutes(5);
/** Pipeline figures on the dashboard are summed per hour: uploads come in bursts at month end. */
const HOUR = Duration.hours(1);

/** Props for {@link Operations}. */
export interface OperationsProps {
  /** Every function: alarms on errors and throttles, duration and errors on the dashboard. */
  readonly functions: PbrFunction[];
  /** Alarm when its p99 duration nears the timeout; its metrics on the dashboard. */
  readonly ingestFunction: PbrFunction;
  /** Its metrics (statements, recalculation duration, projection runs) on the dashboard. */
  readonly recalculateFunction: PbrFunction;
  /** Functions that publish pipeline events: EVENT_BUS_NAME and events:PutEvents on that bus. */
  readonly announcers: PbrFunction[];
  /** Queues where failed work ends, by a name operators read: any message visible raises an alarm. */
  readonly deadLetterQueues: Record<string, sqs.IQueue>;
  readonly api: apigw.HttpApi;
}

/**
 * What operators need in AWS: an SNS topic for alarms (e-mail subscription from the
 * `alarmEmail` context), alarms on messages in a dead-letter queue, function errors and
 * throttles, the ingest nearing its timeout and API 5xx responses; a CloudWatch dashboard
 * of the pipeline; and the pipeline events (statement published, upload rejected) on the
 * default EventBridge bus, which a municipality subscribes to with a rule.
 */
export class Operations extends Construct {
  readonly alarmTopic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;
  readonly eventBus: events.IEventBus;
  readonly #namespace: string;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    this.#namespace = metricsNamespace(Stack.of(this));
    this.alarmTopic = this.createTopic();
    this.eventBus = events.EventBus.fromEventBusName(this, 'EventBus', EVENT_BUS_NAME);
    for (const fn of props.announcers) {
      fn.fn.addEnvironment('EVENT_BUS_NAME', EVENT_BUS_NAME);
      this.eventBus.grantPutEventsTo(fn.role);
    }
    this.addAlarms(props);
    this.dashboard = this.createDashboard(props);
  }

  /** The operators' topic; SSL only. */
  private createTopic(): sns.Topic {
    const topic = new sns.Topic(this, 'AlarmTopic', { displayName: 'PbR pipeline alarms', enforceSSL: true });
    Validations.of(topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason: 'Alarm notifications carry alarm names and metric values, never personal data; CloudWatch can publish to an encrypted topic only with a customer managed KMS key, a cost without a benefit here.',
    });
    const email: unknown = this.node.tryGetContext(ALARM_EMAIL_CONTEXT);
    if (email !== undefined) {
      if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new Error(`context ${ALARM_EMAIL_CONTEXT} must be an e-mail address`);
      topic.addSubscription(new EmailSubscription(email));
    }
    return topic;
  }

  /** An alarm on `metric` above `threshold`, notifying the topic when it fires and when it clears. */
  private alarm(id: string, metric: cloudwatch.IMetric, threshold: number, description: string): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.alarmTopic));
    alarm.addOkAction(new SnsAction(this.alarmTopic));
    this.alarms.push(alarm);
  }

  private addAlarms(props: OperationsProps): void {
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      const id = name.replace(/(^|\s)(\w)/g, (_, _space, c: string) => c.toUpperCase());
      this.alarm(`${id}Visible`, queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }), 0,
        `Messages in the ${name} queue: work that failed after its retries. README "Deploy to AWS", Alarms, says how to look into it and replay it.`);
    }
    for (const fn of props.functions) {
      const id = fn.node.id;
      this.alarm(`${id}Errors`, fn.fn.metricErrors({ period: PERIOD, statistic: 'Sum' }), 0, `${fn.serviceName} failed; its log group has the error with the request id.`);
      this.alarm(`${id}Throttles`, fn.fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }), 0, `${fn.serviceName} was throttled: the account's Lambda concurrency is exhausted.`);
    }
    const limit = Math.round(props.ingestFunction.timeout.toMilliseconds() * DURATION_ALARM_SHARE);
    this.alarm('IngestNearTimeout', props.ingestFunction.fn.metricDuration({ period: PERIOD, statistic: 'p99' }), limit,
      `The ingest's p99 duration is above ${DURATION_ALARM_SHARE * 100} % of its timeout: a bigger timesheet may time out (raise the timeout or the memory).`);
    this.alarm('Api5xx', props.api.metricServerError({ period: PERIOD, statistic: 'Sum' }), 0, 'The API answered 5xx: the API function log has the error.');
  }

  /** A pipeline metric (shared/metrics.ts) of one function. */
  private pipelineMetric(name: CountMetric | DurationMetric, fn: PbrFunction, statistic: string, period = HOUR): cloudwatch.Metric {
    return new cloudwatch.Metric({ namespace: this.#namespace, metricName: name, dimensionsMap: { service: fn.serviceName }, statistic, period });
  }

  /** A pipeline count broken down by its Reason dimension (one line per reason code). */
  private byReason(name: CountMetric, fn: PbrFunction): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: `SEARCH('{${this.#namespace},Reason,service} MetricName="${name}" service="${fn.serviceName}"', 'Sum', ${HOUR.toSeconds()})`,
      label: `${name} by reason`,
      period: HOUR,
    });
  }

  private createDashboard(props: OperationsProps): cloudwatch.Dashboard {
    const { ingestFunction: ingest, recalculateFunction: recalculate, functions, api } = props;
    const graph = (title: string, left: cloudwatch.IMetric[], width = 8) => new cloudwatch.GraphWidget({ title, left, width, height: 6 });
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-pipeline`,
      defaultInterval: Duration.days(7),
    });
    dashboard.addWidgets(
      new cloudwatch.TextWidget({ markdown: '# Pipeline\nUploads → weekly hours → statements → portal and API. Alarms notify the operators\' SNS topic.', width: 24, height: 2 }),
    );
    dashboard.addWidgets(
      graph('Reports accepted and rejected (per hour)', [this.pipelineMetric('ReportsAccepted', ingest, 'Sum'), this.byReason('ReportsRejected', ingest)]),
      graph('Rows rejected by reason (per hour)', [this.byReason('RowsRejected', ingest)]),
      graph('Statements computed and unchanged (per hour)', [this.pipelineMetric('StatementsComputed', recalculate, 'Sum'), this.pipelineMetric('StatementsUnchanged', recalculate, 'Sum')]),
    );
    dashboard.addWidgets(
      graph('Recalculation duration per partnership (ms)', ['Average', 'p99', 'Maximum'].map((statistic) => this.pipelineMetric('RecalculationDuration', recalculate, statistic))),
      graph('Projection runs (per hour)', [this.pipelineMetric('ProjectionRuns', recalculate, 'Sum')]),
      graph('Dead-letter queues: messages visible', Object.values(props.deadLetterQueues).map((queue) => queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }))),
    );
    dashboard.addWidgets(
      graph('Function duration p99 (ms)', functions.map((fn) => fn.fn.metricDuration({ period: PERIOD, statistic: 'p99', label: fn.serviceName }))),
      graph('Function errors', functions.map((fn) => fn.fn.metricErrors({ period: PERIOD, statistic: 'Sum', label: fn.serviceName }))),
      graph('Function throttles', functions.map((fn) => fn.fn.metricThrottles({ period: PERIOD, statistic: 'Sum', label: fn.serviceName }))),
    );
    dashboard.addWidgets(
      graph('API 4xx and 5xx', [api.metricClientError({ period: PERIOD, statistic: 'Sum' }), api.metricServerError({ period: PERIOD, statistic: 'Sum' })]),
      graph('API latency (ms)', ['p50', 'p99'].map((statistic) => api.metricLatency({ period: PERIOD, statistic }))),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 8, height: 6 }),
    );
    return dashboard;
  }
}
