import { z } from 'zod';
import { hostingByModel, servedByText } from '../../aws/sagemaker-hosting.ts';
import { modelResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';

export default defineRule({
  meta: {
    id: 'sagemaker-model-no-network-isolation',
    title: 'Model runs without network isolation',
    severity: 'MEDIUM',
    category: 'sagemaker',
    rationale:
      'Without network isolation the inference container can open outbound connections, through the model’s VPC or, without a VpcConfig, SageMaker’s network. A compromised model artifact, dependency or container image can then exfiltrate request payloads or pull code at run time.',
    remediation:
      'Create a new model with EnableNetworkIsolation true (CreateModel; the SageMaker Python SDK Model’s enable_network_isolation=True), a new endpoint config that uses it, and UpdateEndpoint to that config. A model cannot be changed in place. Containers that need AWS APIs at run time cannot be isolated: put them in a VPC with VPC endpoints instead.',
    references: ['FSBP SageMaker.5'],
    docs: `Fails for each model whose \`EnableNetworkIsolation\` is false, or absent (false is the API's default). Every model the collector lists is checked, whether or not an endpoint serves it; the evidence names the endpoint configs, variants and endpoints that host it as far as the inventory shows.

Does not fail: a model with EnableNetworkIsolation true.

Cannot see: an endpoint config's own \`EnableNetworkIsolation\` (inference components) is not combined with the model's. Against moto, DescribeModel always answers EnableNetworkIsolation false, so every model fails there.`,
    needs: ['models'],
    // Only to say in the evidence which endpoints serve the model.
    optionalReads: ['endpoints', 'endpointConfigs'],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    const hosting = hostingByModel(scope);
    return scope.models
      .filter((m) => !m.enableNetworkIsolation)
      .map((m) => ({
        resource: modelResource(scope, m),
        message: `Model ${m.modelName}${servedByText(hosting.get(m.modelName))} has EnableNetworkIsolation false: its containers can open outbound connections ${m.vpcConfig ? `from ${m.vpcConfig.subnets.join(', ')} with ${m.vpcConfig.securityGroupIds.join(', ')}` : 'through SageMaker’s network (it has no VpcConfig)'}.`,
        evidence: {
          enableNetworkIsolation: m.enableNetworkIsolation,
          vpcConfig: m.vpcConfig ?? null,
          imageUris: m.imageUris,
          hostedBy: hosting.get(m.modelName) ?? [],
        },
      }));
  },
});
