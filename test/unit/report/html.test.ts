import { describe, expect, it } from 'vitest';
import type { ResourceExposure } from '../../../src/analyze/paths/exposure.ts';
import { resourceConsoleUrl, s3ObjectConsoleUrl } from '../../../src/report/console-links.ts';
import { formatHtml } from '../../../src/report/formats/html.ts';
import { exposureGraph } from '../../../src/report/formats/html-diagram.ts';
import { auditResult, finding } from '../../fixtures/audit-result.ts';

function exposure(extra: Partial<ResourceExposure> = {}): ResourceExposure {
  return {
    account: '111122223333',
    region: 'us-east-1',
    resource: {
      type: 'AWS::SageMaker::NotebookInstance',
      id: 'nb-1',
      arn: 'arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/nb-1',
      name: 'nb-1',
    },
    kind: 'notebook',
    mode: 'vpc',
    inbound: {
      fromInternet: [{ protocol: 'tcp', ports: '22' }],
      summary: 'tcp 22',
      paths: [
        {
          subnetId: 'subnet-1',
          entry: 'igw-1',
          ports: [{ protocol: 'tcp', ports: '22' }],
          firewalls: [],
          hops: [
            'the internet to igw-1',
            'NACL acl-1 rules 100 allows in tcp 22 and the return out',
            'security groups sg-1, sg-2 allow in tcp 22',
            'ENI (sg-1, sg-2) in subnet-1, public IP 3.3.3.3 on eni-1',
          ],
          steps: [
            { kind: 'internet', id: 'internet' },
            { kind: 'nacl', id: 'acl-1' },
            { kind: 'sg', id: 'sg-1, sg-2' },
            { kind: 'eni', id: 'subnet-1' },
          ],
        },
      ],
    },
    outbound: {
      toInternet: [],
      summary: 'none',
      inspection: 'n/a',
      allowedDomains: [],
      paths: [],
    },
    awsApis: {
      private: [],
      viaInternet: false,
      endpoints: [
        {
          service: 's3',
          endpointId: 'vpce-s3',
          type: 'Gateway',
          privateDns: false,
          policy: 'deny-all',
          policySummary: 'denies everything',
        },
      ],
    },
    blocked: [
      {
        subnetId: 'subnet-1',
        reason: 'blackhole',
        at: 'route 0.0.0.0/0 to nat-gone is a blackhole (rtb-1)',
        ports: [{ protocol: 'all', ports: 'all' }],
        steps: [
          { kind: 'eni', id: 'subnet-1' },
          { kind: 'route', id: 'rtb-1' },
        ],
      },
    ],
    notes: [],
    ...extra,
  };
}

