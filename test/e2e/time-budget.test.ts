/**
 * --time-budget bounds the process, not only the report: against an endpoint that accepts every
 * connection and never answers (sts, ec2, sagemaker, network firewall alike), the CLI writes its
 * report when the budget ends and exits right after, every unanswered call a TimeBudgetExceeded gap.
 */

import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditResult } from '../../src/result.ts';
import { type HungServer, startHungServer } from '../fixtures/hung-server.ts';
import { awsTestEnv } from './run-process.ts';

const BUDGET_S = 3;

interface TimedRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** ms from spawn to the first byte of the report, and to the exit. */
  firstOutputMs: number | undefined;
  exitMs: number;
}

function timedCli(args: string[], env: Record<string, string>): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['bin/ml-network-audit.js', ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let firstOutputMs: number | undefined;
    child.stdout.on('data', (d: Buffer) => {
      firstOutputMs ??= Date.now() - started;
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    // A run the budget did not bound is killed, so the assertions below report it instead of a hang.
    const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr, firstOutputMs, exitMs: Date.now() - started });
    });
  });
}

let server: HungServer;
let run: TimedRun;
let result: AuditResult;

beforeAll(async () => {
  server = await startHungServer();
  run = await timedCli(
    [
      'audit',
      '--format',
      'json',
      '--regions',
      'us-east-1',
      '--time-budget',
      String(BUDGET_S),
      '--no-progress',
    ],
    awsTestEnv(server.endpoint),
  );
  result = JSON.parse(run.stdout) as AuditResult;
});

afterAll(async () => {
  await server.close();
});

describe('audit --time-budget against an endpoint that never answers', () => {
  it('writes the report when the budget ends and exits within seconds of it, 1 as it read nothing', () => {
    expect(run.code, run.stderr).toBe(1);
    // The run (collection and analysis) ends with the budget; the process, right after the report.
    expect(result.run.durationMs).toBeLessThan(BUDGET_S * 1000 + 3_000);
    expect(run.firstOutputMs).toBeDefined();
    expect(run.exitMs - (run.firstOutputMs ?? 0)).toBeLessThan(5_000);
    // Generous: process start-up (tsx, the SDK) takes up to ~10 s on a loaded 2-core machine.
    expect(run.exitMs).toBeLessThan(BUDGET_S * 1000 + 25_000);
  });

  it('records every unanswered call as a TimeBudgetExceeded gap naming its operation', () => {
    const budgetGaps = result.coverage.filter((g) => g.errorCode === 'TimeBudgetExceeded');
    const operations = new Set(budgetGaps.map((g) => g.operation));
    for (const op of [
      'GetCallerIdentity',
      'DescribeVpcs',
      'DescribeSecurityGroups',
      'ListDomains',
      'ListFirewalls',
    ])
      expect(operations).toContain(op);
    expect(result.run.bounds.stoppedEarly).toBe(true);
    expect(result.run.accounts).toEqual(['unknown']);
  });

  it('says one line on stderr (nothing was audited): no SDK timeout warning, no listener-leak warning, no stack trace', () => {
    expect(run.stderr).toMatch(
      /^error: audited nothing: every call failed in us-east-1 \(account unknown\) \(first failure: \S+ TimeBudgetExceeded: [^\n]*\)\n$/,
    );
  });
});
