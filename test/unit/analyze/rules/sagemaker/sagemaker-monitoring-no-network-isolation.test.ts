import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/sagemaker/sagemaker-monitoring-no-network-isolation.ts';
import { ids, run, scope } from '../../../../fixtures/inventory.ts';
import { gap } from '../../../../fixtures/sagemaker.ts';
import { monitoringDefinition, monitoringSchedule } from '../../../../fixtures/sagemaker-compute.ts';

describe('sagemaker-monitoring-no-network-isolation', () => {
  describe('non-compliant', () => {
    it('fails for each job definition kind and an inline schedule without isolation', () => {
      // Prepare
      const s = scope({
        dataQualityJobDefinitions: [monitoringDefinition('dq')],
        modelQualityJobDefinitions: [monitoringDefinition('mq')],
        modelBiasJobDefinitions: [monitoringDefinition('bias')],
        modelExplainabilityJobDefinitions: [monitoringDefinition('shap')],
        monitoringSchedules: [
          monitoringSchedule('inline', {
            inlineJob: {
              enableNetworkIsolation: false,
              enableInterContainerTrafficEncryption: false,
              instanceCount: 1,
            },
          }),
        ],
      });
      // Act
      const findings = run(rule, s);
      // Assess
      expect(findings.map((f) => f.resource.type).sort()).toEqual([
        'AWS::SageMaker::DataQualityJobDefinition',
        'AWS::SageMaker::ModelBiasJobDefinition',
        'AWS::SageMaker::ModelExplainabilityJobDefinition',
        'AWS::SageMaker::ModelQualityJobDefinition',
        'AWS::SageMaker::MonitoringSchedule',
      ]);
      expect(findings.find((f) => f.resource.id === 'dq')?.message).toContain(
        'data-quality job definition dq',
      );
    });

    it('keeps the findings on what was read when one kind could not be listed, beside a NOT_EVALUATED', () => {
      // Prepare
      const s = scope({
        dataQualityJobDefinitions: [monitoringDefinition('dq')],
        gaps: [gap('monitoringSchedules', 'ListMonitoringSchedules')],
      });
      // Act
      const findings = run(rule, s);
      // Assess
      expect(findings.map((f) => [f.status, f.resource.id])).toEqual([
        ['FAIL', 'dq'],
        ['NOT_EVALUATED', '111122223333/us-east-1'],
      ]);
      expect(findings[1]?.message).toContain('monitoringSchedules');
    });
  });

  describe('compliant', () => {
    it.each([
      [
        'an isolated definition',
        { dataQualityJobDefinitions: [monitoringDefinition('dq', { enableNetworkIsolation: true })] },
      ],
      [
        'a schedule that runs a definition by name',
        { monitoringSchedules: [monitoringSchedule('by-name', { jobDefinitionName: 'dq' })] },
      ],
    ])('passes for %s', (_, fill) => {
      expect(ids(run(rule, scope(fill)))).toEqual([]);
    });
  });
});
