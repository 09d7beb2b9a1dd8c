/**
 * Lambda entry. Thin: configuration is read once at start-up (a bad variable fails the init with a
 * message naming it), clients are created once and reused across invocations.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SNSClient } from '@aws-sdk/client-sns';
import { loadLambdaEnv } from './lambda/env.ts';
import { createHandler } from './lambda/service.ts';

export const SERVICE_NAME = 'ml-network-audit';
export const DEFAULT_METRICS_NAMESPACE = 'MlNetworkAudit';

const env = loadLambdaEnv(process.env);
const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME });
const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? DEFAULT_METRICS_NAMESPACE,
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME,
});
const sns = new SNSClient({ region: env.AWS_REGION, retryMode: 'adaptive', maxAttempts: 5 });

export const handler = createHandler(env, { logger, metrics, sns });
