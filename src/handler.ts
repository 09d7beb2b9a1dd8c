/**
 * Lambda entry. Thin: configuration is read once at start-up (a bad variable fails the init with a
 * message naming it), clients are created once and reused across invocations. Every log line of an
 * invocation carries its Lambda context (Powertools `addContext`: cold_start, function_request_id,
 * function_name, ...), and the first invocation of an execution environment emits the ColdStart metric.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Context } from 'aws-lambda';
import { loadLambdaEnv } from './lambda/env.ts';
import { withOrganizationSteps } from './lambda/org.ts';
import { createHandler } from './lambda/service.ts';
import { DynamoDbStateStore } from './lifecycle/state/dynamodb-store.ts';
import { loadSuppressionsS3, loadSuppressionsSsm } from './lifecycle/suppress/load.ts';

// Every variable, Powertools' included, is validated before anything is built from it.
const env = loadLambdaEnv(process.env);
const logger = new Logger({
  serviceName: env.POWERTOOLS_SERVICE_NAME,
  ...(env.POWERTOOLS_LOG_LEVEL ? { logLevel: env.POWERTOOLS_LOG_LEVEL } : {}),
});
const metrics = new Metrics({
  namespace: env.POWERTOOLS_METRICS_NAMESPACE,
  serviceName: env.POWERTOOLS_SERVICE_NAME,
});
const sns = new SNSClient({ region: env.AWS_REGION, retryMode: 'adaptive', maxAttempts: 5 });

const clientOptions = { region: env.AWS_REGION, retryMode: 'adaptive', maxAttempts: 5 } as const;
const state = env.STATE_TABLE_NAME
  ? new DynamoDbStateStore(new DynamoDBClient(clientOptions), env.STATE_TABLE_NAME)
  : undefined;
const s3 = env.SUPPRESSIONS_S3_URI ? new S3Client(clientOptions) : undefined;
const ssm = env.SUPPRESSIONS_PARAMETER ? new SSMClient(clientOptions) : undefined;
/** Read on every invocation (edits apply to the next run); both sources, when both are set. */
const suppressions =
  s3 || ssm
    ? async () => [
        ...(s3 && env.SUPPRESSIONS_S3_URI ? await loadSuppressionsS3(s3, env.SUPPRESSIONS_S3_URI) : []),
        ...(ssm && env.SUPPRESSIONS_PARAMETER
          ? await loadSuppressionsSsm(ssm, env.SUPPRESSIONS_PARAMETER)
          : []),
      ]
    : undefined;

/** One Security Hub client per region a finding is in (SECURITY_HUB=true). */
const hubClients = new Map<string, SecurityHubClient>();
const securityHub = env.SECURITY_HUB
  ? (region: string) => {
      const client = hubClients.get(region) ?? new SecurityHubClient({ ...clientOptions, region });
      hubClients.set(region, client);
      return client;
    }
  : undefined;

const deps = {
  logger,
  metrics,
  sns,
  ...(state ? { state } : {}),
  ...(suppressions ? { suppressions } : {}),
  ...(securityHub ? { securityHub } : {}),
};
// Organization mode's steps (`{"mode": "org-..."}` from the state machine) first; anything else as before.
const run = withOrganizationSteps(env, deps, createHandler(env, deps));

export async function handler(event: unknown, context: Context): ReturnType<typeof run> {
  logger.addContext(context);
  metrics.captureColdStartMetric(context.functionName);
  return run(event, context);
}
