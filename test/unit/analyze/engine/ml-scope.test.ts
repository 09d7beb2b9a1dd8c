import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../../src/analyze/engine/finding.ts';
import type { ScopeMode } from '../../../../src/analyze/engine/ml-scope.ts';
import { auditRules } from '../../../../src/analyze/engine/run.ts';
import { resolveRuleRuns } from '../../../../src/analyze/engine/selection.ts';
import type { CoverageGap, RegionInventory } from '../../../../src/inventory/schema.ts';
import { entry, ingress, inventory, nacl, scope, sg } from '../../../fixtures/inventory.ts';
import { kindGap, notebook, peering, subnet, trainingJob, vpc } from '../../../fixtures/network.ts';
import { firewall, nfwArn, policy } from '../../../fixtures/network-firewall.ts';

const RULES = [
  'nacl-world-ingress-all',
  'sg-world-ingress-admin-port',
  'nfw-logging-disabled',
  'nfw-policy-no-rule-groups',
  'audit-coverage-gap',
];
const runs = resolveRuleRuns({ rules: RULES, ruleOptions: {} });

function audit(mode: ScopeMode, ...scopes: RegionInventory[]) {
  return auditRules(inventory(...scopes), runs, mode);
}

const failing = (findings: Finding[], ruleId: string) =>
  findings
    .filter((f) => f.ruleId === ruleId && f.status === 'FAIL')
    .map((f) => `${f.region} ${f.resource.id}`)
    .sort();

