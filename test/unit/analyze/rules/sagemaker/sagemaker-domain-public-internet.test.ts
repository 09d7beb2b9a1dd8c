import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/sagemaker/sagemaker-domain-public-internet.ts';
import type { SageMakerDomain } from '../../../../../src/inventory/schema.ts';
import { ids, run, scope } from '../../../../fixtures/inventory.ts';

const domain = (domainId: string, appNetworkAccessType?: string): SageMakerDomain => ({
  domainId,
  ...(appNetworkAccessType ? { appNetworkAccessType } : {}),
  vpcId: 'vpc-1',
  subnetIds: ['subnet-1'],
  defaultUserSecurityGroups: [],
  defaultSpaceSecurityGroups: [],
});

describe('sagemaker-domain-public-internet', () => {
  describe('non-compliant', () => {
    it('fails for PublicInternetOnly', () => {
      const findings = run(rule, scope({ sagemakerDomains: [domain('d-public', 'PublicInternetOnly')] }));
      expect(ids(findings)).toEqual(['d-public']);
      expect(findings[0]).toMatchObject({ severity: 'HIGH', resource: { type: 'AWS::SageMaker::Domain' } });
    });

    it('fails when AppNetworkAccessType is absent (PublicInternetOnly is the default)', () => {
      expect(ids(run(rule, scope({ sagemakerDomains: [domain('d-unset')] })))).toEqual(['d-unset']);
    });
  });

  describe('compliant', () => {
    it('passes for VpcOnly', () => {
      expect(ids(run(rule, scope({ sagemakerDomains: [domain('d-vpc', 'VpcOnly')] })))).toEqual([]);
    });
  });

  it('reports findings per region, on the right region', () => {
    // Act
    const findings = run(rule, [
      scope({ sagemakerDomains: [domain('d-east', 'PublicInternetOnly')] }, 'us-east-1'),
      scope(
        { sagemakerDomains: [domain('d-west', 'PublicInternetOnly'), domain('d-west-ok', 'VpcOnly')] },
        'us-west-2',
      ),
    ]);
    // Assess
    expect(findings.map((f) => [f.region, f.resource.id])).toEqual([
      ['us-east-1', 'd-east'],
      ['us-west-2', 'd-west'],
    ]);
  });
});
