/**
 * ASFF output: one AWS Security Finding Format finding per FAIL finding, for AWS Security Hub
 * (BatchImportFindings, or `--format asff` to import with other tooling).
 *
 * Every required top-level attribute is set
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html):
 *   SchemaVersion  2018-10-08
 *   Id             ml-network-audit/<fingerprint>: stable across runs, so a re-import updates the finding
 *   ProductArn     arn:<partition>:securityhub:<region>:<account>:product/<account>/default, the
 *                  default product of the importing account (a custom integration); the account is the
 *                  finding's unless the sink names the importing one
 *   GeneratorId    ml-network-audit/<ruleId>
 *   AwsAccountId   the account the finding is about
 *   Types          Software and Configuration Checks/AWS Security Best Practices/<category>
 *   CreatedAt, UpdatedAt  the run's end (the tool keeps no first-seen time in a finding)
 *   Severity       Label CRITICAL | HIGH | MEDIUM | LOW | INFORMATIONAL, Original = ours
 *   Title, Description   the rule's title and the finding's sentence (cut to 256 / 1024 characters)
 *   Resources      the resource: Type from the ASFF resource types where one exists (AwsEc2SecurityGroup,
 *                  ...; https://docs.aws.amazon.com/securityhub/latest/userguide/asff-resources.html),
 *                  else Other; Id its ARN; Partition; Region
 * Also Region, Remediation (text), ProductFields (rule id, resource id, references), RecordState
 * ACTIVE and Workflow NEW. NOT_EVALUATED entries are no security finding: they are not emitted (the
 * coverage gap that caused them is, as an `audit-coverage-gap` finding).
 */
import type { Finding, Severity } from '../../analyze/engine/finding.ts';
import type { AuditResult } from '../../result.ts';

export const ASFF_SCHEMA_VERSION = '2018-10-08';

/** Our resource types with an ASFF resource type of their own; every other is `Other`. */
export const ASFF_RESOURCE_TYPES: Readonly<Record<string, string>> = {
  'AWS::EC2::SecurityGroup': 'AwsEc2SecurityGroup',
  'AWS::EC2::NetworkAcl': 'AwsEc2NetworkAcl',
  'AWS::EC2::Subnet': 'AwsEc2Subnet',
  'AWS::EC2::VPC': 'AwsEc2Vpc',
  'AWS::EC2::NetworkInterface': 'AwsEc2NetworkInterface',
  'AWS::EC2::RouteTable': 'AwsEc2RouteTable',
  'AWS::EC2::VPCPeeringConnection': 'AwsEc2VpcPeeringConnection',
  'AWS::NetworkFirewall::Firewall': 'AwsNetworkFirewallFirewall',
  'AWS::NetworkFirewall::FirewallPolicy': 'AwsNetworkFirewallFirewallPolicy',
  'AWS::NetworkFirewall::RuleGroup': 'AwsNetworkFirewallRuleGroup',
  'AWS::SageMaker::NotebookInstance': 'AwsSageMakerNotebookInstance',
};

const LABELS: Record<Severity, string> = {
  CRITICAL: 'CRITICAL',
  HIGH: 'HIGH',
  MEDIUM: 'MEDIUM',
  LOW: 'LOW',
  INFO: 'INFORMATIONAL',
};

const CATEGORY_TYPES: Record<string, string> = {
  sg: 'Security Groups',
  nacl: 'Network ACLs',
  route: 'Routes',
  subnet: 'Routes',
  vpc: 'Routes',
  vpce: 'VPC Endpoints',
  sagemaker: 'SageMaker',
  nfw: 'Network Firewall',
  reach: 'Network Reachability',
  audit: 'Audit Coverage',
};

export interface AsffFinding {
  SchemaVersion: typeof ASFF_SCHEMA_VERSION;
  Id: string;
  ProductArn: string;
  GeneratorId: string;
  AwsAccountId: string;
  Types: string[];
  CreatedAt: string;
  UpdatedAt: string;
  Severity: { Label: string; Original: Severity };
  Title: string;
  Description: string;
  Region: string;
  Resources: {
    Type: string;
    Id: string;
    Partition: string;
    Region: string;
    Details?: { Other: Record<string, string> };
  }[];
  Remediation: { Recommendation: { Text: string } };
  ProductFields: Record<string, string>;
  RecordState: 'ACTIVE' | 'ARCHIVED';
  Workflow: { Status: 'NEW' | 'RESOLVED' };
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function partitionOf(arn: string): string {
  return /^arn:([a-z-]+):/.exec(arn)?.[1] ?? 'aws';
}

/** The Id a finding has in Security Hub: the same for the same problem on the same resource, run after run. */
export function asffId(fingerprint: string): string {
  return `ml-network-audit/${fingerprint}`;
}

/** The default product ARN of an account in a region (a custom integration's BatchImportFindings target). */
export function productArn(partition: string, region: string, account: string): string {
  return `arn:${partition}:securityhub:${region}:${account}:product/${account}/default`;
}

/** One FAIL finding in ASFF; `importer` is the account whose Security Hub imports it (default: the finding's). */
export function toAsffFinding(finding: Finding, result: AuditResult, importer?: string): AsffFinding {
  return asffOf(finding, { time: result.run.finishedAt, runId: result.run.id }, importer);
}

/** A finding in ASFF as of `run.time` (CreatedAt, UpdatedAt), from run `run.runId`. */
export function asffOf(
  finding: Finding,
  run: { time: string; runId: string },
  importer?: string,
): AsffFinding {
  const partition = partitionOf(finding.resource.arn);
  const type = ASFF_RESOURCE_TYPES[finding.resource.type] ?? 'Other';
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: asffId(finding.fingerprint),
    ProductArn: productArn(partition, finding.region, importer ?? finding.account),
    GeneratorId: `ml-network-audit/${finding.ruleId}`,
    AwsAccountId: finding.account,
    Types: [
      `Software and Configuration Checks/AWS Security Best Practices/${CATEGORY_TYPES[finding.ruleId.split('-')[0] ?? ''] ?? 'Network'}`,
    ],
    CreatedAt: run.time,
    UpdatedAt: run.time,
    Severity: { Label: LABELS[finding.severity], Original: finding.severity },
    Title: cut(finding.title, 256),
    Description: cut(finding.message, 1024),
    Region: finding.region,
    Resources: [
      {
        Type: type,
        Id: finding.resource.arn,
        Partition: partition,
        Region: finding.region,
        ...(type === 'Other'
          ? { Details: { Other: { type: finding.resource.type, id: cut(finding.resource.id, 1024) } } }
          : {}),
      },
    ],
    Remediation: { Recommendation: { Text: cut(finding.remediation, 512) } },
    ProductFields: {
      'ml-network-audit/RuleId': finding.ruleId,
      'ml-network-audit/ResourceId': cut(finding.resource.id, 1024),
      'ml-network-audit/RunId': run.runId,
      ...(finding.references.length ? { 'ml-network-audit/References': finding.references.join(', ') } : {}),
    },
    RecordState: 'ACTIVE',
    Workflow: { Status: 'NEW' },
  };
}

/** The FAIL findings of a result in ASFF (NOT_EVALUATED entries are left out). */
export function toAsff(result: AuditResult, importer?: string): AsffFinding[] {
  return result.findings.filter((f) => f.status === 'FAIL').map((f) => toAsffFinding(f, result, importer));
}

/** `--format asff`: a JSON array of ASFF findings, as BatchImportFindings takes them. */
export function formatAsff(result: AuditResult): string {
  return `${JSON.stringify(toAsff(result), null, 2)}\n`;
}