/** A VPC with an open default NACL and an SSH-open group: account hygiene findings of its own. */
function openVpc(vpcId: string, n: number) {
  return {
    vpcs: [vpc(vpcId)],
    subnets: [subnet(`subnet-${n}`, vpcId)],
    networkAcls: [
      nacl(`acl-${n}`, [entry(100, 'allow', '-1', '0.0.0.0/0')], {
        vpcId,
        isDefault: true,
        associatedSubnetIds: [`subnet-${n}`],
      }),
    ],
    securityGroups: [
      sg(`sg-${n}`, [ingress({ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' })], {
        vpcId,
      }),
    ],
  };
}

function merge(...parts: Partial<RegionInventory>[]): Partial<RegionInventory> {
  const out: Record<string, unknown[]> = {};
  for (const p of parts)
    for (const [k, v] of Object.entries(p)) out[k] = [...(out[k] ?? []), ...(v as unknown[])];
  return out as Partial<RegionInventory>;
}

describe('the ml scope leaves out findings about VPCs without ML', () => {
  it('reports the default NACL and open group of the ML VPC, not those of a VPC without ML', () => {
    // Prepare: vpc-ml holds a notebook, vpc-default holds nothing ML.
    const east = scope(
      merge(openVpc('vpc-ml', 1), openVpc('vpc-default', 2), {
        notebookInstances: [notebook('nb', 'subnet-1')],
      }),
    );
    // Act
    const ml = audit('ml', east);
    const account = audit('account', east);
    // Assess
    expect(failing(ml.findings, 'nacl-world-ingress-all')).toEqual(['us-east-1 acl-1']);
    expect(failing(ml.findings, 'sg-world-ingress-admin-port')).toEqual(['us-east-1 sg-1']);
    expect(ml.outOfScope).toBe(2);
    expect(failing(account.findings, 'nacl-world-ingress-all')).toEqual([
      'us-east-1 acl-1',
      'us-east-1 acl-2',
    ]);
    expect(account.outOfScope).toBe(0);
  });

  it('reports nothing from a region that holds no ML resource, but keeps its coverage gaps', () => {
    // Prepare
    const west = scope(
      merge(openVpc('vpc-w', 3), { gaps: [kindGap('flowLogs', 'DescribeFlowLogs')] }),
      'us-west-2',
    );
    const east = scope(merge(openVpc('vpc-ml', 1), { notebookInstances: [notebook('nb', 'subnet-1')] }));
    // Act
    const { findings } = audit('ml', east, west);
    // Assess
    expect(findings.filter((f) => f.region === 'us-west-2').map((f) => f.ruleId)).toEqual([
      'audit-coverage-gap',
    ]);
  });

  it('keeps the VPC peered with an ML VPC (its findings are on the ML path), in its own region too', () => {
    // Prepare: vpc-ml (us-east-1) peers with vpc-peer (us-east-1) and vpc-far (us-west-2).
    const toFar = peering(
      'pcx-far',
      { vpcId: 'vpc-ml', cidrBlocks: ['10.0.0.0/16'] },
      { vpcId: 'vpc-far', cidrBlocks: ['10.2.0.0/16'] },
    );
    toFar.accepterVpc.region = 'us-west-2';
    const east = scope(
      merge(openVpc('vpc-ml', 1), openVpc('vpc-peer', 2), openVpc('vpc-lone', 4), {
        trainingJobs: [trainingJob('t', ['subnet-1'])],
        vpcPeeringConnections: [
          peering(
            'pcx-1',
            { vpcId: 'vpc-ml', cidrBlocks: ['10.0.0.0/16'] },
            { vpcId: 'vpc-peer', cidrBlocks: ['10.1.0.0/16'] },
          ),
          toFar,
        ],
      }),
    );
    const west = scope(merge(openVpc('vpc-far', 3), { vpcPeeringConnections: [toFar] }), 'us-west-2');
    // Act
    const { findings } = audit('ml', east, west);
    // Assess
    expect(failing(findings, 'nacl-world-ingress-all')).toEqual([
      'us-east-1 acl-1',
      'us-east-1 acl-2',
      'us-west-2 acl-3',
    ]);
  });

  it('ignores a peering connection that was rejected or deleted', () => {
    // Prepare
    const dead = {
      ...peering(
        'pcx-1',
        { vpcId: 'vpc-ml', cidrBlocks: ['10.0.0.0/16'] },
        { vpcId: 'vpc-peer', cidrBlocks: ['10.1.0.0/16'] },
      ),
      status: 'deleted',
    };
    const east = scope(
      merge(openVpc('vpc-ml', 1), openVpc('vpc-peer', 2), {
        notebookInstances: [notebook('nb', 'subnet-1')],
        vpcPeeringConnections: [dead],
      }),
    );
    // Act / Assess
    expect(failing(audit('ml', east).findings, 'nacl-world-ingress-all')).toEqual(['us-east-1 acl-1']);
  });

  it('keeps a firewall in an ML VPC and its policy, and leaves out those of a VPC without ML', () => {
    // Prepare: neither firewall logs, neither policy has rule groups.
    const east = scope(
      merge(openVpc('vpc-ml', 1), openVpc('vpc-other', 2), {
        notebookInstances: [notebook('nb', 'subnet-1')],
        firewalls: [
          firewall('fw-ml', {
            vpcId: 'vpc-ml',
            logging: { destinations: [] },
            firewallPolicyArn: nfwArn('firewall-policy', 'ml-pol'),
          }),
          firewall('fw-other', {
            vpcId: 'vpc-other',
            logging: { destinations: [] },
            firewallPolicyArn: nfwArn('firewall-policy', 'other-pol'),
          }),
        ],
        firewallPolicies: [policy('ml-pol'), policy('other-pol')],
      }),
    );
    // Act
    const ml = audit('ml', east).findings;
    const account = audit('account', east).findings;
    // Assess
    expect(failing(ml, 'nfw-logging-disabled')).toEqual(['us-east-1 fw-ml']);
    expect(failing(ml, 'nfw-policy-no-rule-groups')).toEqual(['us-east-1 ml-pol']);
    expect(failing(account, 'nfw-policy-no-rule-groups')).toEqual([
      'us-east-1 ml-pol',
      'us-east-1 other-pol',
    ]);
  });
});

describe('the ml scope never drops what was not proven out of scope', () => {
  const denied = (kind: CoverageGap['kind'], resourceId?: string): CoverageGap => ({
    ...kindGap(kind),
    service: 'sagemaker',
    ...(resourceId ? { resourceId } : {}),
  });

  it('keeps every VPC of a region whose notebooks could not be listed', () => {
    // Prepare
    const east = scope(
      merge(openVpc('vpc-a', 1), openVpc('vpc-b', 2), { gaps: [denied('notebookInstances')] }),
    );
    // Act
    const { findings, outOfScope } = audit('ml', east);
    // Assess
    expect(failing(findings, 'nacl-world-ingress-all')).toEqual(['us-east-1 acl-1', 'us-east-1 acl-2']);
    expect(outOfScope).toBe(0);
  });

  it('keeps every VPC of a region where one training job could not be described', () => {
    // Prepare
    const east = scope(merge(openVpc('vpc-a', 1), { gaps: [denied('trainingJobs', 'job-x')] }));
    // Act / Assess
    expect(failing(audit('ml', east).findings, 'nacl-world-ingress-all')).toEqual(['us-east-1 acl-1']);
  });

  it("keeps every VPC of a region where an ML resource's subnet is unknown (its VPC cannot be told)", () => {
    // Prepare: the job's subnet is not in the inventory.
    const east = scope(merge(openVpc('vpc-a', 1), { trainingJobs: [trainingJob('t', ['subnet-gone'])] }));
    // Act / Assess
    expect(failing(audit('ml', east).findings, 'nacl-world-ingress-all')).toEqual(['us-east-1 acl-1']);
  });

  it('keeps every VPC of a region whose peering connections could not be read while ML exists', () => {
    // Prepare: ML in us-east-1; us-west-2 could be peered with it.
    const east = scope(merge(openVpc('vpc-ml', 1), { notebookInstances: [notebook('nb', 'subnet-1')] }));
    const west = scope(
      merge(openVpc('vpc-w', 2), {
        gaps: [kindGap('vpcPeeringConnections', 'DescribeVpcPeeringConnections')],
      }),
      'us-west-2',
    );
    // Act / Assess
    expect(failing(audit('ml', east, west).findings, 'nacl-world-ingress-all')).toEqual([
      'us-east-1 acl-1',
      'us-west-2 acl-2',
    ]);
  });
});
