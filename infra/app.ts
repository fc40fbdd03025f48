import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { REPO_ROOT } from './pbr-function.ts';
import { PbrStack } from './pbr-stack.ts';

/** CDK context key of the region to deploy to: required (`-c region=eu-north-1`), and inside the EU. */
export const REGION_CONTEXT = 'region';

/**
 * AWS regions in EU member states, where Danish personal data may be kept without a
 * transfer (GDPR chapter V): Frankfurt, Ireland, Paris, Stockholm, Milan, Spain.
 * London (eu-west-2) and Zurich (eu-central-2) are in Europe but not in the EU.
 */
export const EU_REGIONS = ['eu-central-1', 'eu-west-1', 'eu-west-3', 'eu-north-1', 'eu-south-1', 'eu-south-2'] as const;

/** A missing or non-EU region: `cdk synth` prints its message alone, it says what to do. */
export class RegionError extends Error {}

/** The region named by the context, or a RegionError that says how to name one. */
export function deploymentRegion(value: unknown): string {
  const choices = EU_REGIONS.join(', ');
  if (value === undefined || value === '') {
    throw new RegionError(`No region: pass an EU region as context, e.g. \`npx cdk deploy -c ${REGION_CONTEXT}=eu-north-1\` (one of ${choices}). Danish personal data must stay in the EU, so the stack never takes the region from your AWS profile.`);
  }
  if (!(EU_REGIONS as readonly unknown[]).includes(value)) {
    throw new RegionError(`Region ${JSON.stringify(value)} is not an EU region: Danish personal data must stay in the EU. Use one of ${choices}.`);
  }
  return value as string;
}

/**
 * The context of cdk.json (the feature flags), so the app built by tests is the one
 * `cdk synth` builds; the CLI passes the same values again, and the caller's win.
 */
function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')).context ?? {};
}

/**
 * Builds the CDK app with the AWS Solutions cdk-nag pack registered as a validation plugin,
 * so any unacknowledged finding fails `cdk synth`. The region context is required (see
 * {@link deploymentRegion}). Tests pass `{ 'aws:cdk:bundling-stacks': [] }` as context to
 * skip esbuild, and an `outdir` to keep the synthesized templates.
 */
export function buildApp(context?: Record<string, unknown>, outdir?: string): { app: App; stack: PbrStack } {
  const app = new App({ context: { ...cdkJsonContext(), ...context }, outdir });
  const region = deploymentRegion(app.node.tryGetContext(REGION_CONTEXT));
  const stack = new PbrStack(app, 'Pbr', {
    description: 'Timesheet ingest for Danish employment partnerships',
    env: { region },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

if (import.meta.main) {
  try {
    buildApp().app.synth();
  } catch (error) {
    if (!(error instanceof RegionError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}
