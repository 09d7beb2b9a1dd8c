import { describe, expect, it } from 'vitest';
import { buildPolicyDigest, changeSummary } from '../../../src/lifecycle/digest-policy.ts';
import type { FindingState } from '../../../src/lifecycle/state/transition.ts';
import { auditResult, finding } from '../../fixtures/audit-result.ts';

function resolvedState(i: number, severity: 'HIGH' | 'LOW' = 'HIGH'): FindingState {
  const f = finding(i, severity);
  return {
    account: f.account,
    region: f.region,
    fingerprint: f.fingerprint,
    ruleId: f.ruleId,
    severity,
    status: 'RESOLVED',
    title: f.title,
    resource: f.resource,
    firstSeen: '2026-11-01T00:00:00.000Z',
    lastSeen: '2026-11-21T00:00:00.000Z',
    resolvedAt: '2026-11-22T00:00:00.000Z',
    pending: 'RESOLVED',
    version: 4,
    lastRunId: 'run-1',
  };
}

describe('policy digests', () => {
  it.each([
    [[finding(1, 'HIGH'), finding(2, 'HIGH')], 3, '2 new HIGH, 3 resolved'],
    [[finding(1, 'CRITICAL'), finding(2, 'HIGH')], 0, '1 new CRITICAL, 1 new HIGH'],
    [[], 1, '1 resolved'],
    [[], 0, 'nothing changed'],
  ])('summarizes what changed: %#', (findings, resolved, expected) => {
    expect(changeSummary(findings, resolved)).toBe(expected);
  });

  it('tells new findings and what was resolved, with a subject that says so', () => {
    // Prepare
    const fresh = [finding(1, 'HIGH'), finding(2, 'HIGH')];
    const result = auditResult([...fresh, finding(3, 'HIGH')]);
    // Act
    const digest = buildPolicyDigest(result, 'HIGH', 'changes', result.findings, {
      newFindings: fresh,
      resolved: [resolvedState(4), resolvedState(5), resolvedState(6), resolvedState(7, 'LOW')],
      expired: [],
    })!;
    // Assess
    expect(digest.subject).toBe('[ml-network-audit] 2 new HIGH, 3 resolved in 111122223333 us-east-1');
    const outer = JSON.parse(digest.message);
    const doc = JSON.parse(outer.default);
    expect(doc.findings.map((f: { fingerprint: string }) => f.fingerprint)).toEqual(
      fresh.map((f) => f.fingerprint),
    );
    expect(doc.changes.resolved).toHaveLength(3);
    expect(outer.email).toContain('== RESOLVED (3) ==');
  });

  it('sends nothing when nothing at or above the threshold changed', () => {
    // Prepare
    const result = auditResult([finding(1, 'HIGH')]);
    // Act
    const digest = buildPolicyDigest(result, 'HIGH', 'changes', result.findings, {
      newFindings: [finding(2, 'LOW')],
      resolved: [resolvedState(3, 'LOW')],
      expired: [],
    });
    // Assess
    expect(digest).toBeUndefined();
  });

  it('says which suppression expired', () => {
    // Prepare
    const back = finding(1, 'HIGH');
    const result = auditResult([back]);
    const suppression = { id: '#1 sg-*', reason: 'bastion', expires: '2026-12-01T00:00:00.000Z' };
    // Act
    const digest = buildPolicyDigest(result, 'HIGH', 'changes', result.findings, {
      newFindings: [back],
      resolved: [],
      expired: [{ suppression, finding: back }],
    })!;
    // Assess
    const outer = JSON.parse(digest.message);
    expect(outer.email).toContain('Suppression expired on 2026-12-01T00:00:00.000Z: #1 sg-* ("bastion")');
    expect(JSON.parse(outer.default).changes.suppressionsExpired).toEqual([
      { ...suppression, fingerprint: back.fingerprint },
    ]);
  });

  it('says a suppression expired even when its finding is below the alert severity (the only digest that can)', () => {
    // Prepare
    const back = finding(1, 'LOW');
    const result = auditResult([back]);
    const suppression = { id: '#2 nacl-*', reason: 'legacy', expires: '2026-12-01T00:00:00.000Z' };
    // Act
    const digest = buildPolicyDigest(result, 'HIGH', 'changes', result.findings, {
      newFindings: [back],
      resolved: [],
      expired: [{ suppression, finding: back }],
    });
    // Assess
    expect(digest?.subject).toBe('[ml-network-audit] 1 suppression expired in 111122223333 us-east-1');
    expect(JSON.parse(digest?.message ?? '{}').email).toContain('#2 nacl-* ("legacy") no longer applies');
  });

  it('reminds of everything open', () => {
    // Prepare
    const result = auditResult([finding(1, 'CRITICAL'), finding(2, 'HIGH'), finding(3, 'LOW')]);
    // Act
    const digest = buildPolicyDigest(result, 'HIGH', 'reminder', result.findings, {
      newFindings: [],
      resolved: [],
      expired: [],
    })!;
    // Assess
    expect(digest.subject).toBe(
      '[ml-network-audit] reminder: 2 open (1 CRITICAL, 1 HIGH) in 111122223333 us-east-1',
    );
  });
});
