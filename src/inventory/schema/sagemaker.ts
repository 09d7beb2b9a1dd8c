/** The SageMaker kinds' schemas: Studio, notebook instances, hosting, training and processing jobs. */
import { z } from 'zod';
import { isoTimestamp, optStr, str, strList, tags } from './fields.ts';

export const VpcConfigSchema = z.strictObject({
  subnets: strList,
  securityGroupIds: strList,
});

export const SageMakerDomainSchema = z.strictObject({
  domainId: str,
  domainArn: optStr,
  domainName: optStr,
  status: optStr,
  /** PublicInternetOnly | VpcOnly; absent means PublicInternetOnly (the API's default). */
  appNetworkAccessType: optStr,
  vpcId: optStr,
  subnetIds: strList,
  defaultUserSecurityGroups: strList,
  defaultSpaceSecurityGroups: strList,
  /** The security group SageMaker created for the domain's EFS boundary, if reported. */
  securityGroupIdForDomainBoundary: optStr,
  tags,
});

export const SageMakerUserProfileSchema = z.strictObject({
  domainId: str,
  userProfileName: str,
  userProfileArn: optStr,
  /** The profile's own security groups; absent when it inherits the domain's. */
  securityGroups: strList.optional(),
  tags,
});

export const SageMakerSpaceSchema = z.strictObject({
  domainId: str,
  spaceName: str,
  spaceArn: optStr,
  /** The space's own security groups, where the API reports them; absent when inherited. */
  securityGroups: strList.optional(),
  tags,
});

export const NotebookInstanceSchema = z.strictObject({
  notebookInstanceName: str,
  notebookInstanceArn: optStr,
  status: optStr,
  instanceType: optStr,
  /** Enabled | Disabled */
  directInternetAccess: optStr,
  subnetId: optStr,
  securityGroups: strList,
  /** Enabled | Disabled; absent means Enabled (the API's default). */
  rootAccess: optStr,
  kmsKeyId: optStr,
  networkInterfaceId: optStr,
  tags,
});

export const SageMakerEndpointSchema = z.strictObject({
  endpointName: str,
  endpointArn: optStr,
  endpointConfigName: optStr,
  status: optStr,
  tags,
});

export const ProductionVariantSchema = z.strictObject({
  variantName: str,
  modelName: optStr,
  initialInstanceCount: z.number().int().optional(),
  instanceType: optStr,
  serverless: z.boolean(),
});

export const EndpointConfigSchema = z.strictObject({
  endpointConfigName: str,
  endpointConfigArn: optStr,
  kmsKeyId: optStr,
  /** Placement of inference components hosted by this config (the models' own VpcConfig otherwise). */
  vpcConfig: VpcConfigSchema.optional(),
  enableNetworkIsolation: z.boolean().optional(),
  productionVariants: z.array(ProductionVariantSchema),
  tags,
});

export const ModelSchema = z.strictObject({
  modelName: str,
  modelArn: optStr,
  vpcConfig: VpcConfigSchema.optional(),
  enableNetworkIsolation: z.boolean(),
  imageUris: strList,
  tags,
});

export const TrainingJobSchema = z.strictObject({
  trainingJobName: str,
  trainingJobArn: optStr,
  status: optStr,
  creationTime: isoTimestamp.optional(),
  vpcConfig: VpcConfigSchema.optional(),
  enableNetworkIsolation: z.boolean(),
  enableInterContainerTrafficEncryption: z.boolean(),
  /** Total instances across the resource config (instance groups summed). */
  instanceCount: z.number().int(),
  imageUri: optStr,
  tags,
});

export const ProcessingJobSchema = z.strictObject({
  processingJobName: str,
  processingJobArn: optStr,
  status: optStr,
  creationTime: isoTimestamp.optional(),
  vpcConfig: VpcConfigSchema.optional(),
  enableNetworkIsolation: z.boolean(),
  enableInterContainerTrafficEncryption: z.boolean(),
  instanceCount: z.number().int(),
  imageUri: optStr,
  tags,
});
