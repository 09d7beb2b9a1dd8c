/**
 * Finding lifecycle across runs, through the Lambda's handler over the file store: what each run stores,
 * counts, logs, emits and tells (new / open / resolved, overlapping runs, suppression expiry). The audit
 * is replaced by a script of results, SNS by a mock, the clock by an injected one; the e2e file keeps
 * one run per trigger against moto.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Finding, Severity } from '../../../src/analyze/engine/finding.ts';
import { loadLambdaEnv } from '../../../src/lambda/env.ts';
import { createHandler, type ServiceDeps } from '../../../src/lambda/service.ts';
import { FileStateStore } from '../../../src/lifecycle/state/file-store.ts';
import type { FindingState } from '../../../src/lifecycle/state/transition.ts';
import { loadSuppressionsSsm } from '../../../src/lifecycle/suppress/load.ts';
import { parseSuppressions } from '../../../src/lifecycle/suppress/suppressions.ts';
import type { AuditResult } from '../../../src/result.ts';
import { auditResult, finding } from '../../fixtures/audit-result.ts';
import { inventory, scope } from '../../fixtures/inventory.ts';
import { vpc } from '../../fixtures/network.ts';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const SCOPE = `${ACCOUNT}#${REGION}`;
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:ml-network-audit-findings`;
const snsMock = mockClient(SNSClient);
const ssmMock = mockClient(SSMClient);
const sns = new SNSClient({ region: REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 600_000 };
/** A real EventBridge rule schedule event (a schedule is recognized by its whole envelope). */
const scheduled = JSON.parse(readFileSync('events/scheduled.json', 'utf8'));

interface DigestDoc {
  kind: string;
  findings: { ruleId: string; severity: string; resource: { id: string }; fingerprint: string }[];
  changes: {
    new: string[];
    resolved: { ruleId: string; resource: { id: string }; fingerprint: string }[];
    suppressionsExpired: { id: string; reason: string; fingerprint: string }[];
  };
}

const label = (f: { ruleId: string; resource: { id: string } }) => `${f.ruleId} ${f.resource.id}`;

/** A FAIL finding of `ruleId` on `resourceId`, its fingerprint unique by `n`. */
function on(n: number, ruleId: string, resourceId: string, severity: Severity): Finding {
  const f = finding(n, severity);
  return { ...f, ruleId, resource: { ...f.resource, id: resourceId } };
}

/** The run's result: every rule of its findings (and of the seeded account) evaluated in the one scope. */
function resultOf(findings: Finding[], runId: string, rules: readonly string[] = []): AuditResult {
  const base = auditResult(findings);
  const ran = [...new Set([...rules, ...findings.map((f) => f.ruleId)])].sort();
  return { ...base, run: { ...base.run, id: runId, rules: ran } };
}

async function tempStore(): Promise<FileStateStore> {
  return FileStateStore.open(join(mkdtempSync(join(tmpdir(), 'mlna-seq-')), 'state.json'));
}

/** Metrics as EMF would print them: one blob per single metric, one per publish of the stored ones. */
function metricsRecorder() {
  const blobs: Record<string, string | number>[] = [];
  let stored: Record<string, string | number> = {};
  const metrics = {
    singleMetric: () => {
      const blob: Record<string, string | number> = {};
      return {
        addDimension: (name: string, value: string) => {
          blob[name] = value;
        },
        addMetric: (name: string, _unit: string, value: number) => {
          blob[name] = value;
          blobs.push(blob);
        },
      };
    },
    addMetric: vi.fn((name: string, _unit: string, value: number) => {
      stored[name] = value;
    }),
    publishStoredMetrics: () => {
      blobs.push(stored);
      stored = {};
    },
  };
  return { metrics, blobs };
}

/** The Lambda over `store`, auditing whatever `next()` returns. */
function lambda(
  store: FileStateStore,
  next: () => AuditResult,
  extra: Partial<Pick<ServiceDeps, 'suppressions' | 'now'>> & { env?: Record<string, string> } = {},
) {
  const records: Record<string, unknown>[] = [];
  const logger = {
    info: (message: string, fields: Record<string, unknown>) => records.push({ message, ...fields }),
    error: (message: string, fields: Record<string, unknown>) => records.push({ message, ...fields }),
  } as unknown as Logger;
  const { metrics, blobs } = metricsRecorder();
  const env = loadLambdaEnv({
    AWS_REGION: REGION,
    FINDINGS_TOPIC_ARN: TOPIC,
    STATE_TABLE_NAME: 'state',
    ...extra.env,
  });
  const audit = vi.fn(async () => ({
    result: next(),
    inventory: inventory(scope({ account: ACCOUNT, vpcs: [vpc('vpc-1')] }, REGION)),
  }));
  const { env: _e, ...deps } = extra;
  const handler = createHandler(env, {
    logger,
    metrics: metrics as unknown as Metrics,
    sns,
    audit,
    state: store,
    ...deps,
  });
  return { handler, records, metrics, blobs, audit };
}

