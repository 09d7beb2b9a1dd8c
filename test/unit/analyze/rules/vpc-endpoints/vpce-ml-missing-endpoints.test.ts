import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/vpc-endpoints/vpce-ml-missing-endpoints.ts';
import type { RegionInventory, VpcEndpoint } from '../../../../../src/inventory/schema.ts';
import {
  domain,
  ECR_IMAGE,
  endpoint,
  fullEndpoints,
  gap,
  mlGroup,
  notebook,
  privateVpc,
  route,
  trainingJob,
} from '../../../../fixtures/endpoints.ts';
import { failed, ids, run, scope } from '../../../../fixtures/inventory.ts';

const job = (extra = {}) => trainingJob('train-1', ['subnet-a'], extra);
const without = (service: string) => fullEndpoints().filter((e) => !e.serviceName.endsWith(`.${service}`));

function missing(fill: Partial<RegionInventory>, options = {}): string[] {
  const [finding, ...rest] = failed(run(rule, scope(fill), options));
  expect(rest).toHaveLength(0);
  return (
    (finding?.evidence.missingServices as { service: string }[] | undefined)?.map((m) => m.service) ?? []
  );
}

describe('vpce-ml-missing-endpoints', () => {
  describe('non-compliant', () => {
    it('fails on the VPC of a training job in a private subnet with no endpoints, naming every service', () => {
      // Act
      const findings = run(rule, scope({ ...privateVpc(), trainingJobs: [job()] }));
      // Assess
      expect(ids(findings)).toEqual(['vpc-1']);
      const [f] = findings;
      expect(f).toMatchObject({
        severity: 'MEDIUM',
        resource: { type: 'AWS::EC2::VPC', id: 'vpc-1', arn: 'arn:aws:ec2:us-east-1:111122223333:vpc/vpc-1' },
      });
      expect(f?.message).toBe(
        'VPC vpc-1 holds ML resources with no internet egress path (training job train-1) but has no VPC endpoint for sagemaker.api, sagemaker.runtime, sts, logs and s3: their calls to those services cannot leave the VPC.',
      );
      expect(f?.evidence.missingServices).toContainEqual({
        service: 'sts',
        serviceName: 'com.amazonaws.us-east-1.sts',
        neededBy: ['train-1'],
      });
      expect(f?.evidence.resourcesWithoutEgress).toEqual([
        expect.objectContaining({
          id: 'train-1',
          egress: 'no route to the internet in rtb-a',
          routeTables: ['rtb-a'],
        }),
      ]);
      expect(f?.remediation).toContain('an S3 gateway endpoint (com.amazonaws.us-east-1.s3)');
    });

    it.each<[string, Partial<RegionInventory>, string[]]>([
      ['only sts missing', { vpcEndpoints: without('sts'), trainingJobs: [job()] }, ['sts']],
      ['no S3 endpoint of either type', { vpcEndpoints: without('s3'), trainingJobs: [job()] }, ['s3']],
      [
        'an ECR image and no ECR endpoints',
        { vpcEndpoints: fullEndpoints(), trainingJobs: [job({ imageUri: ECR_IMAGE })] },
        ['ecr.api', 'ecr.dkr'],
      ],
      [
        'an isolated job and no S3 endpoint (SageMaker moves its data through the VPC)',
        {
          vpcEndpoints: without('s3'),
          trainingJobs: [job({ enableNetworkIsolation: true, imageUri: ECR_IMAGE })],
        },
        ['s3'],
      ],
      [
        'the sts endpoint deleted',
        {
          vpcEndpoints: [...without('sts'), endpoint('vpce-old', 'sts', 'Interface', { state: 'deleted' })],
          trainingJobs: [job()],
        },
        ['sts'],
      ],
      [
        'the logs endpoint rejected',
        {
          vpcEndpoints: [
            ...without('logs'),
            endpoint('vpce-rej', 'logs', 'Interface', { state: 'rejected' }),
          ],
          trainingJobs: [job()],
        },
        ['logs'],
      ],
      [
        'a notebook UI endpoint (aws.sagemaker.<region>.notebook) but no sagemaker.api',
        {
          vpcEndpoints: [
            ...without('sagemaker.api'),
            endpoint('vpce-nb', 'aws.sagemaker.us-east-1.notebook'),
          ],
          notebookInstances: [notebook('nb-1', 'subnet-a')],
        },
        ['sagemaker.api'],
      ],
      [
        'the endpoint in another VPC',
        {
          vpcEndpoints: [...without('sts'), endpoint('vpce-sts-2', 'sts', 'Interface', { vpcId: 'vpc-2' })],
          trainingJobs: [job()],
        },
        ['sts'],
      ],
      [
        'the default route a blackhole (deleted NAT gateway)',
        {
          ...privateVpc({ a: [route('0.0.0.0/0', 'natGateway', 'nat-gone', 'blackhole')] }),
          vpcEndpoints: without('logs'),
          trainingJobs: [job()],
        },
        ['logs'],
      ],
      [
        'a route to the internet gateway but no public IPv4 address (the engine, not the route, decides)',
        {
          ...privateVpc({ a: [route('0.0.0.0/0', 'internetGateway', 'igw-1')] }),
          vpcEndpoints: without('sts'),
          trainingJobs: [job()],
        },
        ['sts'],
      ],
      [
        'a NAT route but a security group with no outbound tcp/443 to the internet',
        {
          ...privateVpc({ a: [route('0.0.0.0/0', 'natGateway', 'nat-1')] }),
          securityGroups: [
            {
              ...mlGroup(),
              rules: [
                { egress: true, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.0.0/16' },
              ],
            },
          ],
          vpcEndpoints: without('logs'),
          trainingJobs: [job()],
        },
        ['logs'],
      ],
      [
        "a notebook on the VPC's main table (no explicit association)",
        { vpcEndpoints: without('sagemaker.runtime'), notebookInstances: [notebook('nb-b', 'subnet-b')] },
        ['sagemaker.runtime'],
      ],
      [
        'a VpcOnly Studio domain',
        {
          vpcEndpoints: without('sagemaker.api'),
          sagemakerDomains: [domain('d-1', ['subnet-a', 'subnet-b'])],
        },
        ['sagemaker.api'],
      ],
    ])('fails with %s', (_, fill, services) => {
      expect(missing({ ...privateVpc(), ...fill })).toEqual(services);
    });

    it('names only the resources without egress', () => {
      // Prepare: subnet-b (main table) has a NAT route, subnet-a does not.
      const s = scope({
        ...privateVpc({ main: [route('0.0.0.0/0', 'natGateway', 'nat-1')] }),
        trainingJobs: [job(), trainingJob('train-nat', ['subnet-b'])],
      });
      // Act
      const [f] = failed(run(rule, s));
      // Assess
      expect(f?.message).toContain('(training job train-1)');
      expect(f?.evidence.resourcesWithoutEgress).toEqual([expect.objectContaining({ id: 'train-1' })]);
    });

    it('honours a configured service list', () => {
      const fill = { ...privateVpc(), vpcEndpoints: fullEndpoints(), trainingJobs: [job()] };
      expect(missing(fill, { services: ['sts', 'logs', 's3', 'kms'] })).toEqual(['kms']);
    });
  });

  describe('compliant', () => {
    it.each<[string, Partial<RegionInventory>]>([
      [
        'ML subnets routing 0.0.0.0/0 to a NAT gateway, with no endpoints at all',
        {
          ...privateVpc({
            a: [route('0.0.0.0/0', 'natGateway', 'nat-1')],
            main: [route('0.0.0.0/0', 'natGateway', 'nat-1')],
          }),
          trainingJobs: [job({ imageUri: ECR_IMAGE })],
          notebookInstances: [notebook('nb-b', 'subnet-b')],
        },
      ],
      [
        'a public subnet (auto-assigned IPv4) routing to the internet gateway',
        {
          ...privateVpc({ a: [route('0.0.0.0/0', 'internetGateway', 'igw-1')] }, { publicSubnets: true }),
          trainingJobs: [job()],
        },
      ],
      [
        'egress through a transit gateway (cannot see past it)',
        { ...privateVpc({ a: [route('0.0.0.0/0', 'transitGateway', 'tgw-1')] }), trainingJobs: [job()] },
      ],
      ['every needed endpoint', { ...privateVpc(), vpcEndpoints: fullEndpoints(), trainingJobs: [job()] }],
      [
        'an S3 interface endpoint instead of a gateway one',
        {
          ...privateVpc(),
          vpcEndpoints: [...without('s3'), endpoint('vpce-s3i', 's3', 'Interface')],
          trainingJobs: [job()],
        },
      ],
      [
        'ECR endpoints for an ECR image',
        {
          ...privateVpc(),
          vpcEndpoints: [
            ...fullEndpoints(),
            endpoint('vpce-ecr1', 'ecr.api'),
            endpoint('vpce-ecr2', 'ecr.dkr'),
          ],
          trainingJobs: [job({ imageUri: ECR_IMAGE })],
        },
      ],
      [
        'endpoints pending acceptance and FIPS variants',
        {
          ...privateVpc(),
          vpcEndpoints: [
            ...without('sts').map((e): VpcEndpoint => ({ ...e, state: 'pendingAcceptance' })),
            endpoint('vpce-sts-fips', 'sts-fips'),
          ],
          trainingJobs: [job()],
        },
      ],
      [
        'an isolated job with only an S3 endpoint',
        {
          ...privateVpc(),
          vpcEndpoints: [endpoint('vpce-s3', 's3', 'Gateway', { routeTableIds: ['rtb-a'] })],
          trainingJobs: [job({ enableNetworkIsolation: true, imageUri: ECR_IMAGE })],
        },
      ],
      [
        'a notebook with direct internet access',
        {
          ...privateVpc(),
          notebookInstances: [notebook('nb-direct', 'subnet-a', { directInternetAccess: 'Enabled' })],
        },
      ],
      [
        'a PublicInternetOnly domain',
        {
          ...privateVpc(),
          sagemakerDomains: [domain('d-pub', ['subnet-a'], { appNetworkAccessType: 'PublicInternetOnly' })],
        },
      ],
      [
        'a job whose subnet is gone (route table unknown)',
        { ...privateVpc(), trainingJobs: [trainingJob('t', ['subnet-gone'])] },
      ],
      ['a job without VpcConfig', { ...privateVpc(), trainingJobs: [job({ vpcConfig: undefined })] }],
      ['a private VPC without ML resources', privateVpc()],
    ])('passes for %s', (_, fill) => {
      expect(ids(run(rule, scope(fill)))).toEqual([]);
    });
  });

  it.each(['routeTables', 'vpcEndpoints', 'trainingJobs', 'natGateways', 'securityGroups'] as const)(
    'is NOT_EVALUATED for the scope when %s could not be read',
    (kind) => {
      // Act
      const findings = run(rule, scope({ ...privateVpc(), trainingJobs: [job()], gaps: [gap(kind)] }));
      // Assess
      expect(findings).toEqual([
        expect.objectContaining({
          status: 'NOT_EVALUATED',
          resource: expect.objectContaining({ type: 'AWS::Region' }),
        }),
      ]);
    },
  );
});
