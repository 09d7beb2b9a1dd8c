import { z } from 'zod';
import { hostingByModel, servedByText } from '../../aws/sagemaker-hosting.ts';
import { modelResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';

export default defineRule({
  meta: {
    id: 'sagemaker-model-not-in-vpc',
    title: 'Model is not in a VPC',
    severity: 'MEDIUM',
    category: 'sagemaker',
    rationale:
      'A model without a VpcConfig runs its inference containers on SageMaker’s network: their outbound traffic (to S3, to other services, to the internet) is outside your security groups, VPC endpoint policies and Network Firewall, and absent from your flow logs.',
    remediation:
      'Create a new model with VpcConfig (CreateModel VpcConfig.Subnets and VpcConfig.SecurityGroupIds; the SageMaker Python SDK Model’s vpc_config={"Subnets": [...], "SecurityGroupIds": [...]}) in private subnets with S3 and ECR VPC endpoints, a new endpoint config that uses it, and UpdateEndpoint to that config.',
    references: ['Config sagemaker-model-in-vpc'],
    docs: `Fails for each model that has no \`VpcConfig\` (absent, or with no subnets and no groups). Every model the collector lists is checked, whether or not an endpoint serves it; the evidence names what hosts it.

Severity is lowered to LOW when the model has \`EnableNetworkIsolation\` true: its containers then have no network, and only SageMaker's own artifact and image downloads use its network.

Does not fail: a model with a VpcConfig, whatever its subnets' routes (see subnet-ml-public).

Cannot see: the VpcConfig of an endpoint config (inference components); only the model's own.`,
    needs: ['models'],
    // Only to say in the evidence which endpoints serve the model.
    optionalReads: ['endpoints', 'endpointConfigs'],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    const hosting = hostingByModel(scope);
    return scope.models
      .filter((m) => !m.vpcConfig)
      .map((m) => ({
        resource: modelResource(scope, m),
        ...(m.enableNetworkIsolation ? { severity: 'LOW' as const } : {}),
        message: m.enableNetworkIsolation
          ? `Model ${m.modelName}${servedByText(hosting.get(m.modelName))} has no VpcConfig: it is network-isolated, but its artifacts and images are fetched over SageMaker’s network rather than your VPC endpoints.`
          : `Model ${m.modelName}${servedByText(hosting.get(m.modelName))} has no VpcConfig and no network isolation: its containers reach the network through SageMaker’s network, outside your security groups and VPC endpoints.`,
        evidence: {
          vpcConfig: null,
          enableNetworkIsolation: m.enableNetworkIsolation,
          imageUris: m.imageUris,
          hostedBy: hosting.get(m.modelName) ?? [],
          ...(m.enableNetworkIsolation
            ? { severityReason: 'EnableNetworkIsolation is true: the containers themselves have no network.' }
            : {}),
        },
      }));
  },
});
