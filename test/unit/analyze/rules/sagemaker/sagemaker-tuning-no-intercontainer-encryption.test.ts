import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/sagemaker/sagemaker-tuning-no-intercontainer-encryption.ts';
import { ids, run, scope } from '../../../../fixtures/inventory.ts';
import { tuningDefinition, tuningJob } from '../../../../fixtures/sagemaker-compute.ts';

describe('sagemaker-tuning-no-intercontainer-encryption', () => {
  describe('non-compliant', () => {
    it('fails for distributed trials without inter-container encryption', () => {
      // Prepare
      const s = scope({
        hyperParameterTuningJobs: [tuningJob('hpo-dist', [tuningDefinition({ instanceCount: 4 })])],
      });
      // Act
      const findings = run(rule, s);
      // Assess
      expect(ids(findings)).toEqual(['hpo-dist']);
      expect(findings[0]?.message).toContain('4 instances');
      expect(findings[0]?.evidence).toMatchObject({
        instanceCount: 4,
        enableInterContainerTrafficEncryption: false,
      });
    });
  });

  describe('compliant', () => {
    it.each([
      ['single-instance trials', tuningDefinition({ instanceCount: 1 })],
      [
        'encrypted distributed trials',
        tuningDefinition({ instanceCount: 4, enableInterContainerTrafficEncryption: true }),
      ],
    ])('passes for %s', (_, d) => {
      expect(ids(run(rule, scope({ hyperParameterTuningJobs: [tuningJob('hpo', [d])] })))).toEqual([]);
    });
  });
});
