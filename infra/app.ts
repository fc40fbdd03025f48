import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PbrStack } from './pbr-stack.ts';

/** Feature flags this stack relies on (cdk.json stays minimal). */
const FEATURE_FLAGS = {
  // Grant S3 log delivery through a bucket policy instead of the legacy LogDeliveryWrite ACL.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
};

/**
 * Builds the CDK app with the AWS Solutions cdk-nag pack registered as a validation plugin,
 * so any unacknowledged finding fails `cdk synth`. Tests pass
 * `{ 'aws:cdk:bundling-stacks': [] }` as context to skip esbuild.
 */
export function buildApp(context?: Record<string, unknown>): { app: App; stack: PbrStack } {
  const app = new App({ context: { ...FEATURE_FLAGS, ...context } });
  const stack = new PbrStack(app, 'Pbr', {
    description: 'Timesheet ingest for Danish employment partnerships',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

if (import.meta.main) {
  buildApp().app.synth();
}
