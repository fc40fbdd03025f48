import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Aws, type CfnElement, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { PortalApi } from './api.ts';
import { IngestStage } from './ingest-stage.ts';
import { InputsStage } from './inputs-stage.ts';
import { REPO_ROOT } from './pbr-function.ts';
import { Operations } from './operations.ts';
import { logicalIdWithoutStages } from './pipeline-stage.ts';
import { Portal } from './portal.ts';
import { RecalculationStage } from './recalculation-stage.ts';
import { dropRedundantRoleDependencies } from './role-dependencies.ts';
import { Storage } from './storage.ts';

/** The portal's static files, deployed with a generated config.json. */
export const PORTAL_DIR = join(REPO_ROOT, 'portal');
/** Context key for the Cognito hosted UI domain prefix (unique per region); default `pbr-<account id>`. */
export const AUTH_DOMAIN_PREFIX_CONTEXT = 'pbr:authDomainPrefix';

/**
 * The whole pipeline, one construct per stage: storage (data bucket, table, pseudonym key);
 * ingest (timesheets under `reports/` → weekly hours in the table, validation JSON under
 * `results/`, failures recorded); inputs (contracts and rosters validated on arrival);
 * recalculation (on the 1st of each month one request per partnership over an SQS queue,
 * which publishes statements); the portal (S3 behind CloudFront), whose users sign in with
 * Cognito and call the API, which checks their token and reads statements and hours
 * (uploads go straight to S3); operations (alarms to an SNS topic, a dashboard, pipeline
 * events on EventBridge). Stateful resources are retained on stack deletion; each role
 * only reaches what it needs.
 */
export class PbrStack extends Stack {
  readonly storage: Storage;
  readonly ingest: IngestStage;
  readonly inputs: InputsStage;
  readonly recalculation: RecalculationStage;
  readonly portal: Portal;
  readonly api: PortalApi;
  readonly operations: Operations;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.storage = new Storage(this, 'Storage');
    this.ingest = new IngestStage(this, 'IngestStage', this.storage);
    this.inputs = new InputsStage(this, 'InputsStage', { storage: this.storage, onFailure: this.ingest.failureFunction });
    this.recalculation = new RecalculationStage(this, 'RecalculationStage', { storage: this.storage, announcers: [this.ingest.ingestFunction, this.inputs.acceptInputFunction] });

    const domainPrefix: string = this.node.tryGetContext(AUTH_DOMAIN_PREFIX_CONTEXT) ?? `pbr-${Aws.ACCOUNT_ID}`;
    const authUrl = `https://${domainPrefix}.auth.${this.region}.amazoncognito.com`;
    this.portal = new Portal(this, 'Portal', {
      accessLogs: this.storage.accessLogs,
      // Exact origins would make a cycle (the API and the data bucket name the portal origin for CORS).
      connectSources: [`https://*.execute-api.${this.region}.amazonaws.com`, `https://*.s3.${this.region}.amazonaws.com`, authUrl],
    });
    this.api = new PortalApi(this, 'Api', { storage: this.storage, portalUrl: this.portal.url, domainPrefix });
    this.deployPortal();
    this.operations = new Operations(this, 'Operations', {
      functions: [this.ingest.ingestFunction, this.ingest.failureFunction, this.inputs.acceptInputFunction, this.recalculation.recalculateFunction, this.recalculation.scheduleFunction, this.api.function],
      ingestFunction: this.ingest.ingestFunction,
      recalculateFunction: this.recalculation.recalculateFunction,
      announcers: [this.ingest.ingestFunction, this.recalculation.recalculateFunction],
      deadLetterQueues: { 'ingest failures': this.ingest.failureQueue, 'recalculation dead letters': this.recalculation.deadLetterQueue },
      api: this.api.httpApi,
    });
    this.addOutputs();
    dropRedundantRoleDependencies(this);
  }

  /** Resources inside a PipelineStage keep the logical ids they had before the stages existed (see PipelineStage). */
  protected override allocateLogicalId(element: CfnElement): string {
    return logicalIdWithoutStages(element) ?? super.allocateLogicalId(element);
  }

  /** The portal's files and a config.json that points them at the API and the user pool. */
  private deployPortal(): void {
    // Guarded so that synth still works in a checkout without portal/ (the bucket then stays empty).
    if (!existsSync(PORTAL_DIR)) {
      Annotations.of(this.portal).addWarningV2('pbr:portal-missing', `${PORTAL_DIR} not found: the portal bucket is deployed empty.`);
      return;
    }
    this.portal.deploy(PORTAL_DIR, {
      auth: 'cognito',
      apiUrl: this.api.url,
      cognito: { region: this.region, userPoolId: this.api.userPool.userPoolId, clientId: this.api.client.userPoolClientId, domain: this.api.domain.baseUrl(), tokenUse: 'id' },
    });
  }

  /** The names the CLI (`--bucket`, `--table`) and operators need. */
  private addOutputs(): void {
    new CfnOutput(this, 'BucketName', { value: this.storage.bucket.bucketName });
    new CfnOutput(this, 'TableName', { value: this.storage.table.tableName });
    new CfnOutput(this, 'IngestFunctionName', { value: this.ingest.ingestFunction.fn.functionName });
    new CfnOutput(this, 'FailureQueueUrl', { value: this.ingest.failureQueue.queueUrl });
    new CfnOutput(this, 'RecalculationQueueUrl', { value: this.recalculation.recalculationQueue.queueUrl });
    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'PortalUrl', { value: this.portal.url });
    new CfnOutput(this, 'UserPoolId', { value: this.api.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.api.client.userPoolClientId });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.operations.alarmTopic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: this.operations.dashboard.dashboardName });
  }
}
