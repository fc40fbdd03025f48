import { CfnResource, Lazy, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** The logical id of the role whose ARN a function's `Role` property reads (`Fn::GetAtt`), if any. */
function roleLogicalId(fn: CfnResource): string | undefined {
  // L1 functions keep their properties camel-cased, CfnResources created raw (BucketNotificationsHandler) as given.
  const properties = (fn as unknown as { cfnProperties: Record<string, unknown> }).cfnProperties;
  const role = Stack.of(fn).resolve(properties.role ?? properties.Role) as { 'Fn::GetAtt'?: [string, string] } | undefined;
  return role?.['Fn::GetAtt']?.[0];
}

/**
 * aws-cdk-lib makes every Lambda function (ours, and its own singletons behind S3
 * notifications and the portal deployment) depend on its role explicitly, besides reading
 * the role's ARN; cfn-lint warns (W3005) that the DependsOn is redundant. This keeps each
 * function's other dependencies (its role's policy, which must exist before the first
 * invocation) and drops only the role, resolved at synth once every dependency is known.
 */
export function dropRedundantRoleDependencies(scope: IConstruct): void {
  const stack = Stack.of(scope);
  for (const construct of scope.node.findAll()) {
    if (!CfnResource.isCfnResource(construct) || construct.cfnResourceType !== 'AWS::Lambda::Function') continue;
    const fn = construct;
    fn.addOverride(
      'DependsOn',
      Lazy.any({
        produce: () => {
          const role = roleLogicalId(fn);
          const kept = fn
            .obtainDependencies()
            .filter((dependency) => CfnResource.isCfnResource(dependency))
            .map((dependency) => stack.resolve(dependency.logicalId) as string)
            .filter((id) => id !== role);
          return kept.length > 0 ? [...new Set(kept)].sort() : undefined;
        },
      }),
    );
  }
}
