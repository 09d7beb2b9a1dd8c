/**
 * An exit the path engine does not follow (transit gateway, VPN gateway, appliance ENI or instance,
 * carrier / local gateway, Cloud WAN, an unknown vpce-) is no proven internet: exposure says the traffic
 * "leaves the modelled network via" it, never "internet" (outbound.toInternet stays empty).
 */
import { describe, expect, it } from 'vitest';
import { exposureLine, scopeExposure } from '../../../../src/analyze/paths/exposure.ts';
import rule from '../../../../src/analyze/rules/reachability/reach-ml-no-aws-api-path.ts';
import type { Route, RouteTarget } from '../../../../src/inventory/schema.ts';
import { run } from '../../../fixtures/inventory.ts';
import { route } from '../../../fixtures/network.ts';
import { smallVpc } from '../../../fixtures/reachability.ts';

const to = (kind: RouteTarget['kind'], id: string): Route => ({
  destinationCidrBlock: '0.0.0.0/0',
  target: { kind, id },
  state: 'active',
});

const notebookExposure = (routes: Route[]) => {
  const [e] = scopeExposure(smallVpc({ routes }));
  if (!e) throw new Error('no exposure');
  return e;
};

describe('exposure of an exit the engine does not follow', () => {
  it.each<[string, Route]>([
    ['a transit gateway', to('transitGateway', 'tgw-0abc')],
    ['a VPN gateway', to('virtualPrivateGateway', 'vgw-1')],
    ['an appliance ENI', to('networkInterface', 'eni-appliance')],
    ['an appliance instance', to('instance', 'i-appliance')],
    ['a carrier gateway', to('carrierGateway', 'cagw-1')],
    ['a local gateway', to('localGateway', 'lgw-1')],
    ['a Cloud WAN core network', to('coreNetwork', 'arn:aws:networkmanager::111122223333:core-network/cn-1')],
    ['an unknown vpce-', to('vpcEndpoint', 'vpce-unknown')],
    ['an unidentified target', to('unknown', 'odb-1')],
  ])('%s: leaves the modelled network via it, never internet', (_, r) => {
    // Act
    const e = notebookExposure([route('10.0.0.0/16', 'local'), r]);
    const line = exposureLine(e);
    // Assess
    expect(e.outbound.toInternet).toEqual([]);
    expect(e.outbound.summary).toBe(`leaves the modelled network via ${r.target.id}: all traffic`);
    expect(e.outbound.summary).not.toMatch(/internet/);
    expect(e.outbound.inspection).toBe('n/a');
    expect(e.outbound.leavesModelledNetwork).toEqual([
      { exitId: r.target.id, ports: [{ protocol: 'all', ports: 'all' }], summary: 'all traffic' },
    ]);
    expect(e.awsApis.viaInternet).toBe(false);
    expect(line).toContain(`out: leaves the modelled network via ${r.target.id}: all traffic`);
    expect(line).not.toMatch(/out: all traffic/);
  });

  it('keeps the internet and the exit not followed apart when a resource has both', () => {
    // Prepare: half of the IPv4 space to the NAT gateway (the internet), the other half to a transit gateway.
    const routes = [
      route('10.0.0.0/16', 'local'),
      route('0.0.0.0/1', 'nat-1'),
      route('128.0.0.0/1', 'tgw-0abc'),
    ];
    // Act
    const e = notebookExposure(routes);
    // Assess
    expect(e.outbound.toInternet).not.toEqual([]);
    expect(e.outbound.summary).toMatch(/; leaves the modelled network via tgw-0abc: /);
    expect(e.outbound.leavesModelledNetwork?.map((l) => l.exitId)).toEqual(['tgw-0abc']);
    expect(exposureLine(e)).toMatch(/out: .* \(uninspected\); leaves the modelled network via tgw-0abc: /);
  });

  it('leaves the exposure of a resource with only internet exits without the field', () => {
    // Act
    const e = notebookExposure([route('10.0.0.0/16', 'local'), route('0.0.0.0/0', 'nat-1')]);
    // Assess
    expect(e.outbound.summary).toBe('all traffic');
    expect(e.outbound).not.toHaveProperty('leavesModelledNetwork');
  });

  it('the reach-* rules still count the exit as possible egress, worded as leaving the modelled network', () => {
    // Prepare: a notebook with no endpoints whose only way out is the transit gateway.
    const s = smallVpc({ routes: [route('10.0.0.0/16', 'local'), route('0.0.0.0/0', 'tgw-0abc')] });
    // Act
    const findings = run(rule, s).filter((f) => f.status === 'FAIL');
    // Assess: egress is not ruled out, so no "no AWS API path" finding.
    expect(findings).toEqual([]);
  });
});
