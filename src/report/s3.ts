/**
 * Optional archive of each run in S3: for every account and region the run covered, its slice of the
 * result document (JSON), its OCSF Detection Findings and its HTML report, under
 *   <account>/<region>/<YYYY-MM-DD>/<run-id>/result.json
 *   <account>/<region>/<YYYY-MM-DD>/<run-id>/findings.ocsf.json
 *   <account>/<region>/<YYYY-MM-DD>/<run-id>/report.html
 * (the date is the run's start, UTC), so a lake crawler can partition on account, region and date.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import type { AuditResult } from '../result.ts';
import { formatHtml } from './formats/html.ts';
import { formatJson } from './formats/json.ts';
import { formatOcsf } from './formats/ocsf.ts';

export interface ArchivedObject {
  key: string;
  bytes: number;
}

/** The name of the HTML report in a scope's folder (the digest links to it). */
export const REPORT_OBJECT = 'report.html';

const CONTENT_TYPES: Record<string, string> = {
  'result.json': 'application/json',
  'findings.ocsf.json': 'application/json',
  [REPORT_OBJECT]: 'text/html; charset=utf-8',
};

/** The run's scopes: every account/region pair with coverage, findings or a collected region. */
function scopesOf(result: AuditResult): { account: string; region: string }[] {
  const seen = new Map<string, { account: string; region: string }>();
  const add = (account: string, region: string) => seen.set(`${account}/${region}`, { account, region });
  for (const f of result.findings) add(f.account, f.region);
  for (const g of result.coverage) add(g.account, g.region);
  if (result.run.accounts.length === 1) for (const r of result.run.regions) add(result.run.accounts[0]!, r);
  return [...seen.values()].sort((a, b) =>
    `${a.account}/${a.region}`.localeCompare(`${b.account}/${b.region}`),
  );
}

/** One scope's slice of the result (findings, coverage and exposure of that account and region). */
export function sliceResult(result: AuditResult, account: string, region: string): AuditResult {
  const mine = (x: { account: string; region: string }) => x.account === account && x.region === region;
  const exposure = (result as { exposure?: unknown }).exposure;
  return {
    ...result,
    run: { ...result.run, accounts: [account], regions: [region] },
    findings: result.findings.filter(mine),
    coverage: result.coverage.filter(mine),
    ...(Array.isArray(exposure)
      ? { exposure: (exposure as { account: string; region: string }[]).filter(mine) }
      : {}),
  } as AuditResult;
}

export function archiveKey(
  prefix: string,
  account: string,
  region: string,
  result: AuditResult,
  name: string,
) {
  const date = result.run.startedAt.slice(0, 10);
  return `${prefix}${account}/${region}/${date}/${result.run.id}/${name}`;
}

export async function archiveResult(
  s3: S3Client,
  bucket: string,
  result: AuditResult,
  options: { prefix?: string } = {},
): Promise<ArchivedObject[]> {
  const prefix = options.prefix ?? '';
  const limit = pLimit(8);
  const puts = scopesOf(result).flatMap(({ account, region }) => {
    const slice = sliceResult(result, account, region);
    const bodies: [string, () => Promise<string> | string][] = [
      ['result.json', () => formatJson(slice)],
      ['findings.ocsf.json', () => formatOcsf(slice)],
      [REPORT_OBJECT, () => formatHtml(slice)],
    ];
    return bodies.map(([name, render]) =>
      limit(async (): Promise<ArchivedObject> => {
        const key = archiveKey(prefix, account, region, result, name);
        const body = await render();
        await s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: CONTENT_TYPES[name] }),
        );
        return { key, bytes: Buffer.byteLength(body) };
      }),
    );
  });
  const written = await Promise.all(puts);
  return written;
}
