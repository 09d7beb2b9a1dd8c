/** The sagemaker rules, in catalogue order. A new rule file in this folder gets its line here. */

import type { Rule } from '../../engine/rule.ts';
import sagemakerDomainPublicInternet from './sagemaker-domain-public-internet.ts';
import sagemakerDomainSgBreaksStudio from './sagemaker-domain-sg-breaks-studio.ts';
import sagemakerEndpointConfigNoKms from './sagemaker-endpoint-config-no-kms.ts';
import sagemakerEndpointSingleInstance from './sagemaker-endpoint-single-instance.ts';
import sagemakerModelNoNetworkIsolation from './sagemaker-model-no-network-isolation.ts';
import sagemakerModelNotInVpc from './sagemaker-model-not-in-vpc.ts';
import sagemakerMonitoringNoIntercontainerEncryption from './sagemaker-monitoring-no-intercontainer-encryption.ts';
import sagemakerMonitoringNoNetworkIsolation from './sagemaker-monitoring-no-network-isolation.ts';
import sagemakerNotebookDirectInternet from './sagemaker-notebook-direct-internet.ts';
import sagemakerNotebookNotInVpc from './sagemaker-notebook-not-in-vpc.ts';
import sagemakerNotebookRootAccess from './sagemaker-notebook-root-access.ts';
import sagemakerProcessingNoNetworkIsolation from './sagemaker-processing-no-network-isolation.ts';
import sagemakerTrainingNoIntercontainerEncryption from './sagemaker-training-no-intercontainer-encryption.ts';
import sagemakerTrainingNoNetworkIsolation from './sagemaker-training-no-network-isolation.ts';
import sagemakerTrainingNotInVpc from './sagemaker-training-not-in-vpc.ts';
import sagemakerTuningNoIntercontainerEncryption from './sagemaker-tuning-no-intercontainer-encryption.ts';
import sagemakerTuningNoNetworkIsolation from './sagemaker-tuning-no-network-isolation.ts';

export const rules = [
  sagemakerDomainPublicInternet,
  sagemakerDomainSgBreaksStudio,
  sagemakerNotebookDirectInternet,
  sagemakerNotebookNotInVpc,
  sagemakerNotebookRootAccess,
  sagemakerTrainingNoNetworkIsolation,
  sagemakerTrainingNotInVpc,
  sagemakerTrainingNoIntercontainerEncryption,
  sagemakerProcessingNoNetworkIsolation,
  sagemakerTuningNoNetworkIsolation,
  sagemakerTuningNoIntercontainerEncryption,
  sagemakerMonitoringNoNetworkIsolation,
  sagemakerMonitoringNoIntercontainerEncryption,
  sagemakerModelNoNetworkIsolation,
  sagemakerModelNotInVpc,
  sagemakerEndpointSingleInstance,
  sagemakerEndpointConfigNoKms,
] as Rule<unknown>[];
