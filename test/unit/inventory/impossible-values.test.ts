/**
 * A snapshot holds only what AWS could return: a value the analyzer cannot read would make a rule skip
 * the resource silently (a false clean), so it is refused with the JSON path that holds it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSnapshot, SnapshotError } from '../../../src/inventory/snapshot.ts';

const demo = JSON.parse(readFileSync('events/demo-snapshot.json', 'utf8'));

// biome-ignore lint/suspicious/noExplicitAny: a JSON document edited in place
type Json = any;

/** The demo with one edit; the edit gets the first region and returns nothing. */
function edited(edit: (region: Json, snap: Json) => void): Json {
  const snap = structuredClone(demo);
  edit(snap.regions[0], snap);
  return snap;
}

function errorOf(snap: Json): string {
  try {
    parseSnapshot(snap, 'x.json');
  } catch (err) {
    expect(err).toBeInstanceOf(SnapshotError);
    return (err as Error).message;
  }
  throw new Error('the snapshot was accepted');
}

const sgRule = (r: Json, fields: Json) => {
  Object.assign(r.securityGroups[0].rules[0], fields);
};
const worldSgRule = (r: Json, fields: Json) => {
  const rule = r.securityGroups[0].rules[0];
  delete rule.referencedGroup;
  Object.assign(rule, { cidrIpv4: '0.0.0.0/0', ...fields });
};
const naclEntry = (r: Json, fields: Json) => {
  Object.assign(r.networkAcls[0].entries[1], fields);
};

describe('non-compliant: impossible values are refused, naming the JSON path', () => {
  it.each<[string, (r: Json, s: Json) => void, string]>([
    [
      'protocol foo',
      (r) => sgRule(r, { ipProtocol: 'foo' }),
      '$.regions[0].securityGroups[0].rules[0].ipProtocol',
    ],
    [
      'protocol 999',
      (r) => sgRule(r, { ipProtocol: '999' }),
      '$.regions[0].securityGroups[0].rules[0].ipProtocol',
    ],
    [
      'protocol 256',
      (r) => sgRule(r, { ipProtocol: '256' }),
      '$.regions[0].securityGroups[0].rules[0].ipProtocol',
    ],
    [
      'CIDR 0.0.0.0/33',
      (r) => worldSgRule(r, { cidrIpv4: '0.0.0.0/33' }),
      '$.regions[0].securityGroups[0].rules[0].cidrIpv4',
    ],
    [
      'CIDR ::/129',
      (r) => worldSgRule(r, { cidrIpv4: undefined, cidrIpv6: '::/129' }),
      '$.regions[0].securityGroups[0].rules[0].cidrIpv6',
    ],
    [
      'CIDR 010.0.0.0/8 (leading zero)',
      (r) => worldSgRule(r, { cidrIpv4: '010.0.0.0/8' }),
      'rules[0].cidrIpv4',
    ],
    [
      'CIDR 1::2::3/64',
      (r) => worldSgRule(r, { cidrIpv4: undefined, cidrIpv6: '1::2::3/64' }),
      'rules[0].cidrIpv6',
    ],
    ['an IPv6 CIDR in cidrIpv4', (r) => worldSgRule(r, { cidrIpv4: '::/0' }), 'rules[0].cidrIpv4'],
    ['port -5', (r) => worldSgRule(r, { ipProtocol: 'tcp', fromPort: -5, toPort: 22 }), 'rules[0].fromPort'],
    [
      'port 70000',
      (r) => worldSgRule(r, { ipProtocol: 'tcp', fromPort: 22, toPort: 70000 }),
      'rules[0].toPort',
    ],
    [
      'a reversed range',
      (r) => worldSgRule(r, { ipProtocol: 'tcp', fromPort: 443, toPort: 22 }),
      'rules[0].fromPort',
    ],
    [
      'a half-open tcp range',
      (r) => worldSgRule(r, { ipProtocol: '6', fromPort: 22, toPort: -1 }),
      'rules[0].toPort',
    ],
    [
      'ICMP type 300',
      (r) => worldSgRule(r, { ipProtocol: 'icmp', fromPort: 300, toPort: -1 }),
      'rules[0].fromPort',
    ],
    [
      'all ICMP types with one code',
      (r) => worldSgRule(r, { ipProtocol: 'icmp', fromPort: -1, toPort: 3 }),
      'rules[0].toPort',
    ],
    ['two peers on one rule', (r) => sgRule(r, { cidrIpv4: '0.0.0.0/0' }), 'rules[0].referencedGroup'],
    [
      'NACL protocol tcpp',
      (r) => naclEntry(r, { protocol: 'tcpp' }),
      '$.regions[0].networkAcls[0].entries[1].protocol',
    ],
    ['NACL rule number 0', (r) => naclEntry(r, { ruleNumber: 0 }), 'networkAcls[0].entries[1].ruleNumber'],
    [
      'NACL rule number 40000',
      (r) => naclEntry(r, { ruleNumber: 40000 }),
      'networkAcls[0].entries[1].ruleNumber',
    ],
    ['an allow at 32767', (r) => naclEntry(r, { ruleNumber: 32767 }), 'networkAcls[0].entries[1].ruleNumber'],
    [
      'a duplicated NACL rule number',
      (r) => naclEntry(r, { ruleNumber: 100 }),
      'networkAcls[0].entries[1].ruleNumber',
    ],
    [
      'NACL CIDR 10.0.0.0/40',
      (r) => naclEntry(r, { cidrBlock: '10.0.0.0/40' }),
      'networkAcls[0].entries[1].cidrBlock',
    ],
    [
      'NACL entry without a CIDR',
      (r) => naclEntry(r, { cidrBlock: undefined }),
      'networkAcls[0].entries[1].cidrBlock',
    ],
    [
      'NACL port 65536',
      (r) => naclEntry(r, { portRange: { from: 1024, to: 65536 } }),
      'entries[1].portRange.to',
    ],
    [
      'NACL reversed ports',
      (r) => naclEntry(r, { portRange: { from: 2000, to: 1024 } }),
      'entries[1].portRange.from',
    ],
    ['an 11-digit account', (r) => Object.assign(r, { account: '11112222333' }), '$.regions[0].account'],
    ['region mars-north-9x', (r) => Object.assign(r, { region: 'mars-north-9x' }), '$.regions[0].region'],
    ['a bounds region US-EAST-1', (_r, s) => s.bounds.regions.push('US-EAST-1'), '$.bounds.regions[2]'],
    ['partition azure', (r) => Object.assign(r, { partition: 'azure' }), '$.regions[0].partition'],
    ['collectedAt yesterday', (_r, s) => Object.assign(s, { collectedAt: 'yesterday' }), '$.collectedAt'],
    [
      'a job creationTime 31/12/2025',
      (r) => Object.assign(r.trainingJobs[0], { creationTime: '31/12/2025' }),
      'trainingJobs[0].creationTime',
    ],
    [
      'a VPC CIDR 10.0.0/16',
      (r) => Object.assign(r.vpcs[0], { cidrBlocks: ['10.0.0/16'] }),
      '$.regions[0].vpcs[0].cidrBlocks[0]',
    ],
    [
      'a route to 0.0.0.0/-1',
      (r) => Object.assign(r.routeTables[0].routes[1], { destinationCidrBlock: '0.0.0.0/-1' }),
      'routeTables[0].routes[1].destinationCidrBlock',
    ],
    [
      'a public IP 3.91.200.300',
      (r) => Object.assign(r.networkInterfaces[0], { publicIp: '3.91.200.300' }),
      'networkInterfaces[0].publicIp',
    ],
    [
      'a gap marked informational: false',
      (r) => Object.assign(r.gaps[0], { informational: false }),
      '$.regions[0].gaps[0].informational',
    ],
    [
      'a prefix-list entry 198.51.100.0',
      (r) => Object.assign(r.prefixLists[1].entries[0], { cidr: '198.51.100.0' }),
      'prefixLists[1].entries[0].cidr',
    ],
  ])('%s', (_name, edit, path) => {
    // Prepare
    const snap = edited(edit);
    // Act
    const message = errorOf(snap);
    // Assess
    expect(message).toContain(path);
  });

  it('refuses a duplicated (account, region) scope, naming both indexes', () => {
    // Prepare
    const snap = structuredClone(demo);
    snap.regions.push(structuredClone(snap.regions[0]));
    // Act
    const message = errorOf(snap);
    // Assess
    expect(message).toMatch(/\$\.regions\[2\]: account 111122223333 region us-east-1 is also regions\[0\]/);
  });
});

