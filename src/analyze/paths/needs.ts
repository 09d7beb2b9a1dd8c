/** Shared by the reachability rules: what they read, and how paths read in evidence and messages. */
import { RESOURCE_TABLE } from '../../inventory/kinds.ts';
import { RESOURCE_ARRAY_KEYS, type ResourceKind } from '../../inventory/schema.ts';
import type { PortsEntry } from './engine.ts';

/** Every inventory kind the path engine reads: the kind table's `reach` rows, in table order. */
export const REACH_NEEDS: readonly ResourceKind[] = RESOURCE_ARRAY_KEYS.filter(
  (k) => RESOURCE_TABLE[k].reach,
);

/** "tcp 22, 8888; udp 53" / "all traffic". */
export function portsText(entries: readonly PortsEntry[]): string {
  if (entries.length === 0) return 'nothing';
  return entries
    .map((e) =>
      e.protocol === 'all'
        ? `all traffic${e.except ? ` (other than ${e.except.join(', ')})` : ''}`
        : e.ports === 'all'
          ? e.protocol
          : e.ports === '0-65535'
            ? `${e.protocol} (all ports)`
            : `${e.protocol} ${e.ports}`,
    )
    .join('; ');
}
