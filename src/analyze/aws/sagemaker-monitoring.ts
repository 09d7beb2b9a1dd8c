/** Model Monitor jobs as the rules see them: the four job definition kinds and inline schedules. Pure. */
import type { RegionInventory, VpcConfig } from '../../inventory/schema.ts';
import type { FindingResource } from '../engine/finding.ts';
import { resourceOf } from '../engine/resources.ts';

export const MONITORING_KINDS = [
  'dataQualityJobDefinitions',
  'modelQualityJobDefinitions',
  'modelBiasJobDefinitions',
  'modelExplainabilityJobDefinitions',
  'monitoringSchedules',
] as const;

const LABELS: Record<(typeof MONITORING_KINDS)[number], string> = {
  dataQualityJobDefinitions: 'data-quality job definition',
  modelQualityJobDefinitions: 'model-quality job definition',
  modelBiasJobDefinitions: 'model-bias job definition',
  modelExplainabilityJobDefinitions: 'model-explainability job definition',
  monitoringSchedules: 'monitoring schedule (inline job definition)',
};

export interface MonitoringJob {
  resource: FindingResource;
  /** "data-quality job definition churn-dq". */
  label: string;
  vpcConfig?: VpcConfig | undefined;
  enableNetworkIsolation: boolean;
  enableInterContainerTrafficEncryption: boolean;
  instanceCount: number;
  imageUri?: string | undefined;
}

/** Every monitoring job network of a scope: the definitions, and schedules that carry one inline. */
export function monitoringJobs(scope: RegionInventory): MonitoringJob[] {
  const out: MonitoringJob[] = [];
  for (const kind of MONITORING_KINDS) {
    if (kind === 'monitoringSchedules') {
      for (const s of scope.monitoringSchedules) {
        if (!s.inlineJob) continue;
        out.push({
          ...s.inlineJob,
          resource: resourceOf(scope, kind, s),
          label: `${LABELS[kind]} ${s.monitoringScheduleName}`,
        });
      }
      continue;
    }
    for (const d of scope[kind]) {
      out.push({
        ...d,
        resource: resourceOf(scope, kind, d),
        label: `${LABELS[kind]} ${d.jobDefinitionName}`,
      });
    }
  }
  return out;
}