describe('HTML report', () => {
  it('is one page that references nothing outside itself, behind a CSP that forbids every fetch', async () => {
    // Prepare
    const result = { ...auditResult([finding(1, 'HIGH')]), exposure: [exposure()] };

    // Act
    const html = await formatHtml(result);

    // Assess
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/\ssrc=|<link\b|@import|url\(\s*['"]?https?:/i);
    expect(html).toContain('<svg class="diagram" data-resource="nb-1"');
  });

  it('escapes names and messages that carry markup', async () => {
    // Prepare
    const evil = finding(1, 'HIGH', {
      message: '<script>alert(1)</script>',
      resource: {
        type: 'AWS::EC2::SecurityGroup',
        id: 'sg-1',
        arn: 'arn:aws:ec2:us-east-1:1:security-group/sg-1',
        name: '"><img src=x>',
      },
    });

    // Act
    const html = await formatHtml(auditResult([evil]));

    // Assess
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toContain('<img src=x>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('lists each finding as a filterable row with its severity, rule, account and region', async () => {
    // Prepare
    const result = auditResult([finding(1, 'HIGH'), finding(2, 'LOW', { account: '999988887777' })]);

    // Act
    const html = await formatHtml(result);

    // Assess
    expect(html.match(/<tr class="finding"/g)).toHaveLength(2);
    expect(html).toContain(
      'data-severity="LOW" data-rule="sg-world-ingress-admin-port" data-account="999988887777"',
    );
    expect(html).toContain('<option value="999988887777">');
  });
});

describe('path diagram graph', () => {
  it('runs the way in from the internet through the gateway, NACL and groups into the resource', () => {
    // Act
    const g = exposureGraph(exposure());

    // Assess
    const keys = g.nodes.map((n) => n.key);
    expect(keys).toEqual(
      expect.arrayContaining(['in:internet:internet', 'in:igw:igw-1', 'in:nacl:acl-1', 'resource']),
    );
    const sg = g.nodes.find((n) => n.kind === 'sg');
    expect(sg?.ids).toEqual(['sg-1', 'sg-2']);
    expect(g.edges).toContainEqual(
      expect.objectContaining({ from: 'in:internet:internet', to: 'in:igw:igw-1', label: 'tcp 22' }),
    );
    expect(g.edges).toContainEqual(
      expect.objectContaining({ from: 'in:igw:igw-1', to: 'in:nacl:acl-1', label: 'NACL rule 100' }),
    );
    expect(g.edges).toContainEqual(expect.objectContaining({ from: 'in:eni:subnet-1', to: 'resource' }));
  });

  it('ends a blocked path at the hop that blocks it, and draws a deny-all endpoint as denied', () => {
    // Act
    const g = exposureGraph(exposure());

    // Assess
    expect(g.edges).toContainEqual(
      expect.objectContaining({ to: 'blocked:0:route:rtb-1', style: 'blocked', label: 'blackhole' }),
    );
    expect(g.edges).toContainEqual(expect.objectContaining({ to: 'api:vpce-s3', style: 'api-denied' }));
  });
});

describe('console links', () => {
  it('links networking resources to the VPC console, groups to EC2 and ML resources to SageMaker, in their region', () => {
    // Act
    const links = {
      vpc: resourceConsoleUrl({ type: 'AWS::EC2::VPC', id: 'vpc-1' }, 'eu-west-1'),
      sg: resourceConsoleUrl({ type: 'AWS::EC2::SecurityGroup', id: 'sg-1' }, 'eu-west-1'),
      nb: resourceConsoleUrl({ type: 'AWS::SageMaker::NotebookInstance', id: 'nb-1' }, 'eu-west-1'),
      profile: resourceConsoleUrl({ type: 'AWS::SageMaker::UserProfile', id: 'd-1/bob' }, 'eu-west-1'),
      fw: resourceConsoleUrl({ type: 'AWS::NetworkFirewall::Firewall', id: 'fw-1' }, 'eu-west-1'),
      gov: resourceConsoleUrl(
        {
          type: 'AWS::EC2::Subnet',
          id: 'subnet-1',
          arn: 'arn:aws-us-gov:ec2:us-gov-west-1:1:subnet/subnet-1',
        },
        'us-gov-west-1',
      ),
      region: resourceConsoleUrl({ type: 'AWS::Region', id: '1/us-east-1' }, 'us-east-1'),
    };

    // Assess
    expect(links.vpc).toBe(
      'https://eu-west-1.console.aws.amazon.com/vpcconsole/home?region=eu-west-1#VpcDetails:VpcId=vpc-1',
    );
    expect(links.sg).toBe(
      'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#SecurityGroup:groupId=sg-1',
    );
    expect(links.nb).toBe(
      'https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1#/notebook-instances/nb-1',
    );
    expect(links.profile).toBe(
      'https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1#/studio/d-1?tab=users',
    );
    expect(links.fw).toBe(
      'https://eu-west-1.console.aws.amazon.com/vpcconsole/home?region=eu-west-1#FirewallDetails:firewallName=fw-1',
    );
    expect(links.gov).toBe(
      'https://console.amazonaws-us-gov.com/vpcconsole/home?region=us-gov-west-1#SubnetDetails:subnetId=subnet-1',
    );
    expect(links.region).toBeUndefined();
  });

  it('links an archived object to its S3 console page, the key encoded', () => {
    // Act
    const url = s3ObjectConsoleUrl('my-bucket', 'runs/1/us-east-1/report.html', 'us-east-1');

    // Assess
    expect(url).toBe(
      'https://s3.console.aws.amazon.com/s3/object/my-bucket?region=us-east-1&bucketType=general&prefix=runs%2F1%2Fus-east-1%2Freport.html',
    );
  });
});
