import { describe, expect, it } from 'vitest';
import {
  hasPorts,
  normalizeProtocol,
  protocolMatches,
  protocolName,
} from '../../../../src/analyze/net/protocol.ts';

describe('normalizeProtocol', () => {
  it.each([
    ['-1', 'all'],
    [-1, 'all'],
    ['all', 'all'],
    ['ALL', 'all'],
    ['tcp', 6],
    ['TCP', 6],
    [' tcp ', 6],
    ['6', 6],
    [6, 6],
    ['udp', 17],
    ['17', 17],
    ['icmp', 1],
    ['1', 1],
    ['icmpv6', 58],
    ['ICMPv6', 58],
    ['58', 58],
    ['0', 0],
    ['50', 50],
    [255, 255],
    ['255', 255],
  ] as Array<[string | number, number | 'all']>)('%j -> %j', (input, out) => {
    expect(normalizeProtocol(input)).toBe(out);
  });

  it.each(['', 'tcpx', 'icmp6', '256', '-2', '1.5', 'x', '6 7', '0x06', '+6'] as string[])(
    'rejects %j',
    (input) => {
      expect(() => normalizeProtocol(input)).toThrow(`Invalid IP protocol ${JSON.stringify(input)}`);
    },
  );

  it.each([256, -2, 1.5, Number.NaN])('rejects the number %d', (input) => {
    expect(() => normalizeProtocol(input)).toThrow(/Invalid IP protocol/);
  });
});

describe('protocol helpers', () => {
  it('protocolName', () => {
    expect(protocolName('all')).toBe('all');
    expect(protocolName(6)).toBe('tcp');
    expect(protocolName(17)).toBe('udp');
    expect(protocolName(1)).toBe('icmp');
    expect(protocolName(58)).toBe('icmpv6');
    expect(protocolName(50)).toBe('proto-50');
  });

  it('hasPorts is true for tcp and udp only', () => {
    expect(hasPorts(6)).toBe(true);
    expect(hasPorts(17)).toBe(true);
    expect(hasPorts(1)).toBe(false);
    expect(hasPorts(58)).toBe(false);
    expect(hasPorts('all')).toBe(false);
    expect(hasPorts(50)).toBe(false);
  });

  it('protocolMatches', () => {
    expect(protocolMatches('all', 6)).toBe(true);
    expect(protocolMatches('all', 'all')).toBe(true);
    expect(protocolMatches(6, 6)).toBe(true);
    expect(protocolMatches(6, 17)).toBe(false);
    expect(protocolMatches(6, 'all')).toBe(false);
  });
});
