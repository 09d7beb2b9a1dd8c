/**
 * The kind-table rows of the ML compute kinds beyond notebooks, Studio, training and processing jobs,
 * models and endpoints (schema/sagemaker-compute.ts): spread into RESOURCE_TABLE (kinds.ts), after the
 * processing jobs. Kept apart so the table stays readable; the rows follow the same contract.
 */
import type { z } from 'zod';
import type { KindRow } from './kinds.ts';
import {
  AutoMLJobSchema,
  BedrockCustomizationJobSchema,
  CompilationJobSchema,
  HyperParameterTuningJobSchema,
  HyperPodClusterSchema,
  InferenceComponentSchema,
  MonitoringJobDefinitionSchema,
  MonitoringScheduleSchema,
  TransformJobSchema,
} from './schema/sagemaker-compute.ts';

/** Infers each row's schema type, so field names are checked against that kind's schema. */
function computeRow<S extends z.ZodObject>(r: KindRow<S>): KindRow<S> {
  return r;
}

/** A Model Monitor job definition kind: one per monitoring type, each with its own API and ARN. */
function monitoringDefinitionRow(type: 'DataQuality' | 'ModelQuality' | 'ModelBias' | 'ModelExplainability') {
  const arnResource = `${type.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}-job-definition`;
  return computeRow({
    schema: MonitoringJobDefinitionSchema,
    service: 'sagemaker',
    cfnType: `AWS::SageMaker::${type}JobDefinition`,
    arn: { build: 'sagemaker', resource: arnResource, apiField: 'jobDefinitionArn' },
    id: ['jobDefinitionName'],
    name: 'jobDefinitionName',
    tags: 'ListTags',
    actions: [`sagemaker:List${type}JobDefinitions`, `sagemaker:Describe${type}JobDefinition`],
    reach: true,
  });
}

export const COMPUTE_ROWS = {
  hyperParameterTuningJobs: computeRow({
    schema: HyperParameterTuningJobSchema,
    service: 'sagemaker',
    cfnType: 'AWS::SageMaker::HyperParameterTuningJob',
    arn: { build: 'sagemaker', resource: 'hyper-parameter-tuning-job', apiField: 'tuningJobArn' },
    id: ['tuningJobName'],
    name: 'tuningJobName',
    tags: 'ListTags',
    actions: ['sagemaker:ListHyperParameterTuningJobs', 'sagemaker:DescribeHyperParameterTuningJob'],
    reach: true,
  }),
  transformJobs: computeRow({
    schema: TransformJobSchema,
    service: 'sagemaker',
    cfnType: 'AWS::SageMaker::TransformJob',
    arn: { build: 'sagemaker', resource: 'transform-job', apiField: 'transformJobArn' },
    id: ['transformJobName'],
    name: 'transformJobName',
    tags: 'ListTags',
    actions: ['sagemaker:ListTransformJobs', 'sagemaker:DescribeTransformJob'],
    reach: true,
  }),
  hyperPodClusters: computeRow({
    schema: HyperPodClusterSchema,
    service: 'sagemaker',
    cfnType: 'AWS::SageMaker::Cluster',
    // A cluster's ARN names its id, not its name: only the API's ARN is right.
    arn: { apiField: 'clusterArn', resources: ['cluster'] },
    id: ['clusterName'],
    name: 'clusterName',
    tags: 'ListTags',
    actions: ['sagemaker:ListClusters', 'sagemaker:DescribeCluster'],
    reach: true,
  }),
  dataQualityJobDefinitions: monitoringDefinitionRow('DataQuality'),
  modelQualityJobDefinitions: monitoringDefinitionRow('ModelQuality'),
  modelBiasJobDefinitions: monitoringDefinitionRow('ModelBias'),
  modelExplainabilityJobDefinitions: monitoringDefinitionRow('ModelExplainability'),
  monitoringSchedules: computeRow({
    schema: MonitoringScheduleSchema,
    service: 'sagemaker',
    cfnType: 'AWS::SageMaker::MonitoringSchedule',
    arn: { build: 'sagemaker', resource: 'monitoring-schedule', apiField: 'monitoringScheduleArn' },
    id: ['monitoringScheduleName'],
    name: 'monitoringScheduleName',
    tags: 'ListTags',
    actions: ['sagemaker:ListMonitoringSchedules', 'sagemaker:DescribeMonitoringSchedule'],
    reach: true,
  }),
  compilationJobs: computeRow({
    schema: CompilationJobSchema,
    service: 'sagemaker',
    cfnType: 'AWS::SageMaker::CompilationJob',
    arn: { build: 'sagemaker', resource: 'compilation-job', apiField: 'compilationJobArn' },
    id: ['compilationJobName'],
    name: 'compilationJobName',
    tags: 'ListTags',
    actions: ['sagemaker:ListCompilationJobs', 'sagemaker:DescribeCompilationJob'],
    reach: true,
  }),
  autoMLJobs: computeRow({
    schema: AutoMLJobSchema,
    service: 'sagemaker',
    cfnType: 'AWS::SageMaker::AutoMLJob',
    arn: { build: 'sagemaker', resource: 'automl-job', apiField: 'autoMLJobArn' },
    id: ['autoMLJobName'],
    name: 'autoMLJobName',
    tags: 'ListTags',
    actions: ['sagemaker:ListAutoMLJobs', 'sagemaker:DescribeAutoMLJobV2'],
    reach: true,
  }),
  inferenceComponents: computeRow({
    schema: InferenceComponentSchema,
    service: 'sagemaker',
    cfnType: 'AWS::SageMaker::InferenceComponent',
    arn: { build: 'sagemaker', resource: 'inference-component', apiField: 'inferenceComponentArn' },
    id: ['inferenceComponentName'],
    name: 'inferenceComponentName',
    tags: 'ListTags',
    actions: ['sagemaker:ListInferenceComponents', 'sagemaker:DescribeInferenceComponent'],
    // They ride their endpoint's network: the endpoint's placement, not theirs, is what paths read.
    reach: false,
  }),
  bedrockCustomizationJobs: computeRow({
    schema: BedrockCustomizationJobSchema,
    service: 'bedrock',
    cfnType: 'AWS::Bedrock::ModelCustomizationJob',
    arn: { apiField: 'jobArn', resources: ['model-customization-job'] },
    id: ['jobName'],
    name: 'jobName',
    // Bedrock's own ListTagsForResource, read by the Bedrock collector.
    tags: 'ListTags',
    actions: [
      'bedrock:ListModelCustomizationJobs',
      'bedrock:GetModelCustomizationJob',
      'bedrock:ListTagsForResource',
    ],
    reach: true,
  }),
} as const;
