import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/reachability/reach-ml-no-aws-api-path.ts';
import type { VpcEndpoint } from '../../../../../src/inventory/schema.ts';
import { ids, run, sg } from '../../../../fixtures/inventory.ts';
import { route } from '../../../../fixtures/network.ts';
import { referenceArchitecture, smallVpc } from '../../../../fixtures/reachability.ts';

const iface = (service: string): VpcEndpoint => ({
  vpcEndpointId: `vpce-${service.replace('.', '-')}`,
  vpcId: 'vpc-1',
  serviceName: `com.amazonaws.us-east-1.${service}`,
  vpcEndpointType: 'Interface',
  state: 'available',
  subnetIds: ['subnet-1'],
  groupIds: ['sg-vpce'],
  privateDnsEnabled: true,
  routeTableIds: [],
  networkInterfaceIds: [],
});
const vpceGroup = sg('sg-vpce', [
  { egress: false, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.0.0/16' },
]);
const nbGroup = [{ egress: true, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.0.0/16' }];

describe('reach-ml-no-aws-api-path', () => {
  describe('non-compliant', () => {
    it('fails with no route out and no endpoints, naming every missing service', () => {
      // Act
      const findings = run(rule, smallVpc({ routes: [] }));
      // Assess
      expect(ids(findings)).toEqual(['nb-1']);
      expect(findings[0]?.evidence.missing).toEqual(['sagemaker.api', 's3', 'sts', 'logs']);
    });

    it('fails when only some endpoints exist', () => {
      // Prepare
      const s = smallVpc({
        routes: [],
        sgRules: nbGroup,
        fill: { vpcEndpoints: [iface('sagemaker.api'), iface('sts')] },
      });
      s.securityGroups.push(vpceGroup);
      // Act
      const findings = run(rule, s);
      // Assess
      expect(findings[0]?.evidence.missing).toEqual(['s3', 'logs']);
    });

    it.each([
      ['no Allow statement', '{"Statement":[]}'],
      [
        'an unconditional Deny of everything',
        '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}',
      ],
    ])('fails when the logs endpoint policy allows nothing (%s): that endpoint is no path', (_, policy) => {
      // Prepare
      const endpoints = ['sagemaker.api', 's3', 'sts', 'logs'].map(iface);
      endpoints[3] = { ...endpoints[3]!, policyDocument: policy };
      const s = smallVpc({ routes: [], sgRules: nbGroup, fill: { vpcEndpoints: endpoints } });
      s.securityGroups.push(vpceGroup);
      // Act
      const findings = run(rule, s);
      // Assess
      expect(ids(findings)).toEqual(['nb-1']);
      expect(findings[0]?.evidence.missing).toEqual(['logs']);
      expect(findings[0]?.evidence.deniedByEndpointPolicy).toEqual([
        expect.objectContaining({ service: 'logs', endpointId: 'vpce-logs', policy: 'deny-all' }),
      ]);
    });
  });

  describe('compliant', () => {
    it('passes with an internet path on tcp/443', () => {
      // Act
      const findings = run(rule, smallVpc({ routes: [route('0.0.0.0/0', 'nat-1')] }));
      // Assess
      expect(ids(findings)).toEqual([]);
    });

    it('passes with every needed endpoint reachable privately', () => {
      // Prepare
      const s = smallVpc({
        routes: [],
        sgRules: nbGroup,
        fill: { vpcEndpoints: ['sagemaker.api', 's3', 'sts', 'logs'].map(iface) },
      });
      s.securityGroups.push(vpceGroup);
      // Act
      const findings = run(rule, s);
      // Assess
      expect(ids(findings)).toEqual([]);
    });

    it('passes when the endpoint policies are restricted or org-bounded (they still allow calls)', () => {
      // Prepare
      const endpoints = ['sagemaker.api', 's3', 'sts', 'logs'].map(iface);
      endpoints[1] = {
        ...endpoints[1]!,
        policyDocument:
          '{"Statement":[{"Effect":"Allow","Principal":"*","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::data/*"}]}',
      };
      endpoints[2] = {
        ...endpoints[2]!,
        policyDocument:
          '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]}',
      };
      const s = smallVpc({ routes: [], sgRules: nbGroup, fill: { vpcEndpoints: endpoints } });
      s.securityGroups.push(vpceGroup);
      // Act
      const findings = run(rule, s);
      // Assess
      expect(ids(findings)).toEqual([]);
    });

    it('passes for the seeds reference architecture', () => {
      // Act
      const findings = run(rule, referenceArchitecture());
      // Assess
      expect(ids(findings)).toEqual([]);
    });
  });
});
