/** The sagemaker rules, in catalogue order. A new rule file in this folder gets its line here. */

import type { Rule } from '../../rule.ts';
import sagemakerDomainPublicInternet from './sagemaker-domain-public-internet.ts';
import sagemakerNotebookDirectInternet from './sagemaker-notebook-direct-internet.ts';
import sagemakerTrainingNoNetworkIsolation from './sagemaker-training-no-network-isolation.ts';

export const rules = [
  sagemakerDomainPublicInternet,
  sagemakerNotebookDirectInternet,
  sagemakerTrainingNoNetworkIsolation,
] as Rule<unknown>[];
