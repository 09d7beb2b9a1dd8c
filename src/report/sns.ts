/** Publishing the digest to the findings topic. */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Digest } from './digest.ts';

export class PublishError extends Error {
  override readonly name = 'PublishError';
}

export async function publishDigest(
  sns: SNSClient,
  topicArn: string,
  digest: Digest,
): Promise<string | undefined> {
  try {
    const out = await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: digest.subject,
        Message: digest.message,
        MessageStructure: 'json',
        MessageAttributes: {
          highestSeverity: { DataType: 'String', StringValue: digest.attributes.highestSeverity },
          account: { DataType: 'String', StringValue: digest.attributes.account },
          findingCount: { DataType: 'Number', StringValue: String(digest.attributes.findingCount) },
        },
      }),
    );
    return out.MessageId;
  } catch (err) {
    throw new PublishError(`publishing the digest to ${topicArn} failed: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
