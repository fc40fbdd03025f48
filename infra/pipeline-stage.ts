import { type CfnElement, Names } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * A stage of the pipeline (storage, ingest, inputs, recalculation): a construct
 * that names a group of resources in the construct tree but not in their logical
 * ids. Its resources keep the ids they had when the stack created them directly
 * (PbrStack leaves stages out of logical ids, see {@link logicalIdWithoutStages}),
 * because a new logical id makes CloudFormation replace a deployed table, bucket,
 * queue, function or log group.
 */
export class PipelineStage extends Construct {}

/**
 * The logical id CDK would give `element` if no PipelineStage were on its path;
 * undefined when none is (then the stack's default applies). Computed by CDK's
 * own algorithm (Names.uniqueId) on a detached copy of the shortened path.
 */
export function logicalIdWithoutStages(element: CfnElement): string | undefined {
  const scopes = element.node.scopes.slice(element.node.scopes.indexOf(element.stack) + 1);
  if (!scopes.some((scope) => scope instanceof PipelineStage)) return undefined;
  let copy = new Construct(undefined as never, '');
  for (const scope of scopes) if (!(scope instanceof PipelineStage)) copy = new Construct(copy, scope.node.id);
  return Names.uniqueId(copy);
}
