import { describe, expect, it } from 'vitest';
import type { Severity } from '../../../../src/analyze/engine/finding.ts';
import {
  claim,
  evaluatedPredicate,
  type FindingState,
  type Observation,
  type StateStatus,
  transition,
} from '../../../../src/lifecycle/state/transition.ts';
import { finding } from '../../../fixtures/audit-result.ts';

const ctx = { now: '2026-11-22T06:00:00.000Z', runId: 'run-2', resolvedRetentionDays: 90 };
const f = finding(1, 'HIGH');

function prev(status: StateStatus, extra: Partial<FindingState> = {}): FindingState {
  return {
    account: f.account,
    region: f.region,
    fingerprint: f.fingerprint,
    ruleId: f.ruleId,
    severity: 'HIGH',
    status,
    title: f.title,
    resource: f.resource,
    firstSeen: '2026-11-01T06:00:00.000Z',
    lastSeen: '2026-11-21T06:00:00.000Z',
    lastNotified: '2026-11-01T06:00:00.000Z',
    version: 3,
    lastRunId: 'run-1',
    ...extra,
  };
}

const seen = (
  severity: Severity = 'HIGH',
  extra: Partial<Observation & { kind: 'seen' }> = {},
): Observation => ({
  kind: 'seen',
  finding: { ...f, severity },
  ...extra,
});
const sup = { id: '#1 sg-*', reason: 'accepted until the migration', expires: '2026-12-01T00:00:00.000Z' };

describe('finding state transitions', () => {
  it.each([
    // [case, previous, observation, next status (undefined = no write), change, pending]
    ['first seen', undefined, seen(), 'NEW', 'new', 'NEW'],
    ['seen again after being notified', prev('NEW'), seen(), 'OPEN', 'open', undefined],
    ['seen again before being notified', prev('NEW', { pending: 'NEW' }), seen(), 'NEW', 'open', 'NEW'],
    ['still open', prev('OPEN'), seen(), 'OPEN', 'open', undefined],
    ['severity rose', prev('OPEN'), seen('CRITICAL'), 'NEW', 'new', 'NEW'],
    ['severity fell', prev('OPEN'), seen('MEDIUM'), 'OPEN', 'open', undefined],
    ['reopened after resolution', prev('RESOLVED'), seen(), 'NEW', 'new', 'NEW'],
    [
      'gone from an evaluated scope',
      prev('OPEN'),
      { kind: 'absent', evaluated: true },
      'RESOLVED',
      'resolved',
      'RESOLVED',
    ],
    [
      'gone before anyone was told',
      prev('NEW', { pending: 'NEW', lastNotified: undefined }),
      { kind: 'absent', evaluated: true },
      'RESOLVED',
      'resolved',
      undefined,
    ],
    [
      'gone from a NOT_EVALUATED scope',
      prev('OPEN'),
      { kind: 'absent', evaluated: false },
      undefined,
      'unchanged',
      undefined,
    ],
    [
      'already resolved, still gone',
      prev('RESOLVED'),
      { kind: 'absent', evaluated: true },
      undefined,
      'unchanged',
      undefined,
    ],
    ['suppressed', prev('OPEN'), seen('HIGH', { suppression: sup }), 'SUPPRESSED', 'suppressed', undefined],
    [
      'first seen and suppressed',
      undefined,
      seen('HIGH', { suppression: sup }),
      'SUPPRESSED',
      'suppressed',
      undefined,
    ],
    [
      'suppression expired',
      prev('SUPPRESSED', { suppression: sup }),
      seen('HIGH', { expired: sup }),
      'NEW',
      'new',
      'NEW',
    ],
    ['suppression removed', prev('SUPPRESSED', { suppression: sup }), seen(), 'NEW', 'new', 'NEW'],
    [
      'suppressed finding gone',
      prev('SUPPRESSED', { suppression: sup }),
      { kind: 'absent', evaluated: true },
      'RESOLVED',
      'resolved',
      undefined,
    ],
  ] as const)('%s', (_name, before, obs, status, change, pending) => {
    // Act
    const t = transition(before as FindingState | undefined, obs as Observation, ctx);
    // Assess
    expect(t.change).toBe(change);
    expect(t.next?.status).toBe(status);
    expect(t.next?.pending).toBe(pending);
    if (t.next) {
      expect(t.next.version).toBe(((before as FindingState | undefined)?.version ?? 0) + 1);
      expect(t.next.lastRunId).toBe('run-2');
    }
  });

  it('keeps first seen, moves last seen, and records why a finding is new again', () => {
    // Act
    const rose = transition(prev('OPEN'), seen('CRITICAL'), ctx).next;
    const expired = transition(
      prev('SUPPRESSED', { suppression: sup }),
      seen('HIGH', { expired: sup }),
      ctx,
    ).next;
    // Assess
    expect(rose).toMatchObject({
      firstSeen: '2026-11-01T06:00:00.000Z',
      lastSeen: ctx.now,
      newReason: 'severity-rose',
      severity: 'CRITICAL',
    });
    expect(expired).toMatchObject({ newReason: 'suppression-expired', expiredSuppression: sup });
    expect(expired?.suppression).toBeUndefined();
  });

  it('gives a resolved item a TTL and clears it when the finding comes back', () => {
    // Act
    const resolved = transition(prev('OPEN'), { kind: 'absent', evaluated: true }, ctx).next!;
    const back = transition(resolved, seen(), { ...ctx, now: '2026-11-23T06:00:00.000Z' }).next!;
    // Assess
    expect(resolved.ttl).toBe(Date.parse(ctx.now) / 1000 + 90 * 86_400);
    expect(resolved.resolvedAt).toBe(ctx.now);
    expect(back.ttl).toBeUndefined();
    expect(back.resolvedAt).toBeUndefined();
    expect(back.newReason).toBe('reopened');
  });

  it('claims a pending change once', () => {
    // Prepare
    const pending = prev('NEW', { pending: 'NEW' });
    // Act
    const claimed = claim(pending, ctx)!;
    // Assess
    expect(claimed.pending).toBeUndefined();
    expect(claimed.lastNotified).toBe(ctx.now);
    expect(claim(claimed, ctx)).toBeUndefined();
  });
});

