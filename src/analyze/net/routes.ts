/**
 * Route-table semantics for the path engine: longest-prefix match over CIDR and prefix-list routes
 * (including the local route), per address family, as a partition of a destination address set.
 *
 * - A prefix-list route competes with the prefix lengths of the list's entries. An AWS-managed list
 *   whose entries were not read (S3, DynamoDB gateway endpoint lists) stands for AWS service addresses:
 *   it is returned as `awsServiceRoutes` and matches no internet address of the partition.
 * - On an equal prefix length a CIDR route beats a prefix-list route (AWS route priority).
 * - A customer-managed list whose entries are unknown is skipped and reported.
 */
import type { PrefixList, Route, RouteTable } from '../../inventory/schema.ts';
import { AddrSet } from './addr-set.ts';
import { prefixLength, tryParseCidr } from './ip.ts';

export interface CompiledRoute {
  route: Route;
  /** The route's destination as written: a CIDR or a prefix-list id. */
  destination: string;
  /** One (addresses, prefix length) per CIDR the route stands for. */
  parts: { addrs: AddrSet; length: number }[];
  blackhole: boolean;
}

export interface RouteMatch {
  route: CompiledRoute;
  /** The part of the asked destinations this route decides. */
  addrs: AddrSet;
}

export interface RouteLookup {
  matches: RouteMatch[];
  /** Destinations no route covers (dropped). */
  unrouted: AddrSet;
}

export interface CompiledTable {
  table: RouteTable;
  /** Routes whose destination is an AWS-managed prefix list without entries (gateway endpoints). */
  awsServiceRoutes: CompiledRoute[];
  /** Pieces ordered longest prefix first (CIDR before prefix list on ties). */
  pieces: { route: CompiledRoute; addrs: AddrSet; length: number; fromList: boolean }[];
  notes: string[];
}

export function routeDestination(route: Route): string {
  return route.destinationCidrBlock ?? route.destinationIpv6CidrBlock ?? route.destinationPrefixListId ?? '?';
}

export function compileRouteTable(
  table: RouteTable,
  prefixLists: ReadonlyMap<string, PrefixList>,
): CompiledTable {
  const awsServiceRoutes: CompiledRoute[] = [];
  const pieces: CompiledTable['pieces'] = [];
  const notes: string[] = [];
  for (const route of table.routes) {
    const destination = routeDestination(route);
    const blackhole = route.state.toLowerCase() === 'blackhole';
    const cidr = route.destinationCidrBlock ?? route.destinationIpv6CidrBlock;
    const compiled: CompiledRoute = { route, destination, parts: [], blackhole };
    let fromList = false;
    if (cidr !== undefined) {
      const parsed = tryParseCidr(cidr);
      if (!parsed) {
        notes.push(`route ${cidr} in ${table.routeTableId} is malformed and was ignored`);
        continue;
      }
      compiled.parts.push({ addrs: AddrSet.fromParsedCidr(parsed), length: prefixLength(cidr) });
    } else if (route.destinationPrefixListId) {
      fromList = true;
      const list = prefixLists.get(route.destinationPrefixListId);
      if (!list?.entries) {
        if (!list || list.awsManaged) awsServiceRoutes.push(compiled);
        else notes.push(`prefix list ${route.destinationPrefixListId} in ${table.routeTableId} was not read`);
        continue;
      }
      for (const e of list.entries) {
        const parsed = tryParseCidr(e.cidr);
        if (parsed)
          compiled.parts.push({ addrs: AddrSet.fromParsedCidr(parsed), length: prefixLength(e.cidr) });
      }
    } else continue;
    for (const p of compiled.parts)
      pieces.push({ route: compiled, addrs: p.addrs, length: p.length, fromList });
  }
  pieces.sort((a, b) => b.length - a.length || Number(a.fromList) - Number(b.fromList));
  return { table, awsServiceRoutes, pieces, notes };
}

/** Longest-prefix match of a destination set: which route decides which part of it. */
export function lookupRoutes(table: CompiledTable, destinations: AddrSet): RouteLookup {
  let remaining = destinations;
  const byRoute = new Map<CompiledRoute, AddrSet>();
  for (const piece of table.pieces) {
    if (remaining.isEmpty()) break;
    const m = remaining.intersect(piece.addrs);
    if (m.isEmpty()) continue;
    remaining = remaining.subtract(m);
    byRoute.set(piece.route, (byRoute.get(piece.route) ?? AddrSet.empty()).union(m));
  }
  return { matches: [...byRoute].map(([route, addrs]) => ({ route, addrs })), unrouted: remaining };
}
