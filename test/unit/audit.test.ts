import { describe, expect, it } from 'vitest';
import { analyzeInventory } from '../../src/audit.ts';
import { parseAuditConfig } from '../../src/config.ts';
import type { CoverageGap } from '../../src/inventory/schema.ts';
import { inventory, scope } from '../fixtures/inventory.ts';

const failed: CoverageGap = {
  service: 'ec2',
  operation: 'DescribeSubnets',
  kind: 'subnets',
  errorCode: 'AccessDenied',
  message: 'not authorized',
};
const note: CoverageGap = {
  service: 'ec2',
  operation: 'DescribeSecurityGroupRules',
  kind: 'securityGroups',
  errorCode: 'FallbackToIpPermissions',
  message: 'rules read from IpPermissions: the sgr- ids are missing',
  informational: true,
};

describe('the run summary', () => {
  it('counts failed calls as coverage gaps, and lists an informational note without counting it', () => {
    // Prepare
    const audited = inventory(scope({ gaps: [failed, note] }));

    // Act
    const result = analyzeInventory(audited, parseAuditConfig({}));

    // Assess
    expect(result.summary.coverageGaps).toBe(1);
    expect(result.coverage.map((g) => g.errorCode)).toEqual(['AccessDenied', 'FallbackToIpPermissions']);
  });
});
