/**
 * Runs the real entry points as child processes against moto: the CLI (bin/ml-network-audit.js, as a
 * user runs it) and the Lambda handler (scripts/invoke.ts, as `npm run invoke` does). Only the test
 * environment reaches them: dummy credentials, no profile files, the endpoint on 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditResult } from '../../src/result.ts';

export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function awsTestEnv(endpoint: string, region = 'us-east-1'): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: region,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

export function runProcess(args: string[], env: Record<string, string>): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The CLI, with `env` over the test environment. */
export function runCli(
  endpoint: string,
  args: string[],
  env: Record<string, string> = {},
  region = 'us-east-1',
): Promise<ProcessRun> {
  return runProcess(['bin/ml-network-audit.js', ...args], { ...awsTestEnv(endpoint, region), ...env });
}

/** The Lambda handler on one event (an object, or raw text for a malformed one). */
export function runInvoke(
  endpoint: string,
  event: unknown,
  env: Record<string, string> = {},
  region = 'us-east-1',
): Promise<ProcessRun> {
  const file = join(mkdtempSync(join(tmpdir(), 'mlna-event-')), 'event.json');
  writeFileSync(file, typeof event === 'string' ? event : JSON.stringify(event));
  return runProcess(['--import', 'tsx', 'scripts/invoke.ts', file], {
    ...awsTestEnv(endpoint, region),
    ...env,
  });
}

/** The resource ids a rule FAILs on (optionally in one region), sorted: what the e2e files assert. */
export function failingIds(result: AuditResult, ruleId: string, region?: string): string[] {
  return result.findings
    .filter((f) => f.ruleId === ruleId && f.status === 'FAIL' && (!region || f.region === region))
    .map((f) => f.resource.id)
    .sort();
}

/**
 * Kinds moto 5.2.1 cannot answer: ListMonitoringSchedules and ListInferenceComponents are not
 * implemented, and Bedrock's ListModelCustomizationJobs answers times that are not RFC 3339.
 */
export const MOTO_UNREADABLE_KINDS: readonly string[] = [
  'monitoringSchedules',
  'inferenceComponents',
  'bedrockCustomizationJobs',
];

/** Whether a finding is the scope note of a rule that could not read only what moto cannot answer. */
export function isMotoGapNote(f: AuditResult['findings'][number]): boolean {
  const missing = (f.evidence as { missingKinds?: unknown }).missingKinds;
  return (
    f.status === 'NOT_EVALUATED' &&
    Array.isArray(missing) &&
    missing.every((k) => MOTO_UNREADABLE_KINDS.includes(String(k)))
  );
}

/** The findings of a run without those notes: what a real account with every action granted shows. */
export function withoutMotoGapNotes(result: AuditResult): AuditResult['findings'] {
  return result.findings.filter((f) => !isMotoGapNote(f));
}
