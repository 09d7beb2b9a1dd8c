import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/sagemaker/sagemaker-notebook-direct-internet.ts';
import type { NotebookInstance } from '../../../../../src/inventory/schema.ts';
import { ids, run, scope } from '../../../../fixtures/inventory.ts';

const nb = (name: string, extra: Partial<NotebookInstance>): NotebookInstance => ({
  notebookInstanceName: name,
  securityGroups: [],
  ...extra,
});

describe('sagemaker-notebook-direct-internet', () => {
  describe('non-compliant', () => {
    it('fails for DirectInternetAccess Enabled and names the subnet it bypasses', () => {
      // Act
      const findings = run(
        rule,
        scope({
          notebookInstances: [nb('nb-open', { directInternetAccess: 'Enabled', subnetId: 'subnet-1' })],
        }),
      );
      // Assess
      expect(ids(findings)).toEqual(['nb-open']);
      expect(findings[0]?.message).toContain('subnet-1');
      expect(findings[0]?.resource.type).toBe('AWS::SageMaker::NotebookInstance');
    });

    it('fails when the field is absent (Enabled is the default)', () => {
      expect(ids(run(rule, scope({ notebookInstances: [nb('nb-default', {})] })))).toEqual(['nb-default']);
    });
  });

  describe('compliant', () => {
    it('passes for DirectInternetAccess Disabled, even in a public subnet', () => {
      const s = scope({
        notebookInstances: [nb('nb-ok', { directInternetAccess: 'Disabled', subnetId: 'subnet-public' })],
      });
      expect(ids(run(rule, s))).toEqual([]);
    });
  });

  it('is NOT_EVALUATED for a notebook whose describe failed', () => {
    // Prepare
    const s = scope({
      gaps: [
        {
          service: 'sagemaker',
          operation: 'DescribeNotebookInstance',
          kind: 'notebookInstances',
          resourceId: 'nb-x',
          errorCode: 'ThrottlingException',
          message: 'slow down',
        },
      ],
    });
    // Act
    const findings = run(rule, s);
    // Assess
    expect(findings).toEqual([
      expect.objectContaining({ status: 'NOT_EVALUATED', resource: expect.objectContaining({ id: 'nb-x' }) }),
    ]);
  });
});
