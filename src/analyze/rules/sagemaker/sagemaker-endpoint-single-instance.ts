import { z } from 'zod';
import { endpointsByConfig } from '../../aws/sagemaker-hosting.ts';
import { endpointConfigResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';

export default defineRule({
  meta: {
    id: 'sagemaker-endpoint-single-instance',
    title: 'Endpoint production variant runs on a single instance',
    severity: 'MEDIUM',
    category: 'sagemaker',
    rationale:
      'A production variant with one instance has one point of failure: an instance failure, a host replacement or an Availability Zone outage takes the variant down. With two or more instances SageMaker spreads them across Availability Zones in the endpoint’s subnets.',
    remediation:
      'Create a new endpoint config with ProductionVariants[].InitialInstanceCount of 2 or more (in a VPC, give the model subnets in at least two Availability Zones) and UpdateEndpoint to it; or register the variant with Application Auto Scaling with a MinCapacity of 2.',
    references: ['FSBP SageMaker.4'],
    docs: `Fails for each endpoint config with at least one production variant whose \`InitialInstanceCount\` is 1. The resource is the endpoint config (as in FSBP SageMaker.4); the message names the variants, their instance types and the endpoints that use the config.

Does not fail: variants with two or more instances; serverless variants (\`ServerlessConfig\`); variants without an instance count (endpoints built from inference components).

Cannot see: Application Auto Scaling policies, which may keep more instances running than the config's initial count; shadow variants. Endpoint configs are read through the endpoints that use them, so a config no endpoint uses is not in a live inventory (a snapshot may hold one; it is checked too, with no endpoint named).`,
    needs: ['endpointConfigs', 'endpoints'],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    const endpoints = endpointsByConfig(scope);
    return scope.endpointConfigs.flatMap((c) => {
      const single = c.productionVariants.filter((v) => !v.serverless && v.initialInstanceCount === 1);
      if (single.length === 0) return [];
      const users = endpoints.get(c.endpointConfigName) ?? [];
      const variants = single.map(
        (v) =>
          `${v.variantName}${v.modelName ? ` (model ${v.modelName})` : ''} on one ${v.instanceType ?? 'instance'}`,
      );
      return [
        {
          resource: endpointConfigResource(scope, c),
          message: `Endpoint config ${c.endpointConfigName}${users.length ? `, used by endpoint${users.length > 1 ? 's' : ''} ${users.join(', ')},` : ' (used by no endpoint seen)'} runs production variant${single.length > 1 ? 's' : ''} ${variants.join(', ')}: one instance or Availability Zone failure takes ${single.length > 1 ? 'them' : 'it'} down.`,
          evidence: {
            endpoints: users,
            singleInstanceVariants: single.map((v) => ({
              variantName: v.variantName,
              modelName: v.modelName ?? null,
              instanceType: v.instanceType ?? null,
              initialInstanceCount: v.initialInstanceCount,
            })),
            variantCount: c.productionVariants.length,
          },
        },
      ];
    });
  },
});