describe('which absent findings count as resolved', () => {
  const coverage = {
    rules: [f.ruleId],
    scopes: [`${f.account}#${f.region}`],
    minSeverity: 'INFO' as const,
    findings: [],
  };

  it.each([
    ['the rule ran on an audited scope', {}, prev('OPEN'), true],
    ['the rule did not run this time', { rules: ['other-rule'] }, prev('OPEN'), false],
    ['the region was not audited this time', { scopes: ['111122223333#eu-west-1'] }, prev('OPEN'), false],
    ['the severity was filtered out', { minSeverity: 'CRITICAL' as const }, prev('OPEN'), false],
    [
      'the rule was NOT_EVALUATED in that scope',
      { findings: [finding(9, 'HIGH', { status: 'NOT_EVALUATED' })] },
      prev('OPEN'),
      false,
    ],
    [
      'another rule was NOT_EVALUATED in that scope',
      { findings: [finding(9, 'HIGH', { status: 'NOT_EVALUATED', ruleId: 'nacl-unused' })] },
      prev('OPEN'),
      true,
    ],
    [
      "a training job's listing was cut at its cap in that region",
      { jobsTruncated: { [`${f.region}/trainingJobs`]: true } },
      prev('OPEN', { resource: { ...f.resource, type: 'AWS::SageMaker::TrainingJob' } }),
      false,
    ],
    [
      "a training job's listing was cut in that account and region (many accounts)",
      { jobsTruncated: { [`${f.account}/${f.region}/trainingJobs`]: true } },
      prev('OPEN', { resource: { ...f.resource, type: 'AWS::SageMaker::TrainingJob' } }),
      false,
    ],
    [
      'the processing-job listing was cut, not the training-job one',
      { jobsTruncated: { [`${f.region}/processingJobs`]: true, [`${f.region}/trainingJobs`]: false } },
      prev('OPEN', { resource: { ...f.resource, type: 'AWS::SageMaker::TrainingJob' } }),
      true,
    ],
    [
      'the training-job listing was cut in another account',
      { jobsTruncated: { [`444455556666/${f.region}/trainingJobs`]: true } },
      prev('OPEN', { resource: { ...f.resource, type: 'AWS::SageMaker::TrainingJob' } }),
      true,
    ],
  ] as const)('%s', (_name, override, state, expected) => {
    // Act
    const evaluated = evaluatedPredicate({ ...coverage, ...override })(state);
    // Assess
    expect(evaluated).toBe(expected);
  });
});
