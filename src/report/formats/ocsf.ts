/**
 * OCSF output: one Detection Finding (class_uid 2004, category Findings) per finding, the schema
 * Security Lake and Security Hub speak. Targets OCSF 1.8.0 (the latest release, 2026-03-18;
 * https://schema.ocsf.io) with the Cloud profile.
 *
 * Mapping:
 *   severity        CRITICAL 5 · HIGH 4 · MEDIUM 3 · LOW 2 · INFO 1 (severity_id)
 *   status          FAIL -> 1 New (status_id). NOT_EVALUATED is no detection: it is not emitted (the
 *                   coverage gap behind it is, as an audit-coverage-gap finding)
 *   finding_info    uid = fingerprint, title, desc = message, types = [category, ruleId]
 *   resources       the resource (uid = ARN), with its account, region and partition
 *   cloud           provider AWS, account.uid, region
 *   remediation     desc + references
 *   evidences       one Evidence Artifacts object whose `data` is the structured evidence
 *   unmapped        rule id, run id, resource id and references
 */
import type { Finding, Severity } from '../../analyze/engine/finding.ts';
import type { AuditResult } from '../../result.ts';

export const OCSF_VERSION = '1.8.0';
export const DETECTION_FINDING = { category_uid: 2, class_uid: 2004 } as const;
export const ACTIVITY = { Create: 1 } as const;

export const OCSF_SEVERITY: Record<Severity, { id: number; caption: string }> = {
  CRITICAL: { id: 5, caption: 'Critical' },
  HIGH: { id: 4, caption: 'High' },
  MEDIUM: { id: 3, caption: 'Medium' },
  LOW: { id: 2, caption: 'Low' },
  INFO: { id: 1, caption: 'Informational' },
};

export const OCSF_STATUS = { id: 1, caption: 'New' } as const;

export interface OcsfDetectionFinding {
  category_uid: 2;
  category_name: 'Findings';
  class_uid: 2004;
  class_name: 'Detection Finding';
  activity_id: number;
  activity_name: string;
  type_uid: number;
  type_name: string;
  time: number;
  severity_id: number;
  severity: string;
  status_id: number;
  status: string;
  message: string;
  metadata: {
    version: string;
    product: { name: string; vendor_name: string; version: string; uid: string };
    profiles: string[];
    uid: string;
    correlation_uid: string;
  };
  finding_info: {
    uid: string;
    title: string;
    desc: string;
    types: string[];
    created_time: number;
    analytic: { uid: string; name: string; type_id: number; type: string };
  };
  resources: {
    uid: string;
    name: string;
    type: string;
    region: string;
    cloud_partition: string;
    owner: { account: { uid: string; type_id: number; type: string } };
  }[];
  cloud: { provider: 'AWS'; region: string; account: { uid: string; type_id: number; type: string } };
  remediation: { desc: string; references: string[] };
  evidences: { data: Record<string, unknown> }[];
  unmapped: {
    ruleId: string;
    runId: string;
    references: string[];
    resourceId: string;
  };
}

const AWS_ACCOUNT = { type_id: 10, type: 'AWS Account' } as const;

function partitionOfArn(arn: string): string {
  return /^arn:([a-z-]+):/.exec(arn)?.[1] ?? 'aws';
}

/** The rule's domain from its id's prefix (sg, nacl, vpce, sagemaker, nfw, route, audit, ...). */
function domainOf(ruleId: string): string {
  return `ml-network-audit/${ruleId.split('-')[0] ?? ruleId}`;
}

export function toOcsfFinding(finding: Finding, result: AuditResult): OcsfDetectionFinding {
  const time = Date.parse(result.run.finishedAt);
  const severity = OCSF_SEVERITY[finding.severity];
  const status = OCSF_STATUS;
  const account = { uid: finding.account, ...AWS_ACCOUNT };
  return {
    category_uid: DETECTION_FINDING.category_uid,
    category_name: 'Findings',
    class_uid: DETECTION_FINDING.class_uid,
    class_name: 'Detection Finding',
    activity_id: ACTIVITY.Create,
    activity_name: 'Create',
    type_uid: DETECTION_FINDING.class_uid * 100 + ACTIVITY.Create,
    type_name: 'Detection Finding: Create',
    time,
    severity_id: severity.id,
    severity: severity.caption,
    status_id: status.id,
    status: status.caption,
    message: finding.message,
    metadata: {
      version: OCSF_VERSION,
      product: {
        name: result.run.tool.name,
        vendor_name: result.run.tool.name,
        version: result.run.tool.version,
        uid: result.run.tool.name,
      },
      profiles: ['cloud'],
      uid: `${result.run.id}/${finding.fingerprint}`,
      correlation_uid: result.run.id,
    },
    finding_info: {
      uid: finding.fingerprint,
      title: finding.title,
      desc: finding.message,
      types: [domainOf(finding.ruleId), finding.ruleId],
      created_time: time,
      analytic: { uid: finding.ruleId, name: finding.ruleId, type_id: 1, type: 'Rule' },
    },
    resources: [
      {
        uid: finding.resource.arn,
        name: finding.resource.name ?? finding.resource.id,
        type: finding.resource.type,
        region: finding.region,
        cloud_partition: partitionOfArn(finding.resource.arn),
        owner: { account },
      },
    ],
    cloud: { provider: 'AWS', region: finding.region, account },
    remediation: { desc: finding.remediation, references: finding.references },
    evidences: [{ data: finding.evidence }],
    unmapped: {
      ruleId: finding.ruleId,
      runId: result.run.id,
      references: finding.references,
      resourceId: finding.resource.id,
    },
  };
}

/** The FAIL findings as Detection Findings; NOT_EVALUATED entries are not detections and are left out. */
export function toOcsf(result: AuditResult): OcsfDetectionFinding[] {
  return result.findings.filter((f) => f.status === 'FAIL').map((f) => toOcsfFinding(f, result));
}

/** A JSON array of Detection Findings. */
export function formatOcsf(result: AuditResult): string {
  return `${JSON.stringify(toOcsf(result), null, 2)}\n`;
}

/** `--format ocsf-ndjson`: one Detection Finding per line (what Security Lake custom sources and most log pipelines take). */
export function formatOcsfNdjson(result: AuditResult): string {
  return toOcsf(result)
    .map((e) => `${JSON.stringify(e)}\n`)
    .join('');
}
