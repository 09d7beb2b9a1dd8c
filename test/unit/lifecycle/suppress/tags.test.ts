import { describe, expect, it } from 'vitest';
import {
  firewallResource,
  notebookResource,
  resourceOfKind,
  securityGroupResource,
  userProfileResource,
} from '../../../../src/analyze/engine/resources.ts';
import { emptyRegionInventory, type RegionInventory } from '../../../../src/inventory/schema.ts';
import { hashTagValue } from '../../../../src/inventory/tags.ts';
import { inventoryTags } from '../../../../src/lifecycle/suppress/tags.ts';

const ACCOUNT = '111122223333';
const TEAM = { team: hashTagValue('ml') };

function scope(fill: Partial<RegionInventory>, account = ACCOUNT, region = 'us-east-1'): RegionInventory {
  return { ...emptyRegionInventory(account, region), ...fill };
}

const sg = { groupId: 'sg-1', groupName: 'web', rules: [], tags: TEAM };
const notebook = {
  notebookInstanceName: 'Churn-NB',
  notebookInstanceArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:notebook-instance/Churn-NB`,
  securityGroups: [],
  tags: TEAM,
};
const east = scope({
  securityGroups: [sg, { groupId: 'sg-unread', groupName: 'x', rules: [] }],
  notebookInstances: [notebook],
  sagemakerUserProfiles: [{ domainId: 'd-1', userProfileName: 'bob', tags: {} }],
  models: [{ modelName: 'churn', enableNetworkIsolation: false, imageUris: [], tags: TEAM }],
  endpoints: [{ endpointName: 'churn' }],
  natGateways: [
    {
      natGatewayId: 'nat-1',
      vpcId: 'v',
      subnetId: 's',
      state: 'available',
      publicIps: [],
      privateIps: [],
      tags: TEAM,
    },
  ],
  firewalls: [
    {
      firewallName: 'fw',
      firewallArn: `arn:aws:network-firewall:us-east-1:${ACCOUNT}:firewall/fw`,
      subnetMappings: [],
      firewallPolicyArn: 'p',
      deleteProtection: false,
      subnetChangeProtection: false,
      firewallPolicyChangeProtection: false,
      endpoints: [],
      tags: TEAM,
    },
  ],
});
const tagsOf = inventoryTags({ regions: [east, scope({}, '444455556666'), scope({}, ACCOUNT, 'eu-west-1')] });
const at = (resource: ReturnType<typeof resourceOfKind>, account = ACCOUNT, region = 'us-east-1') =>
  tagsOf({ account, region, resource });

describe('inventoryTags', () => {
  it('finds the tags of a resource as findings name it, by its ARN', () => {
    expect(at(securityGroupResource(east, sg))).toEqual(TEAM);
    expect(at(notebookResource(east, notebook))).toEqual(TEAM);
    expect(at(firewallResource(east.firewalls[0]!))).toEqual(TEAM);
    expect(at(userProfileResource(east, east.sagemakerUserProfiles[0]!))).toEqual({});
  });

  it('falls back to type and id when a finding builds another ARN for the same resource', () => {
    // resourceOfKind lower-cases the name into the ARN; the API's ARN kept its case.
    const named = resourceOfKind(east, 'notebookInstances', 'Churn-NB');
    expect(named.arn).not.toBe(notebook.notebookInstanceArn);
    expect(at(named)).toEqual(TEAM);
  });

  it('keeps kinds that share a name apart (a model and an endpoint both "churn")', () => {
    expect(at(resourceOfKind(east, 'models', 'churn'))).toEqual(TEAM);
    expect(at(resourceOfKind(east, 'endpoints', 'churn'))).toBeUndefined();
  });

  it('names EC2 kinds no rule reports on yet by their EC2 ARN', () => {
    expect(
      at({
        type: 'AWS::EC2::NatGateway',
        id: 'nat-1',
        arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:natgateway/nat-1`,
      }),
    ).toEqual(TEAM);
  });

  it('gives nothing for tags not read, and nothing across accounts or regions', () => {
    const unread = { type: 'AWS::EC2::SecurityGroup', id: 'sg-unread', arn: 'arn:x' };
    expect(at(unread)).toBeUndefined();
    expect(at(securityGroupResource(east, sg), '444455556666')).toBeUndefined();
    expect(
      at({ ...securityGroupResource(east, sg), arn: 'arn:elsewhere' }, ACCOUNT, 'eu-west-1'),
    ).toBeUndefined();
    expect(at({ type: 'AWS::Region', id: `${ACCOUNT}/us-east-1`, arn: 'arn:region' })).toBeUndefined();
  });
});
