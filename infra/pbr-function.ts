import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LambdaDestination, SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ASYNC_RETRY_ATTEMPTS } from '../shared/uploads/notice.ts';
import { CODE_VERSION_ENV, gitRevision } from '../shared/code-version.ts';

/** Repository root; entries and the lock file are resolved from here, not from the cwd. */
export const REPO_ROOT = join(import.meta.dirname, '..');

/** Props for {@link PbrFunction}. */
export interface PbrFunctionProps {
  /** Handler file relative to the repository root, exporting `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly environment?: Record<string, string>;
  /** @default 30 seconds */
  readonly timeout?: Duration;
  /**
   * Where an asynchronous invocation (an S3 notification, a destination event) goes
   * once its retries ran out: a function, which gets Lambda's destination event, or
   * a queue, which keeps it. @default none (the event is dropped)
   */
  readonly onFailure?: PbrFunction | sqs.IQueue;
}

/** The git revision at synth time, baked into every function (statements' manifests name it). */
const CODE_VERSION = gitRevision(REPO_ROOT);

/** CDK context key of every function's POWERTOOLS_LOG_LEVEL (DEBUG, INFO, WARN, ERROR); default INFO. */
export const LOG_LEVEL_CONTEXT = 'logLevel';
const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'];

/** The CloudWatch namespace of the pipeline's metrics (shared/metrics.ts), one per stack so two deployments never mix. */
export function metricsNamespace(stack: Stack): string {
  return `PbrPartnerships/${stack.stackName}`;
}

/** `functions/ingest-report/handler.ts` → `ingest-report`: the service in log lines and the metrics' `service` dimension. */
export function serviceNameOf(entry: string): string {
  const parts = entry.split('/');
  return parts.at(-2) ?? parts[0]!;
}

/** Asynchronous invocations are retried twice (Lambda's maximum) within six hours, then go to `onFailure`. */
const ASYNC_MAX_EVENT_AGE = Duration.hours(6);

/**
 * A Node 22 / arm64 Lambda with the project's defaults in one place: ESM bundle built by
 * local esbuild with source maps (and NODE_OPTIONS to use them), X-Ray tracing, Powertools
 * settings (service name, metrics namespace, log level), a retained log group, its own
 * least-privilege role (no AWS managed policies; callers add statements with
 * `role.addToPrincipalPolicy`) and, with `onFailure`, the asynchronous retry policy.
 */
export class PbrFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** POWERTOOLS_SERVICE_NAME: the handler's folder name. */
  readonly serviceName: string;
  readonly timeout: Duration;

  constructor(scope: Construct, id: string, props: PbrFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role for ${props.description}`,
    });
    this.logGroup.grantWrite(this.role);
    this.serviceName = serviceNameOf(props.entry);
    this.timeout = props.timeout ?? Duration.seconds(30);
    const logLevel = String(this.node.tryGetContext(LOG_LEVEL_CONTEXT) ?? 'INFO').toUpperCase();
    if (!LOG_LEVELS.includes(logLevel)) throw new Error(`context ${LOG_LEVEL_CONTEXT} must be one of ${LOG_LEVELS.join(', ')}`);
    const powertools = {
      POWERTOOLS_SERVICE_NAME: this.serviceName,
      POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(Stack.of(this)),
      POWERTOOLS_LOG_LEVEL: logLevel,
    };

    this.fn = new NodejsFunction(this, 'Function', {
      entry: join(REPO_ROOT, props.entry),
      handler: 'handler',
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      projectRoot: REPO_ROOT,
      description: props.description,
      environment: { ...props.environment, ...powertools, NODE_OPTIONS: '--enable-source-maps', [CODE_VERSION_ENV]: CODE_VERSION },
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 1024,
      timeout: this.timeout,
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      role: this.role,
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        mainFields: ['module', 'main'],
        // CJS dependencies bundled into ESM still call require(); give them one.
        banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
        forceDockerBundling: false,
      },
    });

    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Node.js 22 is pinned on purpose: it is the single Node major for dev, CI and Lambda (package.json engines); upgrade all three together.',
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions.',
    });
    if (props.onFailure) this.sendFailuresTo(props.onFailure);
  }

  /** The retry policy of asynchronous invocations, then the on-failure destination. */
  private sendFailuresTo(target: PbrFunction | sqs.IQueue): void {
    // Either destination grants this role what it needs: lambda:InvokeFunction on the function (and its
    // versions), or sqs:SendMessage (with GetQueueAttributes, GetQueueUrl) on the queue.
    const onFailure = target instanceof PbrFunction ? new LambdaDestination(target.fn) : new SqsDestination(target);
    this.fn.configureAsyncInvoke({ retryAttempts: ASYNC_RETRY_ATTEMPTS, maxEventAge: ASYNC_MAX_EVENT_AGE, onFailure });
    if (target instanceof PbrFunction) {
      const targetId = Stack.of(this).getLogicalId(target.fn.node.defaultChild as lambda.CfnFunction);
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${targetId}.Arn>:*]`,
        reason: `The on-failure destination may invoke ${target.node.id} and its versions (ARN:*); it reaches no other function.`,
      });
    }
  }
}
