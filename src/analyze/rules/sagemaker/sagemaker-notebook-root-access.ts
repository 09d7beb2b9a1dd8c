import { z } from 'zod';
import { notebookResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';

export default defineRule({
  meta: {
    id: 'sagemaker-notebook-root-access',
    title: 'Notebook instance gives users root access',
    severity: 'MEDIUM',
    category: 'sagemaker',
    rationale:
      'With root access a notebook user can change the instance’s network configuration (iptables, routes, DNS resolvers, proxies), install software outside review and read every file on the instance, so the network controls around it only hold as long as that user chooses.',
    remediation:
      'Set RootAccess to Disabled (UpdateNotebookInstance with RootAccess Disabled while the notebook is stopped, or CreateNotebookInstance). Lifecycle configurations still run as root, so install what users need there.',
    references: ['FSBP SageMaker.3'],
    docs: `Fails for each notebook instance whose \`RootAccess\` is \`Enabled\`, or absent (Enabled is the API's default).

Does not fail: RootAccess Disabled. Lifecycle configuration scripts always run as root whatever this setting; they are not read (they can hold secrets).`,
    needs: ['notebookInstances'],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    return scope.notebookInstances
      .filter((nb) => (nb.rootAccess ?? 'Enabled') === 'Enabled')
      .map((nb) => ({
        resource: notebookResource(scope, nb),
        message: `Notebook instance ${nb.notebookInstanceName} has RootAccess ${nb.rootAccess ? 'Enabled' : 'unset (defaults to Enabled)'}: its users can change the instance’s network configuration${nb.subnetId ? ` in ${nb.subnetId}` : ''} and bypass controls that rely on it.`,
        evidence: {
          rootAccess: nb.rootAccess ?? null,
          effectiveRootAccess: 'Enabled',
          subnetId: nb.subnetId ?? null,
          status: nb.status ?? null,
        },
      }));
  },
});
