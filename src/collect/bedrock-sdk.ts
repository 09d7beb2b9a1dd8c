/**
 * The few parts of the Bedrock SDK the collector uses, behind one module that is imported lazily. A
 * dynamic `import('@aws-sdk/client-bedrock')` would bring the whole client (every command's schema,
 * ~100 KB) into the Lambda bundle, since a bundler cannot tree-shake a namespace it does not see used;
 * named static imports here let it keep only these.
 */
import {
  BedrockClient,
  GetModelCustomizationJobCommand,
  ListTagsForResourceCommand,
  paginateListModelCustomizationJobs,
} from '@aws-sdk/client-bedrock';

export const bedrockSdk = {
  BedrockClient,
  GetModelCustomizationJobCommand,
  ListTagsForResourceCommand,
  paginateListModelCustomizationJobs,
};
