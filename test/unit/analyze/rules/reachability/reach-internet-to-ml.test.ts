import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/reachability/reach-internet-to-ml.ts';
import { entry, ids, nacl, run } from '../../../../fixtures/inventory.ts';
import { route } from '../../../../fixtures/network.ts';
import {
  PUBLIC,
  publicNotebook,
  referenceArchitecture,
  smallVpc,
} from '../../../../fixtures/reachability.ts';

const open8888 = [
  { egress: false, ipProtocol: 'tcp', fromPort: 8888, toPort: 8888, cidrIpv4: '0.0.0.0/0' },
  { egress: true, ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' },
];

describe('reach-internet-to-ml', () => {
  describe('non-compliant', () => {
    it('fails for a notebook in a public subnet with a public IP and 8888 open, naming port, entry and hops', () => {
      // Act
      const findings = run(rule, publicNotebook());
      // Assess
      expect(ids(findings)).toEqual([PUBLIC.notebook]);
      expect(findings[0]?.severity).toBe('CRITICAL');
      expect(findings[0]?.message).toContain('tcp 8888');
      expect(findings[0]?.message).toContain('igw-0studio0000000001 into subnet-0public00000001');
      expect(findings[0]?.evidence.paths).toEqual([
        expect.objectContaining({
          entry: 'igw-0studio0000000001',
          ports: [{ protocol: 'tcp', ports: '8888' }],
        }),
      ]);
    });

    it('fails for a subnet that auto-assigns public IPv4 with the default route to the IGW', () => {
      // Prepare
      const s = smallVpc({
        routes: [route('0.0.0.0/0', 'igw-1')],
        subnet: { mapPublicIpOnLaunch: true },
        sgRules: open8888,
      });
      // Act
      const findings = run(rule, s);
      // Assess
      expect(ids(findings)).toEqual(['nb-1']);
    });
  });

  describe('compliant', () => {
    it.each([
      ['the seeds reference architecture (private subnet behind NAT and firewall)', referenceArchitecture()],
      ['no public address', smallVpc({ routes: [route('0.0.0.0/0', 'igw-1')], sgRules: open8888 })],
      [
        'no route back to the internet gateway',
        smallVpc({
          routes: [route('0.0.0.0/0', 'nat-1')],
          subnet: { mapPublicIpOnLaunch: true },
          sgRules: open8888,
        }),
      ],
      [
        'a NACL that blocks the return traffic',
        smallVpc({
          routes: [route('0.0.0.0/0', 'igw-1')],
          subnet: { mapPublicIpOnLaunch: true },
          sgRules: open8888,
          fill: { networkAcls: [nacl('acl-1', [entry(100, 'allow', '6', '0.0.0.0/0', [8888, 8888])])] },
        }),
      ],
    ])('passes for %s', (_, s) => {
      // Act
      const findings = run(rule, s);
      // Assess
      expect(ids(findings)).toEqual([]);
    });
  });
});
