import { Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { INPUT_FILTERS } from '../shared/uploads/input-key.ts';
import { PbrFunction } from './pbr-function.ts';
import { PipelineStage } from './pipeline-stage.ts';
import type { Storage } from './storage.ts';

/**
 * Stage 2, contracts and rosters: S3 notifications for `contracts/P.json` and
 * `rosters/P.csv` invoke the accept-input function, which validates the upload
 * and stores it in the table (or records why not). Failures after the retries go
 * to the ingest stage's failure function, like timesheets.
 */
export class InputsStage extends PipelineStage {
  readonly acceptInputFunction: PbrFunction;

  constructor(scope: Construct, id: string, props: { storage: Storage; onFailure: PbrFunction }) {
    super(scope, id);
    const { storage } = props;

    this.acceptInputFunction = new PbrFunction(this, 'AcceptInput', {
      entry: 'functions/accept-input/handler.ts',
      description: 'Validate uploaded contracts and rosters',
      timeout: Duration.minutes(1),
      environment: { TABLE_NAME: storage.table.tableName, PSEUDONYM_SECRET_ARN: storage.pseudonymKey.secretArn },
      onFailure: props.onFailure,
    });
    storage.grant(this.acceptInputFunction, {
      read: INPUT_FILTERS.map(({ prefix }) => prefix),
      table: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      secret: true,
    });
    storage.notify(this.acceptInputFunction, INPUT_FILTERS);
  }
}
