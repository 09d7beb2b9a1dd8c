/**
 * The Lambda's multi-account and archive settings: which accounts a run audits (an on-demand
 * payload's `accounts`, as the organization state machine sends one per account, or ACCOUNTS), through
 * AUDIT_ROLE_NAME with AUDIT_EXTERNAL_ID; and the optional archive of the run to RESULTS_BUCKET.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import { type ArchivedObject, archiveResult } from '../report/s3.ts';
import type { AuditResult } from '../result.ts';
import type { LambdaEnv } from './env.ts';
import { PayloadError } from './payload.ts';

/** The `accounts` part of the run's config input, or nothing for the function's own account. */
export function accountTargetsInput(
  env: Pick<LambdaEnv, 'ACCOUNTS' | 'AUDIT_ROLE_NAME' | 'AUDIT_EXTERNAL_ID' | 'ACCOUNT_CONCURRENCY'>,
  payload: { accounts?: string[] },
): { accounts?: Record<string, unknown> } {
  const accounts = payload.accounts ?? env.ACCOUNTS;
  if (!accounts) return {};
  if (!env.AUDIT_ROLE_NAME) {
    throw new PayloadError(
      'invalid payload: accounts: auditing other accounts needs AUDIT_ROLE_NAME to be set',
    );
  }
  return {
    accounts: {
      source: 'list',
      accounts,
      roleName: env.AUDIT_ROLE_NAME,
      ...(env.AUDIT_EXTERNAL_ID ? { externalId: env.AUDIT_EXTERNAL_ID } : {}),
      concurrency: env.ACCOUNT_CONCURRENCY,
    },
  };
}

let defaultS3: S3Client | undefined;

/**
 * Write the run's JSON and OCSF to RESULTS_BUCKET when it is set. A failed write is logged and does not
 * fail the run: the findings are already in CloudWatch, and the digest still goes out.
 */
export async function archiveRun(
  env: Pick<LambdaEnv, 'RESULTS_BUCKET' | 'AWS_REGION'>,
  result: AuditResult,
  logger: Pick<Logger, 'info' | 'error'>,
  s3?: S3Client,
): Promise<ArchivedObject[] | undefined> {
  if (!env.RESULTS_BUCKET) return undefined;
  if (!s3 && !defaultS3) {
    defaultS3 = new S3Client({ region: env.AWS_REGION, retryMode: 'adaptive', maxAttempts: 5 });
  }
  const client = (s3 ?? defaultS3) as S3Client;
  try {
    const written = await archiveResult(client, env.RESULTS_BUCKET, result);
    logger.info('run archived', {
      runId: result.run.id,
      bucket: env.RESULTS_BUCKET,
      objects: written.length,
    });
    return written;
  } catch (err) {
    logger.error('run archive failed', {
      runId: result.run.id,
      bucket: env.RESULTS_BUCKET,
      error: (err as Error).message,
    });
    return undefined;
  }
}
