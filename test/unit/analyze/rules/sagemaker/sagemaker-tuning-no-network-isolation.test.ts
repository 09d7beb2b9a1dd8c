import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/sagemaker/sagemaker-tuning-no-network-isolation.ts';
import { ids, run, scope } from '../../../../fixtures/inventory.ts';
import { gap } from '../../../../fixtures/sagemaker.ts';
import { tuningDefinition, tuningJob } from '../../../../fixtures/sagemaker-compute.ts';

const VPC = { subnets: ['subnet-a'], securityGroupIds: ['sg-a'] };

describe('sagemaker-tuning-no-network-isolation', () => {
  describe('non-compliant', () => {
    it('fails for a definition without isolation, naming its VPC placement', () => {
      // Prepare
      const s = scope({
        hyperParameterTuningJobs: [tuningJob('hpo-1', [tuningDefinition({ vpcConfig: VPC })])],
      });
      // Act
      const findings = run(rule, s);
      // Assess
      expect(ids(findings)).toEqual(['hpo-1']);
      expect(findings[0]).toMatchObject({
        severity: 'MEDIUM',
        resource: { type: 'AWS::SageMaker::HyperParameterTuningJob', id: 'hpo-1' },
        evidence: { enableNetworkIsolation: false, vpcConfig: VPC },
      });
      expect(findings[0]?.message).toContain('in subnet-a with sg-a');
    });

    it('fails once per open definition of a multi-definition tuning job, apart by fingerprint', () => {
      // Prepare
      const job = tuningJob('hpo-multi', [
        tuningDefinition({ definitionName: 'xgb' }),
        tuningDefinition({ definitionName: 'iso', enableNetworkIsolation: true }),
        tuningDefinition({ definitionName: 'mlp' }),
      ]);
      // Act
      const findings = run(rule, scope({ hyperParameterTuningJobs: [job] }));
      // Assess
      expect(findings.map((f) => f.evidence.definitionName)).toEqual(['xgb', 'mlp']);
      expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(2);
    });
  });

  describe('compliant', () => {
    it('passes for an isolated definition', () => {
      const s = scope({
        hyperParameterTuningJobs: [
          tuningJob('hpo-iso', [tuningDefinition({ enableNetworkIsolation: true })]),
        ],
      });
      expect(ids(run(rule, s))).toEqual([]);
    });
  });

  it('is NOT_EVALUATED for the scope when tuning jobs could not be listed', () => {
    const s = scope({ gaps: [gap('hyperParameterTuningJobs', 'ListHyperParameterTuningJobs')] });
    expect(run(rule, s)).toEqual([expect.objectContaining({ status: 'NOT_EVALUATED' })]);
  });
});
