import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { rules as networkFirewallRules } from '../../../../../src/analyze/rules/network-firewall/index.ts';
import { main } from '../../../../../src/cli.ts';
import { parseSnapshot } from '../../../../../src/inventory/snapshot.ts';
import type { AuditResult } from '../../../../../src/result.ts';

/**
 * moto cannot describe firewall policies or rule groups, so the network-firewall rules run end to end
 * here, through the real CLI entry, on a saved snapshot: us-east-1 is the seeds' reference architecture
 * (Studio -> NAT -> firewall with a domain allowlist -> IGW), us-west-2 a hardened firewall, a legacy one
 * and one whose policy could not be read.
 */
const SNAPSHOT = 'test/fixtures/nfw-reference.json';
const RULE_IDS = [
  'nfw-logging-disabled',
  'nfw-single-az',
  'nfw-protection-off',
  'nfw-policy-no-rule-groups',
  'nfw-stateless-default-pass',
  'nfw-stateless-fragment-default-pass',
  'nfw-stateless-rule-group-empty',
  'nfw-allowlist-protocol-gap',
  'nfw-allowlist-overbroad',
  'nfw-home-net-mismatch',
];

async function audit(...args: string[]): Promise<{ code: number; doc: AuditResult; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const code = await main(
    [
      'node',
      'ml-network-audit',
      'audit',
      '--snapshot',
      SNAPSHOT,
      '--format',
      'json',
      '--scope',
      'account',
      ...args,
    ],
    { stdout, stderr },
  );
  return { code, doc: JSON.parse(out) as AuditResult, stderr: err };
}

const row = (f: AuditResult['findings'][number]) => `${f.region} ${f.status} ${f.ruleId} ${f.resource.id}`;

describe('network-firewall rules on a snapshot, through the CLI', () => {
  it('the snapshot is valid', () => {
    expect(() => parseSnapshot(JSON.parse(readFileSync(SNAPSHOT, 'utf8')), SNAPSHOT)).not.toThrow();
    expect(networkFirewallRules.map((r) => r.meta.id)).toEqual(expect.arrayContaining(RULE_IDS));
  });

  it('reports the findings of every rule, by rule id and resource, and NOT_EVALUATED for the unreadable policy', async () => {
    // Act
    const { code, doc } = await audit('--rules', RULE_IDS.join(','), '--fail-on', 'high');
    // Assess
    expect(code).toBe(3);
    expect(doc.findings.map(row).sort()).toEqual(
      [
        // the seeds' reference architecture
        'us-east-1 FAIL nfw-allowlist-protocol-gap network-firewall-policy-sagemaker-studio',
        'us-east-1 FAIL nfw-allowlist-overbroad domain-allow-sagemaker-studio',
        'us-east-1 FAIL nfw-logging-disabled sagemaker-studio-vpc-firewall',
        'us-east-1 FAIL nfw-single-az sagemaker-studio-vpc-firewall',
        'us-east-1 FAIL nfw-protection-off sagemaker-studio-vpc-firewall',
        'us-east-1 FAIL nfw-stateless-fragment-default-pass network-firewall-policy-sagemaker-studio',
        // the legacy firewall and its policy
        'us-west-2 FAIL nfw-logging-disabled fw-legacy',
        'us-west-2 FAIL nfw-single-az fw-legacy',
        'us-west-2 FAIL nfw-protection-off fw-legacy',
        'us-west-2 FAIL nfw-policy-no-rule-groups legacy-open',
        'us-west-2 FAIL nfw-stateless-default-pass legacy-open',
        'us-west-2 FAIL nfw-stateless-fragment-default-pass legacy-open',
        // the hardened policy's empty stateless group (the rest of it is clean)
        'us-west-2 FAIL nfw-stateless-rule-group-empty empty-stateless',
        // the policy that could not be read, and its rule groups: never clean
        'us-west-2 NOT_EVALUATED nfw-allowlist-protocol-gap denied-policy',

        'us-west-2 NOT_EVALUATED nfw-allowlist-overbroad denied-policy',
        'us-west-2 NOT_EVALUATED nfw-home-net-mismatch denied-policy',

        'us-west-2 NOT_EVALUATED nfw-policy-no-rule-groups denied-policy',
        'us-west-2 NOT_EVALUATED nfw-stateless-default-pass denied-policy',
        'us-west-2 NOT_EVALUATED nfw-stateless-fragment-default-pass denied-policy',
        'us-west-2 NOT_EVALUATED nfw-stateless-rule-group-empty denied-policy',
      ].sort(),
    );
  });

  it('reports the allowlist protocol gap of the reference architecture with its evidence', async () => {
    // Act
    const { doc } = await audit('--rules', 'nfw-allowlist-protocol-gap', '--min-severity', 'high');
    const gap = doc.findings.find((f) => f.status === 'FAIL');
    // Assess
    expect(gap).toMatchObject({
      severity: 'HIGH',
      resource: {
        type: 'AWS::NetworkFirewall::FirewallPolicy',
        arn: 'arn:aws:network-firewall:us-east-1:111122223333:firewall-policy/network-firewall-policy-sagemaker-studio',
      },
      evidence: {
        ruleOrder: 'DEFAULT_ACTION_ORDER',
        statelessBypass: false,
        allowlists: [
          { group: 'domain-allow-sagemaker-studio', targetTypes: ['HTTP_HOST', 'TLS_SNI'], entries: 2 },
        ],
        firewalls: ['sagemaker-studio-vpc-firewall'],
      },
    });
    expect(gap?.message).toContain('SSH tcp/22, DNS udp/53 to outside resolvers');
  });
});
