import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/sagemaker/sagemaker-endpoint-single-instance.ts';
import { ids, run, scope } from '../../../../fixtures/inventory.ts';
import { endpoint, endpointConfig, gap, variant } from '../../../../fixtures/sagemaker.ts';

describe('sagemaker-endpoint-single-instance', () => {
  describe('non-compliant', () => {
    it.each([
      ['one variant with one instance', [variant('AllTraffic')], ['AllTraffic']],
      [
        'one of two variants with one instance',
        [variant('A', { initialInstanceCount: 2 }), variant('B', { modelName: 'model-2' })],
        ['B'],
      ],
      ['two single-instance variants', [variant('A'), variant('B')], ['A', 'B']],
    ])('fails for %s', (_, variants, failing) => {
      // Prepare
      const s = scope({
        endpointConfigs: [endpointConfig('cfg-1', variants)],
        endpoints: [endpoint('ep-1', 'cfg-1')],
      });
      // Act
      const findings = run(rule, s);
      // Assess
      expect(ids(findings)).toEqual(['cfg-1']);
      expect(findings[0]).toMatchObject({
        severity: 'MEDIUM',
        references: ['FSBP SageMaker.4'],
        resource: { type: 'AWS::SageMaker::EndpointConfig', id: 'cfg-1' },
        evidence: { endpoints: ['ep-1'] },
      });
      expect(
        ((findings[0]?.evidence.singleInstanceVariants ?? []) as { variantName: string }[]).map(
          (v) => v.variantName,
        ),
      ).toEqual(failing);
      expect(findings[0]?.message).toContain('used by endpoint ep-1');
    });

    it('names the variant, its model and instance type, and every endpoint using the config', () => {
      // Prepare
      const s = scope({
        endpointConfigs: [endpointConfig('cfg-1', [variant('AllTraffic', { instanceType: 'ml.c5.xlarge' })])],
        endpoints: [endpoint('ep-1', 'cfg-1'), endpoint('ep-2', 'cfg-1')],
      });
      // Act
      const [finding] = run(rule, s);
      // Assess
      expect(finding?.message).toBe(
        'Endpoint config cfg-1, used by endpoints ep-1, ep-2, runs production variant AllTraffic (model model-1) on one ml.c5.xlarge: one instance or Availability Zone failure takes it down.',
      );
    });
  });

  describe('compliant', () => {
    it.each([
      ['two instances', [variant('A', { initialInstanceCount: 2 })]],
      [
        'a serverless variant',
        [variant('S', { serverless: true, initialInstanceCount: undefined, instanceType: undefined })],
      ],
      [
        'a variant without an instance count (inference components)',
        [variant('IC', { initialInstanceCount: undefined })],
      ],
    ])('passes for %s', (_, variants) => {
      const s = scope({
        endpointConfigs: [endpointConfig('cfg-ok', variants)],
        endpoints: [endpoint('ep', 'cfg-ok')],
      });
      expect(ids(run(rule, s))).toEqual([]);
    });
  });

  it.each([
    ['endpoint configs', gap('endpointConfigs', 'DescribeEndpointConfig')],
    ['endpoints', gap('endpoints', 'ListEndpoints')],
  ])('is NOT_EVALUATED for the scope when %s could not be read', (_, g) => {
    const s = scope({ endpointConfigs: [endpointConfig('cfg-1', [variant('A')])], gaps: [g] });
    expect(run(rule, s)).toEqual([expect.objectContaining({ status: 'NOT_EVALUATED' })]);
  });
});
