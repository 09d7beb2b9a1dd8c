import { z } from 'zod';
import { regionArn } from '../../../inventory/arn.ts';
import {
  FALLBACK_TO_IP_PERMISSIONS,
  FALLBACK_TO_LIST_AND_DESCRIBE,
  TIME_BUDGET_EXCEEDED,
} from '../../../inventory/coverage.ts';
import type { RegionInventory } from '../../../inventory/schema.ts';
import { resourceOfKind } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';

function scopeResource(scope: RegionInventory) {
  return {
    type: 'AWS::Region',
    id: `${scope.account}/${scope.region}`,
    arn: regionArn(scope),
    name: scope.region,
  };
}

export default defineRule({
  meta: {
    id: 'audit-coverage-gap',
    title: 'Part of the account could not be audited',
    severity: 'MEDIUM',
    category: 'coverage',
    rationale:
      'A scanner that reports clean for what it could not read gives false assurance. Each call that failed is reported, and every rule that needed its data says NOT_EVALUATED for that scope.',
    remediation:
      'Grant the missing read-only action to the audit role (see the IAM policy in template.yaml), raise the time budget, or check that the service is available in the region; then run again.',
    references: [],
    docs: `Fails once per coverage gap: a collector call that failed with AccessDenied / UnauthorizedOperation, throttling past the SDK's adaptive retries, a timeout, an unparseable answer (an API the endpoint does not implement answers with HTML), or that was not reached before the time budget ran out (\`${TIME_BUDGET_EXCEEDED}\`). The evidence is the gap: service, operation, kind, resource (for a failed describe of one resource), error code and message.

Never passes silently: the rules that need the missing kind report NOT_EVALUATED for the scope (or for the one resource).

An **informational** gap is reported with severity INFO and makes no rule NOT_EVALUATED: the call failed but its data was read another way. Two kinds so far. When DescribeSecurityGroupRules fails, the rules are read from the groups' own \`IpPermissions\` / \`IpPermissionsEgress\` (DescribeSecurityGroups), which hold the same rules without their \`sgr-\` ids (error code \`${FALLBACK_TO_IP_PERMISSIONS}\`; the message keeps the original error). Findings then name rules without ids. When SageMaker \`Search\` is denied or unavailable (AccessDenied, UnknownOperation, a validation error for the resource), training jobs are read the old way, with ListTrainingJobs, one DescribeTrainingJob and one ListTags per job (error code \`${FALLBACK_TO_LIST_AND_DESCRIBE}\`): complete, at two calls per job instead of one per hundred.`,
    needs: [],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    return scope.gaps.map((gap) => {
      if (gap.informational) {
        return {
          resource: scopeResource(scope),
          key: `${gap.service}:${gap.operation}:${gap.kind}:${gap.resourceId ?? ''}`,
          severity: 'INFO' as const,
          message: `Informational: ${gap.service}:${gap.operation} in ${scope.account} ${scope.region}: ${gap.message}. ${gap.kind} are audited in full.`,
          evidence: { gap },
          remediation: `Grant ${gap.service}:${gap.operation} to the audit role (or fix what blocked it) ${
            gap.errorCode === FALLBACK_TO_LIST_AND_DESCRIBE
              ? 'to read them at one call per hundred instead of two per resource'
              : 'to get the rule ids back'
          }; nothing is unaudited meanwhile.`,
        };
      }
      const reached =
        gap.errorCode === TIME_BUDGET_EXCEEDED
          ? 'was not reached before the time budget ran out'
          : `failed (${gap.errorCode}: ${gap.message})`;
      return {
        resource: gap.resourceId ? resourceOfKind(scope, gap.kind, gap.resourceId) : scopeResource(scope),
        key: `${gap.service}:${gap.operation}:${gap.kind}:${gap.resourceId ?? ''}`,
        message: `${gap.service}:${gap.operation} ${reached} in ${scope.account} ${scope.region}${gap.resourceId ? ` for ${gap.resourceId}` : ''}: ${gap.kind} ${gap.resourceId ? 'for that resource are' : 'are'} not audited.`,
        evidence: { gap },
      };
    });
  },
});
