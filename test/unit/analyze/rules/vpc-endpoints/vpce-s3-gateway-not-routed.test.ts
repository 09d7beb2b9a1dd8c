import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/vpc-endpoints/vpce-s3-gateway-not-routed.ts';
import type { RegionInventory } from '../../../../../src/inventory/schema.ts';
import {
  domain,
  endpoint,
  gap,
  notebook,
  privateVpc,
  route,
  routeTable,
  subnet,
  trainingJob,
} from '../../../../fixtures/endpoints.ts';
import { failed, ids, run, scope } from '../../../../fixtures/inventory.ts';

const s3 = (routeTableIds: string[], extra = {}) =>
  endpoint('vpce-s3', 's3', 'Gateway', { routeTableIds, ...extra });
const job = (subnets = ['subnet-a'], extra = {}) => trainingJob('train-1', subnets, extra);

describe('vpce-s3-gateway-not-routed', () => {
  describe('non-compliant', () => {
    it('fails on the explicit route table of an ML subnet, naming the endpoint, subnet, resource and NAT path', () => {
      // Prepare
      const s = scope({
        ...privateVpc({ a: [route('0.0.0.0/0', 'natGateway', 'nat-1')] }),
        vpcEndpoints: [s3(['rtb-main'])],
        trainingJobs: [job()],
      });
      // Act
      const findings = run(rule, s);
      // Assess
      expect(ids(findings)).toEqual(['rtb-a']);
      expect(findings[0]).toMatchObject({
        severity: 'MEDIUM',
        resource: {
          type: 'AWS::EC2::RouteTable',
          arn: 'arn:aws:ec2:us-east-1:111122223333:route-table/rtb-a',
        },
        message:
          'Route table rtb-a of ML subnet subnet-a (training job train-1) is not associated with S3 gateway endpoint vpce-s3: S3 traffic from them leaves by NAT gateway nat-1 (0.0.0.0/0).',
        evidence: {
          vpcId: 'vpc-1',
          mainTableFallback: false,
          mlSubnets: [{ subnetId: 'subnet-a', resources: ['train-1'] }],
          s3PathInstead: { targetId: 'nat-1' },
        },
      });
      expect(findings[0]?.remediation).toContain('--vpc-endpoint-id vpce-s3 --add-route-table-ids rtb-a');
    });

    it("fails on the VPC's main table for a subnet with no explicit association, and says S3 is unreachable", () => {
      const s = scope({
        ...privateVpc(),
        vpcEndpoints: [s3(['rtb-a'])],
        notebookInstances: [notebook('nb-b', 'subnet-b')],
      });
      const [f] = failed(run(rule, s));
      expect(f?.resource.id).toBe('rtb-main');
      expect(f?.message).toBe(
        'Route table rtb-main (main table of vpc-1) of ML subnet subnet-b (notebook instance nb-b) is not associated with S3 gateway endpoint vpce-s3: they have no other path to S3 (no internet egress).',
      );
      expect(f?.evidence).toMatchObject({ mainTableFallback: true, s3PathInstead: null });
    });

    it.each<[string, Partial<RegionInventory>]>([
      [
        'an isolated training job (SageMaker moves its S3 data through the VPC)',
        { trainingJobs: [job(['subnet-a'], { enableNetworkIsolation: true })] },
      ],
      ['a VpcOnly Studio domain', { sagemakerDomains: [domain('d-1', ['subnet-a'])] }],
      [
        'a second S3 gateway endpoint that is deleted',
        {
          vpcEndpoints: [
            s3([]),
            endpoint('vpce-old', 's3', 'Gateway', { routeTableIds: ['rtb-a'], state: 'deleted' }),
          ],
          trainingJobs: [job()],
        },
      ],
    ])('fails for %s', (_, fill) => {
      expect(ids(run(rule, scope({ ...privateVpc(), vpcEndpoints: [s3([])], ...fill })))).toEqual(['rtb-a']);
    });

    it('reports one finding per route table, grouping its ML subnets and resources', () => {
      // Prepare: subnet-c shares rtb-a with subnet-a.
      const base = privateVpc();
      const s = scope({
        ...base,
        subnets: [...(base.subnets ?? []), subnet('subnet-c', 'vpc-1', 'us-east-1c')],
        routeTables: [
          routeTable('rtb-a', { subnets: ['subnet-a', 'subnet-c'] }),
          routeTable('rtb-main', { main: true }),
        ],
        vpcEndpoints: [s3(['rtb-main'])],
        trainingJobs: [job(['subnet-a', 'subnet-c']), trainingJob('train-2', ['subnet-c'])],
      });
      // Act
      const findings = failed(run(rule, s));
      // Assess
      expect(findings).toHaveLength(1);
      expect(findings[0]?.message).toContain(
        'ML subnets subnet-a and subnet-c (training job train-1 and training job train-2)',
      );
    });
  });

  describe('compliant', () => {
    it.each<[string, Partial<RegionInventory>]>([
      [
        'the ML route table associated with the endpoint',
        { vpcEndpoints: [s3(['rtb-a'])], trainingJobs: [job()] },
      ],
      [
        'the ML route table associated with a second S3 gateway endpoint of the VPC',
        {
          vpcEndpoints: [
            s3(['rtb-main']),
            endpoint('vpce-s3-2', 's3', 'Gateway', { routeTableIds: ['rtb-a'] }),
          ],
          trainingJobs: [job()],
        },
      ],
      [
        'the table holding the prefix-list route to the endpoint',
        {
          ...privateVpc({ a: [route('pl-s3', 'vpcEndpoint', 'vpce-s3')] }),
          vpcEndpoints: [s3([])],
          trainingJobs: [job()],
        },
      ],
      [
        'no S3 gateway endpoint in the VPC',
        { vpcEndpoints: [endpoint('vpce-s3i', 's3', 'Interface')], trainingJobs: [job()] },
      ],
      [
        'an S3 gateway endpoint in another VPC',
        { vpcEndpoints: [s3([], { vpcId: 'vpc-2' })], trainingJobs: [job()] },
      ],
      [
        'a DynamoDB gateway endpoint',
        { vpcEndpoints: [endpoint('vpce-ddb', 'dynamodb', 'Gateway')], trainingJobs: [job()] },
      ],
      ['a route table only non-ML subnets use', { vpcEndpoints: [s3(['rtb-a'])], trainingJobs: [job()] }],
      [
        'a notebook with direct internet access (its S3 traffic does not use the VPC)',
        {
          vpcEndpoints: [s3([])],
          notebookInstances: [notebook('nb-direct', 'subnet-a', { directInternetAccess: 'Enabled' })],
        },
      ],
      [
        'an ML subnet whose route table is unknown',
        { vpcEndpoints: [s3([])], trainingJobs: [trainingJob('t', ['subnet-gone'])] },
      ],
    ])('passes for %s', (_, fill) => {
      expect(ids(run(rule, scope({ ...privateVpc(), ...fill })))).toEqual([]);
    });
  });

  it('is NOT_EVALUATED for the scope when route tables could not be read', () => {
    const findings = run(
      rule,
      scope({ ...privateVpc(), vpcEndpoints: [s3([])], trainingJobs: [job()], gaps: [gap('routeTables')] }),
    );
    expect(findings.map((f) => [f.status, f.resource.type])).toEqual([['NOT_EVALUATED', 'AWS::Region']]);
  });
});
