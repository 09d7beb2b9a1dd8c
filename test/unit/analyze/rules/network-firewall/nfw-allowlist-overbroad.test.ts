import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/network-firewall/nfw-allowlist-overbroad.ts';
import type { RuleGroup } from '../../../../../src/inventory/schema.ts';
import { ids, run } from '../../../../fixtures/inventory.ts';
import {
  allowlist,
  firewall,
  nfwArn,
  nfwScope,
  policy,
  REF,
  referenceArchitecture,
  statefulGroup,
} from '../../../../fixtures/network-firewall.ts';

const scopeWith = (group: RuleGroup) =>
  nfwScope({
    firewalls: [firewall('fw-1')],
    policies: [policy('egress', { stateful: [group] })],
    groups: [group],
  });

describe('nfw-allowlist-overbroad', () => {
  describe('non-compliant', () => {
    it.each([
      ['.amazonaws.com (a listed namespace, and broader than .s3.amazonaws.com)', '.amazonaws.com'],
      ['.s3.amazonaws.com (any bucket)', '.s3.amazonaws.com'],
      ['a regional S3 namespace (matched through a * label)', '.s3.eu-west-1.amazonaws.com'],
      ['.com (broader than .herokuapp.com)', '.com'],
      ['a whole top-level domain', '.ai'],
      ['.githubusercontent.com', '.githubusercontent.com'],
      ['an ngrok tunnel namespace', '.ngrok-free.app'],
      ['the path-style S3 host', 's3.amazonaws.com'],
      ['the paste site itself', 'pastebin.com'],
      ['a mixed-case entry with a trailing dot', '.CloudFront.NET.'],
    ])('fails for %s', (_, entry) => {
      // Act
      const findings = run(rule, scopeWith(allowlist('allow', ['pypi.org', entry])));
      // Assess
      expect(ids(findings)).toEqual(['allow']);
      expect(findings[0]).toMatchObject({
        severity: 'MEDIUM',
        resource: { type: 'AWS::NetworkFirewall::RuleGroup', arn: nfwArn('stateful-rulegroup', 'allow') },
        evidence: { entries: [expect.objectContaining({ entry })], policies: ['egress'] },
      });
    });

    it('reports one finding per group listing every entry and what it opens', () => {
      const [f] = run(rule, scopeWith(allowlist('allow', ['.amazonaws.com', '.github.io', 'pypi.org'])));
      expect(f?.message).toBe(
        "Domain ALLOWLIST allow allows .amazonaws.com (opens a multi-tenant namespace, .s3.amazonaws.com, .s3.*.amazonaws.com and 4 more); .github.io (opens a multi-tenant namespace): data can leave to any tenant's bucket or host there.",
      );
      expect(f?.evidence.entries).toHaveLength(2);
    });

    it('fires on .amazonaws.com only in the reference architecture (seed 003)', () => {
      const findings = run(rule, referenceArchitecture());
      expect(ids(findings)).toEqual([REF.allowlist]);
      expect(findings[0]?.evidence.entries).toEqual([expect.objectContaining({ entry: '.amazonaws.com' })]);
    });

    it('takes a custom list, with * labels', () => {
      const findings = run(rule, scopeWith(allowlist('allow', ['.data.corp-share.example'])), {
        overbroad: ['.*.corp-share.example'],
      });
      expect(ids(findings)).toEqual(['allow']);
    });
  });

  describe('compliant', () => {
    it.each([
      ['amazonaws.com without the dot (matches only itself)', 'amazonaws.com'],
      ['an exact bucket host', 'my-bucket.s3.us-east-1.amazonaws.com'],
      ['a wildcard narrower than a listed namespace', '.my-bucket.s3.amazonaws.com'],
      ['a regular domain', '.kaggle.com'],
      ['an AWS service endpoint namespace', '.sagemaker.us-east-1.amazonaws.com'],
      ['github.com (multi-tenant by design, not listed by default)', '.github.com'],
    ])('passes for %s', (_, entry) => {
      expect(ids(run(rule, scopeWith(allowlist('allow', [entry]))))).toEqual([]);
    });

    it('ignores a DENYLIST', () => {
      const deny = statefulGroup('deny', {
        rulesSourceList: {
          targets: ['.amazonaws.com'],
          targetTypes: ['TLS_SNI'],
          generatedRulesType: 'DENYLIST',
        },
      });
      expect(ids(run(rule, scopeWith(deny)))).toEqual([]);
    });

    it('does not flag a top-level domain when flagTopLevelDomains is off', () => {
      expect(ids(run(rule, scopeWith(allowlist('allow', ['.ai'])), { flagTopLevelDomains: false }))).toEqual(
        [],
      );
    });
  });

  describe('not evaluated', () => {
    it('reports a rule group that could not be read (collector gap)', () => {
      const p = policy(
        'egress',
        {},
        {
          statefulRuleGroupReferences: [{ resourceArn: nfwArn('stateful-rulegroup', 'allow'), priority: 1 }],
        },
      );
      const findings = run(
        rule,
        nfwScope({
          firewalls: [firewall('fw-1')],
          policies: [p],
          fill: {
            gaps: [
              {
                service: 'network-firewall',
                operation: 'DescribeRuleGroup',
                kind: 'ruleGroups',
                resourceId: nfwArn('stateful-rulegroup', 'allow'),
                errorCode: 'AccessDeniedException',
                message: 'denied',
              },
            ],
          },
        }),
      );
      expect(findings.map((f) => [f.status, f.resource.id])).toEqual([['NOT_EVALUATED', 'allow']]);
    });
  });
});
