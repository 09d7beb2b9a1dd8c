import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/network-firewall/nfw-single-az.ts';
import type { Firewall } from '../../../../../src/inventory/schema.ts';
import { ids, run } from '../../../../fixtures/inventory.ts';
import { firewall, nfwScope, subnet } from '../../../../fixtures/network-firewall.ts';

const endpoint = (availabilityZone: string, subnetId: string) => ({
  availabilityZone,
  subnetId,
  status: 'READY',
});

describe('nfw-single-az', () => {
  describe('non-compliant', () => {
    it.each<[string, Partial<Firewall>]>([
      [
        'one endpoint',
        { endpoints: [endpoint('us-east-1a', 'subnet-fw-a')], subnetMappings: [{ subnetId: 'subnet-fw-a' }] },
      ],
      [
        'two subnets in the same AZ',
        {
          endpoints: [],
          subnetMappings: [{ subnetId: 'subnet-fw-a' }, { subnetId: 'subnet-fw-a2' }],
        },
      ],
      [
        'no sync states (moto) and one mapped subnet',
        { endpoints: [], subnetMappings: [{ subnetId: 'subnet-fw-b' }] },
      ],
    ])('fails with %s', (_, extra) => {
      // Prepare
      const s = nfwScope({ firewalls: [firewall('fw-one', extra)] });
      s.subnets.push(subnet('subnet-fw-a2', '10.0.0.32/28', 'us-east-1a'));
      // Act
      const findings = run(rule, s);
      // Assess
      expect(ids(findings)).toEqual(['fw-one']);
      expect(findings[0]).toMatchObject({ severity: 'MEDIUM', references: ['FSBP NetworkFirewall.1'] });
      expect(findings[0]?.message).toMatch(/has endpoints only in us-east-1[ab]/);
    });
  });

  describe('compliant', () => {
    it.each<[string, Partial<Firewall>]>([
      ['endpoints in two AZs', {}],
      ['no sync states (moto) but subnets in two AZs', { endpoints: [] }],
    ])('passes with %s', (_, extra) => {
      expect(ids(run(rule, nfwScope({ firewalls: [firewall('fw-ha', extra)] })))).toEqual([]);
    });
  });

  describe('not evaluated', () => {
    it('says so when the AZ of a mapped subnet is unknown and there are no endpoints', () => {
      const fw = firewall('fw-unknown', {
        endpoints: [],
        subnetMappings: [{ subnetId: 'subnet-elsewhere' }],
      });
      const findings = run(rule, nfwScope({ firewalls: [fw] }));
      expect(findings.map((f) => [f.status, f.resource.id])).toEqual([['NOT_EVALUATED', 'fw-unknown']]);
    });
  });
});
