import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, deploymentRegion, EU_REGIONS, RegionError } from '../infra/app.ts';
import { ALARM_EMAIL_CONTEXT, DURATION_ALARM_SHARE } from '../infra/operations.ts';
import { REPO_ROOT, type PbrFunction } from '../infra/pbr-function.ts';
import type { PbrStack } from '../infra/pbr-stack.ts';
import { COUNT_METRICS, DURATION_METRICS } from '../shared/metrics.ts';

const CONTEXT = { 'aws:cdk:bundling-stacks': [], region: 'eu-north-1' };

describe('operations: alarms, dashboard, events, Powertools settings', () => {
  let stack: PbrStack;
  let template: Template;
  let functions: PbrFunction[];
  const id = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const alarmsOn = (metricName: string, dimension: Record<string, unknown>) =>
    Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: metricName, Dimensions: Match.arrayWith([Match.objectLike(dimension)]) } })).map((a) => a.Properties);

  beforeAll(() => {
    stack = buildApp(CONTEXT).stack;
    template = Template.fromStack(stack);
    functions = [stack.ingest.ingestFunction, stack.ingest.failureFunction, stack.inputs.acceptInputFunction, stack.recalculation.recalculateFunction, stack.recalculation.scheduleFunction, stack.api.function];
  });

  it('every alarm notifies the operators topic when it fires and when it clears', () => {
    const topic = { Ref: id(stack.operations.alarmTopic) };
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    expect(alarms.length).toBe(2 + 2 * functions.length + 2);
    for (const alarm of alarms) expect(alarm).toMatchObject({ AlarmActions: [topic], OKActions: [topic], TreatMissingData: 'notBreaching', AlarmDescription: expect.any(String) });
  });

  it('alarms on any message visible in either dead-letter queue', () => {
    for (const queue of [stack.ingest.failureQueue, stack.recalculation.deadLetterQueue]) {
      const [alarm, ...more] = alarmsOn('ApproximateNumberOfMessagesVisible', { Value: { 'Fn::GetAtt': [id(queue), 'QueueName'] } });
      expect(more).toEqual([]);
      expect(alarm).toMatchObject({ Namespace: 'AWS/SQS', Statistic: 'Maximum', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    }
  });

  it('alarms on errors and throttles of every function', () => {
    for (const fn of functions) {
      for (const metric of ['Errors', 'Throttles']) {
        const alarms = alarmsOn(metric, { Name: 'FunctionName', Value: { Ref: id(fn.fn) } });
        expect(alarms, `${fn.serviceName} ${metric}`).toHaveLength(1);
        expect(alarms[0]).toMatchObject({ Namespace: 'AWS/Lambda', Statistic: 'Sum', Threshold: 0, Period: 300 });
      }
    }
  });

  it('alarms when the ingest p99 duration passes 80 % of its timeout', () => {
    const alarms = alarmsOn('Duration', { Value: { Ref: id(stack.ingest.ingestFunction.fn) } });
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ ExtendedStatistic: 'p99', Threshold: stack.ingest.ingestFunction.timeout.toMilliseconds() * DURATION_ALARM_SHARE });
    expect(alarms[0].Threshold).toBe(240_000);
  });

  it('alarms on any API 5xx within 5 minutes', () => {
    const alarms = alarmsOn('5xx', { Name: 'ApiId', Value: { Ref: id(stack.api.httpApi) } });
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ Namespace: 'AWS/ApiGateway', Statistic: 'Sum', Period: 300, Threshold: 0 });
  });

  it('the alarm topic only accepts TLS, and has no subscription unless an e-mail is given', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    const withEmail = Template.fromStack(buildApp({ ...CONTEXT, [ALARM_EMAIL_CONTEXT]: 'drift@koege.dk' }).stack);
    withEmail.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'drift@koege.dk' });
    expect(() => buildApp({ ...CONTEXT, [ALARM_EMAIL_CONTEXT]: 'not an address' })).toThrow(ALARM_EMAIL_CONTEXT);
  });

  it('the dashboard shows every pipeline metric, the dead-letter queues and the API', () => {
    const [dashboard, ...more] = Object.values(template.findResources('AWS::CloudWatch::Dashboard')).map((d) => d.Properties);
    expect(more).toEqual([]);
    const body = JSON.stringify(dashboard.DashboardBody);
    for (const name of [...Object.keys(COUNT_METRICS), ...Object.keys(DURATION_METRICS)]) expect(body, name).toContain(name);
    expect(body).toContain('PbrPartnerships/Pbr');
    for (const metric of ['ApproximateNumberOfMessagesVisible', '4xx', '5xx', 'Latency', 'Duration', 'Errors', 'Throttles']) expect(body, metric).toContain(`\\"${metric}\\"`);
    for (const queue of [stack.ingest.failureQueue, stack.recalculation.deadLetterQueue]) expect(body).toContain(id(queue));
  });

  it('every function has the Powertools settings, and its handler logs under the same service name', () => {
    for (const fn of functions) {
      const folder = fn.serviceName;
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: folder, POWERTOOLS_METRICS_NAMESPACE: 'PbrPartnerships/Pbr', POWERTOOLS_LOG_LEVEL: 'INFO' }) },
      });
      expect(readFileSync(join(REPO_ROOT, 'functions', folder, 'handler.ts'), 'utf8')).toContain(`observability('${folder}')`);
    }
    const ours = Object.values(template.findResources('AWS::Lambda::Function')).filter((f) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME);
    expect(ours).toHaveLength(functions.length);
    const debug = Template.fromStack(buildApp({ ...CONTEXT, logLevel: 'debug' }).stack);
    expect(Object.values(debug.findResources('AWS::Lambda::Function')).filter((f) => f.Properties.Environment?.Variables?.POWERTOOLS_LOG_LEVEL === 'DEBUG')).toHaveLength(functions.length);
  });

  it('the ingest and recalculation functions may put events on the default bus, and know it', () => {
    for (const fn of [stack.ingest.ingestFunction, stack.recalculation.recalculateFunction]) {
      template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: Match.absent(), Role: { 'Fn::GetAtt': [id(fn.role), 'Arn'] }, Environment: { Variables: Match.objectLike({ EVENT_BUS_NAME: 'default' }) } });
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: id(fn.role) }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'events:PutEvents', Resource: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([':event-bus/default'])]) }) })]) },
      });
    }
  });
});

