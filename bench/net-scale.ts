/**
 * Benchmark (`npm run bench`), not a test: the net library at the scale the product targets — 50,000
 * security-group rules in 2,000 groups, then 2,000 placements with 3 groups each — at 1x, 2x, 4x.
 */
import { AddrSet, isWorldCidr, isWorldSet } from '../src/analyze/net/addr-set.ts';
import { FlowSet, ruleSpace } from '../src/analyze/net/flow.ts';

// Deterministic pseudo-random numbers (mulberry32).
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function run(scale: number): { ms: number; worldRules: number; exposed: number } {
  {
    const r = rng(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
    const int = (n: number) => Math.floor(r() * n);
    const cidr = (): string => {
      const k = r();
      if (k < 0.1) return '0.0.0.0/0';
      if (k < 0.15) return '::/0';
      if (k < 0.5) return `10.${int(256)}.0.0/16`;
      if (k < 0.8) return `${1 + int(222)}.${int(256)}.${int(256)}.${int(256)}/32`;
      if (k < 0.95) return `${1 + int(222)}.${int(256)}.${int(256)}.0/24`;
      return `2600:1f18:${int(65536).toString(16)}::/48`;
    };
    const rule = () => {
      const k = r();
      if (k < 0.1) return { p: '-1', from: undefined, to: undefined };
      if (k < 0.8) {
        const port = pick([22, 80, 443, 3389, 5432, 8080, 8888, 6006, 1024 + int(60000)]);
        return { p: 'tcp', from: port, to: r() < 0.2 ? Math.min(65535, port + int(1000)) : port };
      }
      if (k < 0.95) return { p: 'udp', from: 53, to: 53 };
      return { p: 'icmp', from: 8, to: -1 };
    };

    const t0 = performance.now();
    const groups: FlowSet[] = [];
    let worldRules = 0;
    for (let g = 0; g < 2000 * scale; g++) {
      let space = FlowSet.empty();
      for (let i = 0; i < 25; i++) {
        const c = cidr();
        const x = rule();
        if (isWorldCidr(c)) worldRules++;
        space = space.union(ruleSpace(x.p, x.from, x.to, AddrSet.fromCidr(c)));
      }
      groups.push(space);
    }
    let exposed = 0;
    for (let i = 0; i < 2000 * scale; i++) {
      const s = (groups[int(groups.length)] as FlowSet)
        .union(groups[int(groups.length)] as FlowSet)
        .union(groups[int(groups.length)] as FlowSet);
      const ssh = s.addrsFor(6, 22);
      const rdp = s.addrsFor(6, 3389);
      if (isWorldSet(ssh) || isWorldSet(rdp) || isWorldSet(s.addrsFor(6, undefined))) exposed++;
    }
    const ms = performance.now() - t0;
    return { ms, worldRules, exposed };
  }
}

for (const scale of [1, 2, 4]) {
  const before = process.memoryUsage().heapUsed;
  const { ms, worldRules, exposed } = run(scale);
  const heapMb = (process.memoryUsage().heapUsed - before) / 1e6;
  console.log(
    `net x${scale}: ${50_000 * scale} SG rules in ${2000 * scale} groups, ${2000 * scale} placements: ${ms.toFixed(0)} ms, heap +${heapMb.toFixed(0)} MB (${worldRules} world rules, ${exposed} exposed)`,
  );
}
