import { z } from 'zod';
import { notebookResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';

export default defineRule({
  meta: {
    id: 'sagemaker-notebook-not-in-vpc',
    title: 'Notebook instance is not in a VPC',
    severity: 'HIGH',
    category: 'sagemaker',
    rationale:
      'A notebook instance created without a subnet runs on SageMaker’s own network with direct internet access: none of your security groups, network ACLs, VPC endpoints, endpoint policies or Network Firewall apply to it, and its traffic does not appear in your flow logs.',
    remediation:
      'Recreate the notebook instance (CreateNotebookInstance) with SubnetId set to a private subnet and SecurityGroupIds set, and DirectInternetAccess Disabled; the subnet cannot be added to an existing notebook. Move its data through S3 or a Git repository first.',
    references: ['FSBP SageMaker.2'],
    docs: `Fails for each notebook instance whose \`SubnetId\` is absent: it was created outside a VPC. Such a notebook always has direct internet access (SageMaker only accepts DirectInternetAccess Disabled with a subnet), which sagemaker-notebook-direct-internet reports too.

Does not fail: a notebook with a subnet, whatever that subnet's routes (see subnet-ml-public) and whatever its DirectInternetAccess (see sagemaker-notebook-direct-internet).

Evaluated for notebooks in every status (a stopped notebook keeps its network configuration when started).`,
    needs: ['notebookInstances'],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    return scope.notebookInstances
      .filter((nb) => !nb.subnetId)
      .map((nb) => ({
        resource: notebookResource(scope, nb),
        message: `Notebook instance ${nb.notebookInstanceName} has no SubnetId: it runs on SageMaker’s network with DirectInternetAccess ${nb.directInternetAccess ?? 'Enabled (default)'}, outside every security group, network ACL and VPC endpoint of your VPCs.`,
        evidence: {
          subnetId: null,
          securityGroups: nb.securityGroups,
          directInternetAccess: nb.directInternetAccess ?? null,
          status: nb.status ?? null,
          instanceType: nb.instanceType ?? null,
        },
      }));
  },
});
