import { describe, expect, it } from 'vitest';
import { analyzeInventory } from '../../../src/audit.ts';
import { parseAuditConfig } from '../../../src/config.ts';
import { readSnapshot } from '../../../src/inventory/snapshot.ts';
import { formatMarkdown, MARKDOWN_LIMIT, mdCell } from '../../../src/report/formats/markdown.ts';
import type { AuditResult } from '../../../src/result.ts';
import { auditResult, finding } from '../../fixtures/audit-result.ts';

describe('Markdown report', () => {
  it('opens with a summary table and a table of counts by severity', () => {
    // Prepare
    const result = auditResult([finding(1, 'HIGH'), finding(2, 'HIGH'), finding(3, 'LOW')]);

    // Act
    const md = formatMarkdown(result);

    // Assess
    expect(md).toMatch(/^# ml-network-audit report\n/);
    expect(md).toContain('| Accounts | 111122223333 |');
    expect(md).toContain('| Resources audited | 42 |');
    expect(md).toContain('| HIGH | 2 |');
    expect(md).toContain('| CRITICAL | 0 |');
  });

  it('groups findings by severity, worst first, each with rule, resource, account, message and fix', () => {
    // Prepare
    const result = auditResult([finding(1, 'LOW'), finding(2, 'CRITICAL', { account: '999988887777' })]);

    // Act
    const md = formatMarkdown(result);

    // Assess
    const critical = md.indexOf('### CRITICAL (1)');
    const low = md.indexOf('### LOW (1)');
    expect(critical).toBeGreaterThan(0);
    expect(low).toBeGreaterThan(critical);
    expect(md).toContain('- **Rule:** `sg-world-ingress-admin-port`');
    expect(md).toContain('`sg-00000002` · AWS::EC2::SecurityGroup · account 999988887777 · us-east-1');
    expect(md).toContain('- **Fix:** Remove the rule.');
    expect(md).toContain('## Findings by account');
  });

  it('escapes table and emphasis characters that would break the layout', () => {
    // Prepare
    const text = 'a|b *c* <x>\nnext';

    // Act
    const cell = mdCell(text);

    // Assess
    expect(cell).toBe('a\\|b \\*c\\* \\<x\\> next');
  });

  it('renders the per-resource exposure when the result has one, and leaves it out when it has none', () => {
    // Prepare
    const without = auditResult([finding(1, 'HIGH')]);
    const withExposure = {
      ...without,
      exposure: [
        {
          resource: { id: 'nb-1', type: 'AWS::SageMaker::NotebookInstance' },
          from: 'internet',
          ports: 'tcp/22',
        },
      ],
    } as unknown as AuditResult;

    // Act
    const plain = formatMarkdown(without);
    const exposed = formatMarkdown(withExposure);

    // Assess
    expect(plain).not.toContain('## Exposure by resource');
    expect(exposed).toContain('## Exposure by resource');
    expect(exposed).toContain('| resource | from | ports |');
    expect(exposed).toContain('| nb-1 | internet | tcp/22 |');
  });

  it('shows inbound, outbound, inspection and private APIs for each resource of the reachability analysis', () => {
    // Prepare
    const result = {
      ...auditResult([]),
      exposure: [
        {
          account: '111122223333',
          region: 'us-east-1',
          resource: { type: 'AWS::SageMaker::NotebookInstance', id: 'nb-1', arn: 'arn:x', name: 'research' },
          kind: 'notebook',
          mode: 'vpc',
          inbound: { fromInternet: [], summary: 'none', paths: [] },
          outbound: {
            toInternet: [],
            summary: 'tcp/443 via nat-1',
            inspection: 'all',
            allowedDomains: [],
            paths: [],
          },
          awsApis: { private: ['s3', 'sagemaker.api'], viaInternet: false },
          blocked: [],
          notes: [],
        },
      ],
    } as unknown as AuditResult;

    // Act
    const md = formatMarkdown(result);

    // Assess
    expect(md).toContain(
      '| Resource | Kind | Account | Region | Inbound from internet | Outbound to internet |',
    );
    expect(md).toContain(
      '| research (nb-1) | notebook | 111122223333 | us-east-1 | none | tcp/443 via nat-1 | all | s3, sagemaker.api |',
    );
  });

  it('lists coverage gaps with their account, region, call and error', () => {
    // Prepare
    const result = auditResult([], {
      coverage: [
        {
          account: '444455556666',
          region: 'us-east-1',
          service: 'sts',
          operation: 'AssumeRole',
          kind: 'account',
          errorCode: 'AccessDenied',
          message: 'not authorized',
        },
      ],
    });

    // Act
    const md = formatMarkdown(result);

    // Assess
    expect(md).toContain('No findings.');
    expect(md).toContain(
      '| 444455556666 | us-east-1 | sts:AssumeRole | account |  | AccessDenied: not authorized |',
    );
  });
});

describe('Markdown report: paths and size', () => {
  it('draws each reach finding of the demo as a Mermaid flowchart and stays under 65,536 characters', async () => {
    // Prepare
    const result = analyzeInventory(await readSnapshot('events/demo-snapshot.json'), parseAuditConfig({}));
    const reach = result.findings.filter((f) => f.ruleId.startsWith('reach-') && f.status === 'FAIL');

    // Act
    const md = formatMarkdown(result);

    // Assess
    expect(md.length).toBeLessThan(MARKDOWN_LIMIT);
    expect(md.match(/^```mermaid\nflowchart LR$/gm)?.length).toBeGreaterThanOrEqual(reach.length);
    expect(md).toContain('n0["Internet"]');
    expect(md).toMatch(/-->\|"NACL rule 100, 110, 120"\| n2/);
  });

  it('keeps a result with thousands of findings under the limit, folding long sections and counting the rest', () => {
    // Prepare
    const findings = Array.from({ length: 5000 }, (_, i) =>
      finding(i, i < 40 ? 'HIGH' : 'MEDIUM', { ruleId: i % 2 ? 'sg-unused' : 'nacl-shadowed-rule' }),
    );
    const coverage = Array.from({ length: 2000 }, (_, i) => ({
      account: '111122223333',
      region: 'us-east-1',
      service: 'ec2',
      operation: 'DescribeSecurityGroups',
      kind: 'securityGroups' as const,
      resourceId: `sg-${i}`,
      errorCode: 'Throttling',
      message: 'Rate exceeded',
    }));
    const result = auditResult(findings, { coverage });

    // Act
    const md = formatMarkdown(result);

    // Assess
    expect(md.length).toBeLessThan(MARKDOWN_LIMIT);
    expect(md).toContain('<details><summary>40 HIGH findings</summary>');
    expect(md).toMatch(
      /> \*\*\d+ more findings not shown\*\* to stay under GitHub's 65,536-character limit: /,
    );
    expect(md).toMatch(/by rule: `(sg-unused|nacl-shadowed-rule)` \d+/);
    expect(md).toMatch(/… and \d+ more rows not shown/);
  });
});