/** Every digest published since the last call, with its subject. */
function digestReader() {
  let read = 0;
  return () => {
    const calls = snsMock.commandCalls(PublishCommand).slice(read);
    read += calls.length;
    return calls.map((c) => {
      const input = c.args[0].input;
      const doc = JSON.parse(JSON.parse(input.Message ?? '{}').default) as DigestDoc;
      return { doc, subject: input.Subject ?? '' };
    });
  };
}

async function items(store: FileStateStore): Promise<FindingState[]> {
  return store.load([SCOPE]);
}

beforeEach(() => {
  snsMock.reset();
  ssmMock.reset();
  snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

describe('repeated runs with finding state (the seeded account, alert threshold HIGH)', () => {
  const allOpen = on(1, 'sg-world-ingress-all-ports', 'sg-allopen', 'CRITICAL');
  const sshAdmin = on(2, 'sg-world-ingress-admin-port', 'sg-sshopen', 'HIGH');
  const sshWide = on(3, 'sg-wide-public-cidr-ingress', 'sg-sshopen', 'MEDIUM');
  const publicDomain = on(4, 'sagemaker-domain-public-internet', 'd-public', 'HIGH');
  const halves = on(5, 'sg-world-ingress-admin-port', 'sg-halves', 'HIGH');
  const unused = on(6, 'sg-unused', 'sg-idle', 'LOW');
  const rdpAdmin = on(7, 'sg-world-ingress-admin-port', 'sg-rdp', 'HIGH');
  const rdpUnused = on(8, 'sg-unused', 'sg-rdp', 'LOW');
  const seeded = [allOpen, sshAdmin, sshWide, publicDomain, halves, unused];
  const fixed = seeded.filter((f) => f.resource.id !== 'sg-sshopen');
  const rules = [...new Set([...seeded, rdpAdmin].map((f) => f.ruleId))];

  it('alerts on everything, then nothing, then what was resolved, then exactly the new exposure', async () => {
    // Prepare
    const store = await tempStore();
    const script = [seeded, seeded, fixed, [...fixed, rdpAdmin, rdpUnused]];
    let run = 0;
    const { handler, blobs } = lambda(store, () => resultOf(script[run]!, `run-${++run}`, rules), {
      env: { MIN_ALERT_SEVERITY: 'HIGH' },
    });
    const received = digestReader();

    // Act 1: the first run
    const summary1 = await handler(scheduled, context);
    // Assess 1: one digest of every HIGH+ finding, all NEW in the state
    const digests1 = received();
    expect(digests1).toHaveLength(1);
    const first = digests1[0]!;
    expect(first.doc.kind).toBe('changes');
    expect(first.doc.findings.map(label)).toEqual(
      expect.arrayContaining([label(allOpen), label(sshAdmin), label(publicDomain)]),
    );
    expect(first.doc.changes.new.sort()).toEqual(first.doc.findings.map((f) => f.fingerprint).sort());
    expect(first.subject).toMatch(
      /^\[ml-network-audit\] 1 new CRITICAL, \d+ new HIGH in 111122223333 us-east-1$/,
    );
    const after1 = await items(store);
    expect(after1).toHaveLength(summary1.findings);
    expect(new Set(after1.map((s) => s.status))).toEqual(new Set(['NEW']));
    expect(after1.every((s) => s.pending === undefined || s.severity !== 'HIGH')).toBe(true);

    // Act 2: nothing changed
    const summary2 = await handler(scheduled, context);
    // Assess 2: nothing sent; every item OPEN now
    expect(received()).toEqual([]);
    expect(summary2).toMatchObject({
      alertSent: false,
      alertSkipped: 'nothing new or resolved at or above HIGH',
      lifecycle: { new: 0, resolved: 0 },
    });
    expect(new Set((await items(store)).map((s) => s.status))).toEqual(new Set(['OPEN']));

    // Act 3: fix one bad rule (SSH from the world): both findings of that group go
    blobs.length = 0;
    await handler(scheduled, context);
    // Assess 3: the digest says resolved, names it, and lists nothing new
    const digests3 = received();
    expect(digests3).toHaveLength(1);
    const third = digests3[0]!;
    expect(third.doc.changes.new).toEqual([]);
    expect(third.doc.changes.resolved.map(label)).toContain(label(sshAdmin));
    expect(third.subject).toMatch(/^\[ml-network-audit\] \d+ resolved in 111122223333 us-east-1$/);
    const after3 = await items(store);
    const resolved = after3.filter((s) => s.status === 'RESOLVED');
    expect(resolved.map(label)).toContain(label(sshAdmin));
    expect(resolved.every((s) => typeof s.ttl === 'number' && s.resolvedAt !== undefined)).toBe(true);
    expect(blobs.find((b) => 'ResolvedFindings' in b)).toMatchObject({
      NewFindings: 0,
      ResolvedFindings: resolved.length,
      SuppressedFindings: 0,
    });
    expect(blobs.find((b) => b.OpenFindings !== undefined && b.Severity === 'CRITICAL')).toMatchObject({
      OpenFindings: 1,
    });
    expect(third.doc.changes.resolved.map((r) => r.fingerprint).sort()).toEqual(
      resolved
        .filter((s) => ['CRITICAL', 'HIGH'].includes(s.severity))
        .map((s) => s.fingerprint)
        .sort(),
    );
    // The MEDIUM finding of the fixed group is resolved too, but below the threshold: not in the digest.
    expect(resolved.map(label)).toContain(label(sshWide));
    expect(third.doc.changes.resolved.map(label)).not.toContain(label(sshWide));

    // Act 4: a new exposure (RDP from the world)
    const summary4 = await handler(scheduled, context);
    // Assess 4: exactly that finding
    expect(summary4.alertSent).toBe(true);
    const digests4 = received();
    expect(digests4).toHaveLength(1);
    const fourth = digests4[0]!;
    expect(fourth.doc.findings.map(label)).toEqual([label(rdpAdmin)]);
    expect(fourth.doc.changes.resolved).toEqual([]);
    expect(fourth.subject).toBe(`[ml-network-audit] 1 new HIGH in ${ACCOUNT} us-east-1`);
    const after4 = await items(store);
    expect(after4.find((s) => label(s) === label(rdpAdmin))?.status).toBe('NEW');
    expect(after4.filter((s) => s.status === 'NEW' && s.resource.id !== 'sg-rdp')).toEqual([]);
  });

  it('leaves consistent state when two runs overlap: every item once, every new finding told once', async () => {
    // Prepare: two invocations of the same schedule over one store, started together
    const store = await tempStore();
    const received = digestReader();
    const a = lambda(store, () => resultOf(seeded, 'run-a', rules));
    const b = lambda(store, () => resultOf(seeded, 'run-b', rules));
    // Act
    const [sa, sb] = await Promise.all([a.handler(scheduled, context), b.handler(scheduled, context)]);
    // Assess
    const docs = received().map((d) => d.doc);
    const told = docs.flatMap((d) => d.changes.new);
    expect(new Set(told).size).toBe(told.length);
    const state = await items(store);
    expect(state).toHaveLength(sa.findings);
    expect(new Set(state.map((s) => s.fingerprint)).size).toBe(state.length);
    const alerting = state.filter((s) => ['CRITICAL', 'HIGH'].includes(s.severity));
    expect(told.sort()).toEqual(alerting.map((s) => s.fingerprint).sort());
    expect(state.filter((s) => !['NEW', 'OPEN'].includes(s.status) || s.pending !== undefined)).toEqual([]);
    expect(sa.lifecycle.new + sb.lifecycle.new).toBe(state.length);
  });

  it('recomputes on every lost conditional write, so each finding is new once and told once', async () => {
    // Prepare: 60 findings, two runs over one store at the same moment
    const store = await tempStore();
    const received = digestReader();
    const findings = Array.from({ length: 60 }, (_, i) => finding(i, i % 3 ? 'HIGH' : 'MEDIUM'));
    const service = (runId: string) => lambda(store, () => resultOf(findings, runId)).handler;
    // Act
    const [a, b] = await Promise.all([
      service('run-a')(scheduled, context),
      service('run-b')(scheduled, context),
    ]);
    // Assess
    expect(a.lifecycle.conflicts + b.lifecycle.conflicts).toBeGreaterThan(0);
    expect(a.lifecycle.new + b.lifecycle.new).toBe(60);
    const told = received().flatMap((d) => d.doc.changes.new);
    expect(told).toHaveLength(40);
    expect(new Set(told).size).toBe(40);
    const state = await items(store);
    expect(state).toHaveLength(60);
    // NEW, or OPEN where the other run's observation landed after this one was told; nothing left untold.
    expect(state.filter((s) => !['NEW', 'OPEN'].includes(s.status) || s.pending !== undefined)).toEqual([]);
    expect(state.every((s) => s.lastNotified !== undefined)).toBe(true);
  });
});

describe('a malformed suppressions parameter', () => {
  it('fails the run visibly, logs no finding, and sends nothing', async () => {
    // Prepare: the SSM parameter as the Lambda reads it (SUPPRESSIONS_PARAMETER)
    ssmMock.on(GetParameterCommand).resolves({
      Parameter: { Value: 'suppressions:\n  - rule: "sg-*"\n    resource: sg-1\n    expires: 2027-03-01\n' },
    });
    const ssm = new SSMClient({ region: REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    const { handler, records, audit } = lambda(
      await tempStore(),
      () => resultOf([finding(1, 'HIGH')], 'run-1'),
      { suppressions: () => loadSuppressionsSsm(ssm, '/mlna/broken-suppressions') },
    );
    // Act
    const error = await handler(scheduled, context).catch((e: Error) => e);
    // Assess: the invocation fails (scripts/invoke.ts prints `error: <name>: <message>`, exit 1)
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('SuppressionError');
    expect((error as Error).message).toContain('suppressions[0] (rule "sg-*"): reason: is required');
    expect(audit).not.toHaveBeenCalled();
    expect(records.filter((r) => r.message === 'finding')).toEqual([]);
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 0);
  });
});

describe('suppressions with an injected clock', () => {
  it('silences a finding until its expiry, then alerts on it and says the suppression expired', async () => {
    // Prepare
    const halves = on(5, 'sg-world-ingress-admin-port', 'sg-halves', 'HIGH');
    const allOpen = on(1, 'sg-world-ingress-all-ports', 'sg-allopen', 'CRITICAL');
    const store = await tempStore();
    const text = [
      'suppressions:',
      '  - rule: "sg-world-ingress-admin-*"',
      `    resource: "${halves.resource.id}"`,
      '    reason: bastion for the migration, owned by platform',
      '    expires: 2026-12-01',
    ].join('\n');
    let now = new Date('2026-11-22T06:00:00Z');
    let run = 0;
    const { handler, records, metrics } = lambda(store, () => resultOf([allOpen, halves], `run-${++run}`), {
      suppressions: async () => parseSuppressions(text, 'ssm:/mlna/suppressions'),
      now: () => now,
    });
    const received = digestReader();

    // Act 1: before the expiry
    const s1 = await handler(scheduled, context);
    // Assess 1: logged as SUPPRESSED with the reason, counted, not alerted, SUPPRESSED in the state
    const d1 = received();
    expect(d1).toHaveLength(1);
    expect(d1[0]!.doc.findings.map(label)).not.toContain(label(halves));
    expect(s1.lifecycle.suppressed).toBe(1);
    expect(metrics.addMetric).toHaveBeenCalledWith('SuppressedFindings', 'Count', 1);
    const logged = records.find((r) => r.message === 'finding' && label(r as never) === label(halves));
    expect(logged).toMatchObject({
      status: 'SUPPRESSED',
      suppression: { reason: 'bastion for the migration, owned by platform' },
    });
    const item1 = (await items(store)).find((s) => label(s) === label(halves));
    expect(item1).toMatchObject({
      status: 'SUPPRESSED',
      suppression: { expires: '2026-12-01T00:00:00.000Z' },
    });

    // Act 2: a day later, still before the expiry
    now = new Date('2026-11-23T06:00:00Z');
    const s2 = await handler(scheduled, context);
    // Assess 2: nothing sent
    expect(s2.alertSent).toBe(false);
    expect(received()).toEqual([]);

    // Act 3: after the expiry
    now = new Date('2026-12-02T06:00:00Z');
    const s3 = await handler(scheduled, context);
    // Assess 3: exactly that finding, and the digest says the suppression expired
    expect(s3.alertSent).toBe(true);
    const d3 = received();
    expect(d3).toHaveLength(1);
    expect(d3[0]!.doc.findings.map(label)).toEqual([label(halves)]);
    expect(d3[0]!.doc.changes.suppressionsExpired).toEqual([
      expect.objectContaining({ reason: 'bastion for the migration, owned by platform' }),
    ]);
    expect(d3[0]!.subject).toBe(`[ml-network-audit] 1 new HIGH in ${ACCOUNT} us-east-1`);
    expect((await items(store)).find((s) => label(s) === label(halves))).toMatchObject({
      status: 'NEW',
      newReason: 'suppression-expired',
    });
  });
});
