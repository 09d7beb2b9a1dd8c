/**
 * Seeding an organization in moto for the multi-account e2e files: member accounts, an open SSH group
 * entered through the audit role, and a topic delivered to a queue (to read what a digest sent).
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVpcCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  CreateAccountCommand,
  DescribeCreateAccountStatusCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { clientConfig } from './seed.ts';

export async function createAccount(org: OrganizationsClient, name: string): Promise<string> {
  const { CreateAccountStatus } = await org.send(
    new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }),
  );
  const { CreateAccountStatus: status } = await org.send(
    new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: CreateAccountStatus!.Id! }),
  );
  return status!.AccountId!;
}

/** A VPC with an SSH-to-the-world group in `account`, entered through `role`; the group's id. */
export async function openSsh(
  endpoint: string,
  region: string,
  account: string,
  role: string,
  cidr = '10.30.0.0/16',
): Promise<string> {
  const sts = new STSClient(clientConfig(endpoint, region));
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/${role}`, RoleSessionName: 'seed' }),
  );
  sts.destroy();
  const ec2 = new EC2Client({
    ...clientConfig(endpoint, region),
    credentials: {
      accessKeyId: c!.AccessKeyId!,
      secretAccessKey: c!.SecretAccessKey!,
      sessionToken: c!.SessionToken!,
    },
  });
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
  const { GroupId } = await ec2.send(
    new CreateSecurityGroupCommand({ GroupName: 'ssh', Description: 'ssh', VpcId: Vpc!.VpcId! }),
  );
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    }),
  );
  ec2.destroy();
  return GroupId!;
}

/** A topic whose messages land raw in a new queue. */
export async function topicToQueue(
  endpoint: string,
  region: string,
  topic: string,
  queue: string,
): Promise<{ topicArn: string; queueUrl: string }> {
  const sns = new SNSClient(clientConfig(endpoint, region));
  const sqs = new SQSClient(clientConfig(endpoint, region));
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: topic }))).TopicArn!;
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: queue }))).QueueUrl!;
  const queueArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes!.QueueArn!;
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: queueArn,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  sns.destroy();
  sqs.destroy();
  return { topicArn, queueUrl };
}