describe('compliant: every value AWS can return is accepted', () => {
  it.each<[string, (r: Json, s: Json) => void]>([
    ['protocol -1 with ports -1', (r) => sgRule(r, { ipProtocol: '-1', fromPort: -1, toPort: -1 })],
    [
      'protocol 50 (ESP) with ports ignored',
      (r) => sgRule(r, { ipProtocol: '50', fromPort: -1, toPort: -1 }),
    ],
    ['tcp 0-65535', (r) => worldSgRule(r, { ipProtocol: 'tcp', fromPort: 0, toPort: 65535 })],
    [
      'tcp with no ports (all)',
      (r) => worldSgRule(r, { ipProtocol: 'tcp', fromPort: undefined, toPort: undefined }),
    ],
    [
      'icmp echo (type 8, code 0: from > to is right for ICMP)',
      (r) => worldSgRule(r, { ipProtocol: 'icmp', fromPort: 8, toPort: 0 }),
    ],
    ['icmpv6 all', (r) => worldSgRule(r, { ipProtocol: 'icmpv6', fromPort: -1, toPort: -1 })],
    ['IPv6 ::/0', (r) => worldSgRule(r, { cidrIpv4: undefined, cidrIpv6: '::/0' })],
    [
      'IPv6 2600:1f18:abcd::/56',
      (r) => worldSgRule(r, { cidrIpv4: undefined, cidrIpv6: '2600:1f18:abcd::/56' }),
    ],
    [
      'IPv6 with an IPv4 tail',
      (r) => worldSgRule(r, { cidrIpv4: undefined, cidrIpv6: '::ffff:10.0.0.0/104' }),
    ],
    ['host bits set (10.0.0.1/8)', (r) => worldSgRule(r, { cidrIpv4: '10.0.0.1/8' })],
    ['NACL rule 32766', (r) => naclEntry(r, { ruleNumber: 32766 })],
    [
      'the IPv6 default entry beside the IPv4 one',
      (r) => {
        r.networkAcls[0].entries.push({
          ruleNumber: 32767,
          egress: false,
          protocol: '-1',
          ruleAction: 'deny',
          ipv6CidrBlock: '::/0',
        });
      },
    ],
    ['a GovCloud region', (r) => Object.assign(r, { region: 'us-gov-west-1', partition: 'aws-us-gov' })],
    [
      'a sovereign-cloud region',
      (r) => Object.assign(r, { region: 'eusc-de-east-1', partition: 'aws-eusc' }),
    ],
  ])('%s', (_name, edit) => {
    // Prepare
    const snap = edited(edit);
    // Act + Assess
    expect(() => parseSnapshot(snap)).not.toThrow();
  });
});
