import { type CfnElement, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../infra/app.ts';

/** Skip esbuild: the template shape does not depend on the bundle. */
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

describe('PbrStack', () => {
  let template: Template;
  let ingestRoleId: string;
  let queueId: string;

  beforeAll(() => {
    const { stack } = buildApp(NO_BUNDLING);
    template = Template.fromStack(stack);
    ingestRoleId = stack.getLogicalId(stack.ingestFunction.role.node.defaultChild as CfnElement);
    queueId = stack.getLogicalId(stack.failureQueue.node.defaultChild as CfnElement);
  });

  it('data bucket is versioned, encrypted, private, logged and retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: {
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: { DestinationBucketName: Match.anyValue() },
      },
    });
  });

  it('every bucket denies non-TLS requests', () => {
    template.resourceCountIs('AWS::S3::Bucket', 2);
    const policies = template.findResources('AWS::S3::BucketPolicy', {
      Properties: {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      },
    });
    expect(Object.keys(policies)).toHaveLength(2);
    // Log delivery is granted by bucket policy, not the legacy LogDeliveryWrite ACL.
    expect(template.findResources('AWS::S3::Bucket', { Properties: { AccessControl: Match.anyValue() } })).toEqual({});
  });

  it('table has pk/sk keys, on-demand billing, PITR and AWS-managed encryption', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      },
    });
  });

  it('pseudonym key is a generated 64-char secret', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64 }),
    });
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
  });

  it('ingest function runs Node 22 on arm64 with tracing and its environment', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: 1024,
      Timeout: 300,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogGroup: Match.anyValue() },
      Environment: {
        Variables: {
          TABLE_NAME: Match.anyValue(),
          BUCKET_NAME: Match.anyValue(),
          PSEUDONYM_SECRET_ARN: Match.anyValue(),
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
    });
  });

  it('log group keeps logs for a year', () => {
    template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 365 }, DeletionPolicy: 'Retain' });
  });

  it('S3 notifications: timesheets under reports/ to the ingest, contracts and rosters to their validation', () => {
    type Config = { Events: string[]; LambdaFunctionArn: { 'Fn::GetAtt': [string, string] }; Filter: { Key: { FilterRules: { Name: string; Value: string }[] } } };
    const [notifications] = Object.values(template.findResources('Custom::S3BucketNotifications'));
    const configs: Config[] = notifications.Properties.NotificationConfiguration.LambdaFunctionConfigurations;
    const filters = configs.map((c) => ({
      events: c.Events,
      target: c.LambdaFunctionArn['Fn::GetAtt'][0].replace(/Function[0-9A-F]{8}$/, ''),
      ...Object.fromEntries(c.Filter.Key.FilterRules.map((r) => [r.Name, r.Value])),
    }));
    expect(filters).toEqual([
      { events: ['s3:ObjectCreated:*'], target: 'Ingest', prefix: 'reports/', suffix: '.csv' },
      { events: ['s3:ObjectCreated:*'], target: 'Ingest', prefix: 'reports/', suffix: '.xlsx' },
      { events: ['s3:ObjectCreated:*'], target: 'AcceptInput', prefix: 'contracts/', suffix: '.json' },
      { events: ['s3:ObjectCreated:*'], target: 'AcceptInput', prefix: 'rosters/', suffix: '.csv' },
    ]);
  });

  it('a schedule on the 1st of each month, Copenhagen time, invokes the fan-out function', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 6 1 * ? *)',
      ScheduleExpressionTimezone: 'Europe/Copenhagen',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ScheduleRecalculationFunction'), 'Arn'] } }),
    });
  });

  it('recalculations fan out over an encrypted SQS queue with a dead-letter queue and partial batch failures', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 1800,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 3 },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^RecalculateStatementFunction') },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('async invocation retries twice and sends failures to the queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });

  it('stack outputs the names the CLI and operators need', () => {
    for (const name of ['BucketName', 'TableName', 'IngestFunctionName', 'FailureQueueUrl']) {
      template.hasOutput(name, {});
    }
  });

  describe('ingest role is least privilege', () => {
    let statements: Statement[];

    beforeAll(() => {
      const policies = template.findResources('AWS::IAM::Policy', {
        Properties: { Roles: [{ Ref: ingestRoleId }] },
      });
      statements = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
    });

    it('uses no managed policies', () => {
      const role = template.findResources('AWS::IAM::Role')[ingestRoleId];
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    });

    it('has no service-wide action wildcards', () => {
      const actions = statements.flatMap((s) => asArray(s.Action));
      expect(actions.length).toBeGreaterThan(0);
      for (const action of actions) expect(action).not.toMatch(/\*/);
    });

    it('reaches S3 objects only under reports/ (read) and results/ (write)', () => {
      const s3 = statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('s3:')));
      const byPrefix = (s: Statement) => JSON.stringify(s.Resource).match(/"\/(\w+)\/\*"/)?.[1];
      expect(s3.map((s) => [byPrefix(s), asArray(s.Action)])).toEqual([
        ['reports', ['s3:GetObject', 's3:GetObjectVersion']],
        ['results', ['s3:PutObject']],
      ]);
      for (const s of s3) expect(JSON.stringify(s.Resource)).toMatch(/"\/(reports|results)\/\*"\]\]\}$/);
    });

    it('touches DynamoDB and Secrets Manager with exact actions on single resources', () => {
      const of = (service: string) => statements.filter((s) => asArray(s.Action).some((a) => a.startsWith(`${service}:`)));
      expect(of('dynamodb')).toEqual([
        expect.objectContaining({
          Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem'],
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Table/), 'Arn'] },
        }),
      ]);
      expect(of('secretsmanager')).toEqual([
        expect.objectContaining({
          Action: 'secretsmanager:GetSecretValue',
          Resource: { Ref: expect.stringMatching(/^PseudonymKey/) },
        }),
      ]);
    });

    it('uses Resource "*" only for X-Ray', () => {
      const star = statements.filter((s) => s.Resource === '*');
      expect(star.flatMap((s) => asArray(s.Action))).toEqual(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']);
    });
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('synthesizes with zero unacknowledged findings', () => {
    const { app } = buildApp(NO_BUNDLING);
    // The plugin is registered by buildApp: any error-level finding makes synth throw.
    expect(() => app.synth()).not.toThrow();
    // Re-run the pack on the synthesized tree to catch warnings too, with a readable diff.
    const report = new AwsSolutionsChecks().validateScope(app);
    const findings = report.violations.map((v) => `${v.ruleName} @ ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
  });

  it('every acknowledgement is a known rule with a specific written reason', () => {
    const { app } = buildApp(NO_BUNDLING);
    const acks = app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .map(([id, reason]) => ({ id: id.replace(/^annotation::/i, ''), reason }));

    const ours = [...new Set(acks.map((a) => a.id).filter((id) => id.startsWith('AwsSolutions-')))];
    expect(ours.sort()).toEqual(
      [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-IAM5[Resource::<Data666C94C7.Arn>/contracts/*]',
        'AwsSolutions-IAM5[Resource::<Data666C94C7.Arn>/reports/*]',
        'AwsSolutions-IAM5[Resource::<Data666C94C7.Arn>/results/*]',
        'AwsSolutions-IAM5[Resource::<Data666C94C7.Arn>/rosters/*]',
        'AwsSolutions-IAM5[Resource::<Data666C94C7.Arn>/statements/*]',
        'AwsSolutions-IAM5[Resource::<ScheduleRecalculationFunctionB3CD1CF9.Arn>:*]',
        'AwsSolutions-L1',
        'AwsSolutions-S1',
        'AwsSolutions-SMG4',
        'AwsSolutions-SQS3',
      ].sort(),
    );
    for (const { id, reason } of acks) expect(reason.length, id).toBeGreaterThan(20);
  });
});
