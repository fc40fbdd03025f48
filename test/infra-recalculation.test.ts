import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../infra/app.ts';
import type { PbrStack } from '../infra/pbr-stack.ts';

/** Issue 8, always current: accepted inputs reach the recalculation queue, which gathers bursts. */
describe('recalculation queue wiring', () => {
  let stack: PbrStack;
  let template: Template;
  const id = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as CfnElement);

  beforeAll(() => {
    stack = buildApp({ 'aws:cdk:bundling-stacks': [], region: 'eu-central-1' }).stack;
    template = Template.fromStack(stack);
  });

  it('the ingest and accept-input functions know the queue and may send to it, and nothing else', () => {
    const queueRef = { Ref: id(stack.recalculation.recalculationQueue) };
    for (const fn of [stack.ingest.ingestFunction, stack.inputs.acceptInputFunction]) {
      const [resource] = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Role: { 'Fn::GetAtt': [id(fn.role), 'Arn'] } } }));
      expect(resource!.Properties.Environment.Variables.RECALCULATION_QUEUE_URL).toEqual(queueRef);
      const policies = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: id(fn.role) }] } }));
      const sends = policies.flatMap((p) => p.Properties.PolicyDocument.Statement).filter((s: { Action: unknown }) => JSON.stringify(s.Action).includes('sqs:SendMessage'));
      expect(sends.map((s: { Resource: unknown }) => s.Resource)).toEqual([{ 'Fn::GetAtt': [id(stack.recalculation.recalculationQueue), 'Arn'] }]);
    }
  });

  it('the recalculation function takes batches of 10 after a 20 s window', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^RecalculateStatementFunction') },
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 20,
    });
  });
});
