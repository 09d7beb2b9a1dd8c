import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/sagemaker/sagemaker-notebook-root-access.ts';
import { ids, run, scope } from '../../../../fixtures/inventory.ts';
import { gap, notebook } from '../../../../fixtures/sagemaker.ts';

describe('sagemaker-notebook-root-access', () => {
  describe('non-compliant', () => {
    it.each<[string, string | undefined, string]>([
      ['RootAccess Enabled', 'Enabled', 'RootAccess Enabled'],
      ['RootAccess absent (Enabled is the default)', undefined, 'RootAccess unset (defaults to Enabled)'],
    ])('fails for %s', (_, rootAccess, text) => {
      // Prepare
      const nb = notebook('nb-root', { subnetId: 'subnet-1', ...(rootAccess ? { rootAccess } : {}) });
      // Act
      const findings = run(rule, scope({ notebookInstances: [nb] }));
      // Assess
      expect(ids(findings)).toEqual(['nb-root']);
      expect(findings[0]).toMatchObject({
        severity: 'MEDIUM',
        references: ['FSBP SageMaker.3'],
        evidence: { rootAccess: rootAccess ?? null, effectiveRootAccess: 'Enabled' },
      });
      expect(findings[0]?.message).toContain(text);
      expect(findings[0]?.message).toContain('subnet-1');
    });
  });

  describe('compliant', () => {
    it.each([
      ['RootAccess Disabled', notebook('nb-noroot', { rootAccess: 'Disabled' })],
      [
        'RootAccess Disabled on a notebook with direct internet (other rules’ findings)',
        notebook('nb-noroot-open', { rootAccess: 'Disabled', directInternetAccess: 'Enabled' }),
      ],
    ])('passes for %s', (_, nb) => {
      expect(ids(run(rule, scope({ notebookInstances: [nb] })))).toEqual([]);
    });
  });

  it('is NOT_EVALUATED for a notebook whose describe failed, and still judges the others', () => {
    // Prepare
    const s = scope({
      notebookInstances: [notebook('nb-root')],
      gaps: [gap('notebookInstances', 'DescribeNotebookInstance', 'nb-x')],
    });
    // Act
    const findings = run(rule, s);
    // Assess
    expect(findings.map((f) => [f.status, f.resource.id]).sort()).toEqual([
      ['FAIL', 'nb-root'],
      ['NOT_EVALUATED', 'nb-x'],
    ]);
  });
});