describe('the region is required context, and inside the EU', () => {
  it('synth without a region fails, saying how to pass one', () => {
    expect(() => buildApp({ 'aws:cdk:bundling-stacks': [] })).toThrow(RegionError);
    expect(() => deploymentRegion(undefined)).toThrow(/-c region=eu-north-1/);
  });

  it('refuses regions outside the EU, London and Zurich included', () => {
    for (const region of ['us-east-1', 'eu-west-2', 'eu-central-2', 'EU-NORTH-1', 'il-central-1']) expect(() => deploymentRegion(region), region).toThrow(/not an EU region/);
  });

  it('the stack is pinned to the region given', () => {
    for (const region of EU_REGIONS) expect(deploymentRegion(region)).toBe(region);
    expect(buildApp({ 'aws:cdk:bundling-stacks': [], region: 'eu-west-3' }).stack.region).toBe('eu-west-3');
  });
});

describe('cdk.json', () => {
  /** Recommended flags left at another value, each with the reason README "Deploy to AWS" gives. */
  const LEFT = { '@aws-cdk/core:enableAdditionalMetadataCollection': false };

  it('sets every feature flag aws-cdk-lib recommends, except those documented', () => {
    const recommended: Record<string, unknown> = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/aws-cdk-lib/recommended-feature-flags.json'), 'utf8'));
    const { context } = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8'));
    expect(context).toEqual(expect.objectContaining({ ...recommended, ...LEFT }));
    expect(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')).toContain(Object.keys(LEFT)[0]);
  });
});
