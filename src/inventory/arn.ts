/** ARNs for the resources findings name. One place for the formats. */
import type { RegionInventory } from './schema.ts';

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}

/** An EC2 resource ARN: arn:aws:ec2:us-east-1:123456789012:security-group/sg-1. */
export function ec2Arn(
  scope: Pick<RegionInventory, 'partition' | 'region' | 'account'>,
  type: string,
  id: string,
): string {
  return `arn:${scope.partition}:ec2:${scope.region}:${scope.account}:${type}/${id}`;
}

/** A SageMaker resource ARN, used when the API did not give one. */
export function sagemakerArn(
  scope: Pick<RegionInventory, 'partition' | 'region' | 'account'>,
  type: string,
  name: string,
): string {
  return `arn:${scope.partition}:sagemaker:${scope.region}:${scope.account}:${type}/${name.toLowerCase()}`;
}

/** The scope itself, for findings about a whole account and region. */
export function regionArn(scope: Pick<RegionInventory, 'partition' | 'region' | 'account'>): string {
  return `arn:${scope.partition}:ec2:${scope.region}:${scope.account}:region/${scope.region}`;
}
