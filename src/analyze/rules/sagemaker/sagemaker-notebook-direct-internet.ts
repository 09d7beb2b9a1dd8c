import { z } from 'zod';
import { notebookResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';

export default defineRule({
  meta: {
    id: 'sagemaker-notebook-direct-internet',
    title: 'Notebook instance has direct internet access',
    severity: 'HIGH',
    category: 'sagemaker',
    rationale:
      "With direct internet access, the notebook's traffic reaches the internet through SageMaker's own network, whatever its subnet: the VPC's security groups, NACLs, NAT and Network Firewall never see it, so data can leave and code can be pulled from anywhere.",
    remediation:
      'Recreate the notebook with DirectInternetAccess Disabled in a private subnet; give it internet access, if needed, through a NAT gateway behind AWS Network Firewall, and VPC endpoints for AWS APIs.',
    references: ['FSBP SageMaker.1'],
    docs: `Fails for each notebook instance whose \`DirectInternetAccess\` is \`Enabled\` (also when the field is absent: Enabled is the API's default). Setting it to Disabled requires a subnet; the setting cannot be changed after creation.

Does not fail: a notebook with DirectInternetAccess Disabled, wherever its subnet routes (see subnet-ml-public for that).`,
    needs: ['notebookInstances'],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    return scope.notebookInstances
      .filter((nb) => (nb.directInternetAccess ?? 'Enabled') === 'Enabled')
      .map((nb) => ({
        resource: notebookResource(scope, nb),
        message: `Notebook instance ${nb.notebookInstanceName} has DirectInternetAccess ${nb.directInternetAccess ? 'Enabled' : 'unset (defaults to Enabled)'}: its traffic reaches the internet through SageMaker's network${nb.subnetId ? `, bypassing the controls of ${nb.subnetId}` : ''}.`,
        evidence: {
          directInternetAccess: nb.directInternetAccess ?? null,
          subnetId: nb.subnetId ?? null,
          securityGroups: nb.securityGroups,
          status: nb.status ?? null,
        },
      }));
  },
});
