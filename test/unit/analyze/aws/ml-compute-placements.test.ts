/** The placements of the ML compute kinds and of endpoints with a network of their own. */
import { describe, expect, it } from 'vitest';
import { ScopeIndex } from '../../../../src/analyze/engine/scope-index.ts';
import { pathEngine } from '../../../../src/analyze/paths/engine.ts';
import { scope } from '../../../fixtures/inventory.ts';
import { endpointConfig, model, variant } from '../../../fixtures/sagemaker.ts';
import {
  bedrockJob,
  hyperPodCluster,
  monitoringSchedule,
  transformJob,
  tuningDefinition,
  tuningJob,
} from '../../../fixtures/sagemaker-compute.ts';

const VPC = { subnets: ['subnet-a'], securityGroupIds: ['sg-a'] };

function placements(fill: Parameters<typeof scope>[0]) {
  return new ScopeIndex(scope(fill)).mlPlacements().map((p) => ({
    kind: p.kind,
    id: p.resource.id,
    subnets: p.subnetIds,
    groups: p.securityGroupIds,
    isolated: p.networkIsolation,
    managed: p.sagemakerManagedInternet,
  }));
}

describe('ML compute placements', () => {
  it('places each training job definition of a multi-definition tuning job apart', () => {
    const got = placements({
      hyperParameterTuningJobs: [
        tuningJob('hpo', [
          tuningDefinition({ definitionName: 'a', vpcConfig: VPC }),
          tuningDefinition({ definitionName: 'b', enableNetworkIsolation: true }),
        ]),
      ],
    });
    expect(got).toEqual([
      {
        kind: 'tuningJob',
        id: 'hpo/a',
        subnets: ['subnet-a'],
        groups: ['sg-a'],
        isolated: false,
        managed: false,
      },
      { kind: 'tuningJob', id: 'hpo/b', subnets: [], groups: [], isolated: true, managed: false },
    ]);
  });

  it('places a transform job by its model, and not at all when its model is not in the inventory', () => {
    const got = placements({
      models: [model('m-1', { vpcConfig: VPC, enableNetworkIsolation: true })],
      transformJobs: [transformJob('tj-1', 'm-1'), transformJob('tj-2', 'm-gone')],
    });
    expect(got.filter((p) => p.kind === 'transformJob')).toEqual([
      {
        kind: 'transformJob',
        id: 'tj-1',
        subnets: ['subnet-a'],
        groups: ['sg-a'],
        isolated: true,
        managed: false,
      },
    ]);
  });

  it('places a HyperPod cluster in its VpcConfig and each overriding instance group in its own', () => {
    const got = placements({
      hyperPodClusters: [
        hyperPodCluster('hp', {
          vpcConfig: VPC,
          instanceGroups: [
            { instanceGroupName: 'ctl', instanceCount: 1 },
            {
              instanceGroupName: 'b',
              instanceCount: 4,
              overrideVpcConfig: { subnets: ['subnet-b'], securityGroupIds: ['sg-b'] },
            },
          ],
        }),
      ],
    });
    expect(got.map((p) => [p.id, p.subnets, p.groups])).toEqual([
      ['hp', ['subnet-a'], ['sg-a']],
      ['hp/b', ['subnet-b'], ['sg-b']],
    ]);
  });

  it('places a serverless endpoint on SageMaker’s network whatever its model says, and a component endpoint by its config', () => {
    const got = placements({
      models: [model('m-1', { vpcConfig: VPC })],
      endpointConfigs: [
        endpointConfig('cfg-sls', [variant('v', { modelName: 'm-1', serverless: true })]),
        { ...endpointConfig('cfg-ic', [variant('v', { modelName: undefined })]), vpcConfig: VPC },
        endpointConfig('cfg-rt', [variant('v', { modelName: 'm-1' })]),
      ],
      endpoints: [
        { endpointName: 'ep-sls', endpointConfigName: 'cfg-sls' },
        { endpointName: 'ep-ic', endpointConfigName: 'cfg-ic' },
        { endpointName: 'ep-rt', endpointConfigName: 'cfg-rt' },
      ],
    });
    expect(got.filter((p) => p.kind === 'endpoint')).toEqual([
      { kind: 'endpoint', id: 'ep-sls', subnets: [], groups: [], isolated: false, managed: true },
      {
        kind: 'endpoint',
        id: 'ep-ic',
        subnets: ['subnet-a'],
        groups: ['sg-a'],
        isolated: false,
        managed: false,
      },
    ]);
  });

  it('places only monitoring schedules that carry their job definition inline', () => {
    const got = placements({
      monitoringSchedules: [
        monitoringSchedule('by-name', { jobDefinitionName: 'dq' }),
        monitoringSchedule('inline', {
          inlineJob: {
            vpcConfig: VPC,
            enableNetworkIsolation: false,
            enableInterContainerTrafficEncryption: false,
            instanceCount: 1,
          },
        }),
      ],
    });
    expect(got.map((p) => [p.kind, p.id])).toEqual([['monitoringJob', 'inline']]);
  });

  it('says a Bedrock job without a vpcConfig reaches the internet through Bedrock’s network, not SageMaker’s', () => {
    const s = scope({ bedrockCustomizationJobs: [bedrockJob('ft-1')] });
    const index = new ScopeIndex(s);
    const [p] = index.mlPlacements();
    const reach = pathEngine(index).reach(p!);
    expect(reach.egress[0]?.hops[0]?.text).toBe(
      "Amazon Bedrock's own network (no vpcConfig), then the internet",
    );
  });
});
