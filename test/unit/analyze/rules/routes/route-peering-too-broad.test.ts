import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/routes/route-peering-too-broad.ts';
import type { RegionInventory, Route } from '../../../../../src/inventory/schema.ts';
import { failed, ids, run, scope } from '../../../../fixtures/inventory.ts';
import { kindGap, peering, route, routeTable } from '../../../../fixtures/network.ts';

// vpc-1 (10.0.0.0/16, this side) peers with vpc-2 (10.2.0.0/16 + 10.3.0.0/16, 2600:1f18:aa::/56).
const pcx = peering(
  'pcx-1',
  { vpcId: 'vpc-1', cidrBlocks: ['10.0.0.0/16'] },
  { vpcId: 'vpc-2', cidrBlocks: ['10.2.0.0/16', '10.3.0.0/16'], ipv6CidrBlocks: ['2600:1f18:aa::/56'] },
);

const withRoutes = (routes: Route[], extra: Partial<RegionInventory> = {}) =>
  scope({ routeTables: [routeTable('rtb-1', routes)], vpcPeeringConnections: [pcx], ...extra });

describe('route-peering-too-broad', () => {
  describe('non-compliant', () => {
    it.each<[string, Route, Partial<RegionInventory>?]>([
      ['the default route to the peering', route('0.0.0.0/0', 'pcx-1')],
      ['::/0 to the peering', route('::/0', 'pcx-1')],
      ["the peer's whole primary CIDR", route('10.2.0.0/16', 'pcx-1')],
      ["the peer's whole secondary CIDR", route('10.3.0.0/16', 'pcx-1')],
      ["a supernet of the peer's CIDRs", route('10.0.0.0/8', 'pcx-1')],
      ["the peer's whole IPv6 CIDR", route('2600:1f18:aa::/56', 'pcx-1')],
      [
        'the requester side seen from the accepter VPC',
        route('10.0.0.0/16', 'pcx-1'),
        { routeTables: [routeTable('rtb-1', [route('10.0.0.0/16', 'pcx-1')], { vpcId: 'vpc-2' })] },
      ],
      ['the default route to a peering missing from the inventory', route('0.0.0.0/0', 'pcx-gone')],
    ])('fails for %s', (_, r, extra) => {
      // Act
      const findings = run(rule, withRoutes([r], extra));
      // Assess
      expect(ids(findings)).toEqual(['rtb-1']);
      expect(findings[0]).toMatchObject({ severity: 'MEDIUM', references: ['CIS 5.6'] });
    });

    it('names the route, the peering, the peer VPC and the CIDR it covers', () => {
      const [finding] = run(rule, withRoutes([route('10.2.0.0/16', 'pcx-1')]));
      expect(finding?.message).toBe(
        'Route table rtb-1 (vpc-1) routes 10.2.0.0/16 to peering connection pcx-1: it covers the whole CIDR 10.2.0.0/16 of peer VPC vpc-2, so every host of vpc-2 is reachable.',
      );
      expect(finding?.evidence).toMatchObject({
        vpcPeeringConnectionId: 'pcx-1',
        peeringKnown: true,
        peerVpc: { vpcId: 'vpc-2' },
        coveredPeerCidrs: ['10.2.0.0/16'],
      });
    });

    it('says when the peering is not in the inventory', () => {
      const [finding] = run(rule, withRoutes([route('0.0.0.0/0', 'pcx-gone')]));
      expect(finding?.evidence).toMatchObject({ peeringKnown: false, peerVpc: null });
      expect(finding?.message).toContain(
        'routes 0.0.0.0/0 to peering connection pcx-gone: an internet-wide destination',
      );
    });

    it('reports each broad route of a table separately', () => {
      const findings = failed(
        run(rule, withRoutes([route('10.2.0.0/16', 'pcx-1'), route('10.3.0.0/16', 'pcx-1')])),
      );
      expect(findings).toHaveLength(2);
      expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(2);
    });
  });

  describe('compliant', () => {
    it.each<[string, Route]>([
      ['one /24 subnet of the peer', route('10.2.1.0/24', 'pcx-1')],
      ['one IPv6 /64 of the peer', route('2600:1f18:aa:1::/64', 'pcx-1')],
      [
        'a broad route whose peering is not in the inventory (cannot be judged)',
        route('10.2.0.0/16', 'pcx-gone'),
      ],
      ["this VPC's own CIDR (not the peer's)", route('10.0.0.0/16', 'pcx-1')],
      ['a blackholed default route to a peering', route('0.0.0.0/0', 'pcx-1', 'blackhole')],
      ['a whole-CIDR route to a transit gateway (not a peering)', route('10.2.0.0/16', 'tgw-1')],
    ])('passes for %s', (_, r) => {
      expect(ids(run(rule, withRoutes([r])))).toEqual([]);
    });
  });

  it('is NOT_EVALUATED for the scope when peering connections could not be read', () => {
    const findings = run(
      rule,
      withRoutes([route('10.2.0.0/16', 'pcx-1')], {
        gaps: [kindGap('vpcPeeringConnections', 'DescribeVpcPeeringConnections')],
      }),
    );
    expect(findings).toEqual([expect.objectContaining({ status: 'NOT_EVALUATED' })]);
  });
});
