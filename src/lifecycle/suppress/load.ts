/**
 * Reading a suppressions document from an S3 object or an SSM parameter (Lambda); from a file (CLI):
 * load-file.ts, which loads no AWS SDK client.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { parseSuppressions, type Suppression, SuppressionError } from './suppressions.ts';

/** `s3://bucket/key` into its parts; undefined when it is not one. */
export function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/.exec(uri);
  return m ? { bucket: m[1] as string, key: m[2] as string } : undefined;
}

export async function loadSuppressionsS3(s3: S3Client, uri: string): Promise<Suppression[]> {
  const where = parseS3Uri(uri);
  if (!where) throw new SuppressionError(`suppressions ${uri}: not an s3://bucket/key URI`);
  let text: string;
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: where.bucket, Key: where.key }));
    text = (await out.Body?.transformToString('utf-8')) ?? '';
  } catch (err) {
    throw new SuppressionError(`suppressions ${uri}: ${(err as Error).name}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return parseSuppressions(text, uri);
}

export async function loadSuppressionsSsm(ssm: SSMClient, name: string): Promise<Suppression[]> {
  let text: string;
  try {
    const out = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    text = out.Parameter?.Value ?? '';
  } catch (err) {
    throw new SuppressionError(
      `suppressions ssm:${name}: ${(err as Error).name}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  return parseSuppressions(text, `ssm:${name}`);
}
