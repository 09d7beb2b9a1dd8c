import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/sagemaker/sagemaker-monitoring-no-intercontainer-encryption.ts';
import { ids, run, scope } from '../../../../fixtures/inventory.ts';
import { monitoringDefinition } from '../../../../fixtures/sagemaker-compute.ts';

describe('sagemaker-monitoring-no-intercontainer-encryption', () => {
  describe('non-compliant', () => {
    it('fails for a distributed job definition without encryption', () => {
      // Act
      const findings = run(
        rule,
        scope({ modelBiasJobDefinitions: [monitoringDefinition('bias', { instanceCount: 3 })] }),
      );
      // Assess
      expect(ids(findings)).toEqual(['bias']);
      expect(findings[0]).toMatchObject({ severity: 'LOW', evidence: { instanceCount: 3 } });
    });
  });

  describe('compliant', () => {
    it.each([
      ['a single-instance job', monitoringDefinition('dq', { instanceCount: 1 })],
      [
        'an encrypted distributed job',
        monitoringDefinition('dq', { instanceCount: 3, enableInterContainerTrafficEncryption: true }),
      ],
    ])('passes for %s', (_, d) => {
      expect(ids(run(rule, scope({ dataQualityJobDefinitions: [d] })))).toEqual([]);
    });
  });
});
