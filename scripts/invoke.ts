/**
 * Run the Lambda handler on this machine: `npm run invoke -- events/scheduled.json`.
 *
 * stdout carries exactly what CloudWatch would receive from the function (the JSON log records and the
 * EMF metric blobs); the handler's return value and any error go to stderr. AWS access goes through the
 * standard chain (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, ...), as in Lambda.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Context } from 'aws-lambda';

const file = process.argv[2];
if (!file) {
  process.stderr.write(
    'usage: npm run invoke -- <event.json>   (e.g. events/scheduled.json, events/on-demand.json)\n',
  );
  process.exit(2);
}

let event: unknown;
try {
  event = JSON.parse(await readFile(file, 'utf8'));
} catch (err) {
  process.stderr.write(`error: cannot read event ${file}: ${(err as Error).message}\n`);
  process.exit(2);
}

const timeoutMs = Number(process.env.INVOKE_TIMEOUT_SECONDS ?? 900) * 1000;
const deadline = Date.now() + timeoutMs;
const functionName = 'ml-network-audit-local';
const context: Context = {
  awsRequestId: randomUUID(),
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION ?? 'us-east-1'}:000000000000:function:${functionName}`,
  memoryLimitInMB: '2048',
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: 'local',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

try {
  const { handler } = await import('../src/handler.ts');
  const result = await handler(event, context);
  process.stderr.write(`${JSON.stringify(result, null, 2)}\n`);
} catch (err) {
  process.stderr.write(`error: ${(err as Error).name}: ${(err as Error).message}\n`);
  process.exit(1);
}
