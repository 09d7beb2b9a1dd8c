import { z } from 'zod';
import { regionArn } from '../../../inventory/arn.ts';
import { TIME_BUDGET_EXCEEDED } from '../../../inventory/coverage.ts';
import { resourceOfKind } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';

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

Never passes silently: the rules that need the missing kind report NOT_EVALUATED for the scope (or for the one resource).`,
    needs: [],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    return scope.gaps.map((gap) => {
      const reached =
        gap.errorCode === TIME_BUDGET_EXCEEDED
          ? 'was not reached before the time budget ran out'
          : `failed (${gap.errorCode}: ${gap.message})`;
      return {
        resource: gap.resourceId
          ? resourceOfKind(scope, gap.kind, gap.resourceId)
          : {
              type: 'AWS::Region',
              id: `${scope.account}/${scope.region}`,
              arn: regionArn(scope),
              name: scope.region,
            },
        key: `${gap.service}:${gap.operation}:${gap.kind}:${gap.resourceId ?? ''}`,
        message: `${gap.service}:${gap.operation} ${reached} in ${scope.account} ${scope.region}${gap.resourceId ? ` for ${gap.resourceId}` : ''}: ${gap.kind} ${gap.resourceId ? 'for that resource are' : 'are'} not audited.`,
        evidence: { gap },
      };
    });
  },
});
