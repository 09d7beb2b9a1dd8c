import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/vpc-endpoints/vpce-private-dns-disabled.ts';
import type { VpcEndpoint } from '../../../../../src/inventory/schema.ts';
import { endpoint, gap } from '../../../../fixtures/endpoints.ts';
import { ids, run, scope } from '../../../../fixtures/inventory.ts';

const dnsOff = (service: string, extra: Partial<VpcEndpoint> = {}) =>
  endpoint(`vpce-${service}`, service, 'Interface', { privateDnsEnabled: false, ...extra });

describe('vpce-private-dns-disabled', () => {
  describe('non-compliant', () => {
    it.each([
      ['sagemaker.api', 'api.sagemaker.us-east-1.amazonaws.com'],
      ['sagemaker.runtime', 'runtime.sagemaker.us-east-1.amazonaws.com'],
      ['sts', 'sts.us-east-1.amazonaws.com'],
      ['logs', 'logs.us-east-1.amazonaws.com'],
    ])('fails for a %s interface endpoint with private DNS off, naming the public host', (service, host) => {
      // Act
      const findings = run(rule, scope({ vpcEndpoints: [dnsOff(service)] }));
      // Assess
      expect(ids(findings)).toEqual([`vpce-${service}`]);
      expect(findings[0]).toMatchObject({
        severity: 'LOW',
        resource: { type: 'AWS::EC2::VPCEndpoint', id: `vpce-${service}` },
        message: `Interface endpoint vpce-${service} for ${service} in vpc-1 has private DNS disabled: SDK calls to ${host} from the VPC resolve to the public endpoint, not to vpce-${service}.`,
        evidence: { privateDnsEnabled: false, publicHostName: host },
      });
      expect(findings[0]?.remediation).toContain(`--vpc-endpoint-id vpce-${service} --private-dns-enabled`);
    });

    it.each([
      ['a FIPS endpoint', dnsOff('sts', { serviceName: 'com.amazonaws.us-east-1.sts-fips' })],
      ['an endpoint pending acceptance', dnsOff('logs', { state: 'pendingAcceptance' })],
      ['an endpoint without a state', dnsOff('logs', { state: undefined })],
    ])('fails for %s', (_, e) => {
      expect(ids(run(rule, scope({ vpcEndpoints: [e] })))).toEqual([e.vpcEndpointId]);
    });

    it('uses the China partition domain', () => {
      const e = dnsOff('sts', { serviceName: 'cn.com.amazonaws.cn-north-1.sts' });
      const s = { ...scope({ vpcEndpoints: [e] }, 'cn-north-1'), partition: 'aws-cn' };
      expect(run(rule, s)[0]?.message).toContain('sts.cn-north-1.amazonaws.com.cn');
    });

    it('honours a configured service list', () => {
      const s = scope({ vpcEndpoints: [dnsOff('ecr.api')] });
      expect(ids(run(rule, s))).toEqual([]);
      expect(ids(run(rule, s, { services: ['ecr.api'] }))).toEqual(['vpce-ecr.api']);
    });
  });

  describe('compliant', () => {
    it.each<[string, VpcEndpoint]>([
      ['private DNS on', endpoint('vpce-on', 'sagemaker.api', 'Interface', { privateDnsEnabled: true })],
      [
        'an S3 gateway endpoint (routes, not DNS)',
        endpoint('vpce-s3', 's3', 'Gateway', { privateDnsEnabled: false }),
      ],
      ['an interface endpoint of another service', dnsOff('ec2')],
      ['a notebook UI endpoint (not in the default list)', dnsOff('aws.sagemaker.us-east-1.notebook')],
      ['a deleted endpoint', dnsOff('sts', { state: 'deleted' })],
      ['an endpoint for another region', dnsOff('com.amazonaws.us-west-2.sts')],
    ])('passes for %s', (_, e) => {
      expect(run(rule, scope({ vpcEndpoints: [e] }))).toEqual([]);
    });
  });

  it('is NOT_EVALUATED for the scope when endpoints could not be read', () => {
    const findings = run(rule, scope({ vpcEndpoints: [dnsOff('sts')], gaps: [gap('vpcEndpoints')] }));
    expect(findings.map((f) => [f.status, f.resource.type])).toEqual([['NOT_EVALUATED', 'AWS::Region']]);
  });
});
