import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/sagemaker/sagemaker-notebook-not-in-vpc.ts';
import type { NotebookInstance } from '../../../../../src/inventory/schema.ts';
import { ids, run, scope } from '../../../../fixtures/inventory.ts';
import { gap, notebook } from '../../../../fixtures/sagemaker.ts';

describe('sagemaker-notebook-not-in-vpc', () => {
  describe('non-compliant', () => {
    it.each<[string, Partial<NotebookInstance>]>([
      ['no subnet, DirectInternetAccess absent', {}],
      ['no subnet, DirectInternetAccess Enabled', { directInternetAccess: 'Enabled' }],
      ['no subnet, stopped', { status: 'Stopped', directInternetAccess: 'Enabled' }],
    ])('fails for %s', (_, extra) => {
      // Act
      const findings = run(rule, scope({ notebookInstances: [notebook('nb-bad', extra)] }));
      // Assess
      expect(ids(findings)).toEqual(['nb-bad']);
      expect(findings[0]).toMatchObject({
        severity: 'HIGH',
        references: ['FSBP SageMaker.2'],
        resource: { type: 'AWS::SageMaker::NotebookInstance', id: 'nb-bad' },
        evidence: { subnetId: null },
      });
      expect(findings[0]?.message).toContain('Notebook instance nb-bad has no SubnetId');
    });
  });

  describe('compliant', () => {
    it.each<[string, Partial<NotebookInstance>]>([
      [
        'in a subnet with direct internet disabled',
        { subnetId: 'subnet-1', directInternetAccess: 'Disabled' },
      ],
      [
        'in a subnet with direct internet enabled (the direct-internet rule’s finding, not this one)',
        { subnetId: 'subnet-1', directInternetAccess: 'Enabled' },
      ],
    ])('passes %s', (_, extra) => {
      expect(ids(run(rule, scope({ notebookInstances: [notebook('nb-ok', extra)] })))).toEqual([]);
    });
  });

  it('is NOT_EVALUATED for the scope when notebooks could not be listed', () => {
    const findings = run(
      rule,
      scope({
        notebookInstances: [notebook('nb-bad')],
        gaps: [gap('notebookInstances', 'ListNotebookInstances')],
      }),
    );
    expect(findings).toEqual([
      expect.objectContaining({
        status: 'NOT_EVALUATED',
        resource: expect.objectContaining({ type: 'AWS::Region' }),
      }),
    ]);
  });
});
