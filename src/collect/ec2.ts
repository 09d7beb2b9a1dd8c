/**
 * The EC2 collector: VPCs and everything that decides where their traffic may go (subnets, route
 * tables, gateways, security groups, NACLs, interfaces, endpoints, prefix lists, flow logs, peerings).
 *
 * Each kind is a spec over the generic task (task.ts): one paginated Describe* call whose items map one
 * to one (ec2-map.ts). Two kinds add a step: security groups join their rules from a second call, and
 * customer-managed prefix lists read their entries. A failed or partial read becomes a coverage gap
 * for that kind and never stops the others.
 */
import {
  type EC2Client,
  type SecurityGroup as Ec2SecurityGroup,
  paginateDescribeEgressOnlyInternetGateways,
  paginateDescribeFlowLogs,
  paginateDescribeInternetGateways,
  paginateDescribeManagedPrefixLists,
  paginateDescribeNatGateways,
  paginateDescribeNetworkAcls,
  paginateDescribeNetworkInterfaces,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroupRules,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcEndpoints,
  paginateDescribeVpcPeeringConnections,
  paginateDescribeVpcs,
  paginateGetManagedPrefixListEntries,
} from '@aws-sdk/client-ec2';
import { FALLBACK_TO_IP_PERMISSIONS } from '../inventory/coverage.ts';
import type { ResourceArrayKind } from '../inventory/kinds.ts';
import type {
  CoverageGap,
  PrefixList,
  ResourceKind,
  SecurityGroup,
  SecurityGroupRule,
} from '../inventory/schema.ts';
import { type CallSite, type CollectContext, describeError, keep, pages, siteFor } from './common.ts';
import {
  rulesFromIpPermissions,
  toEgressOnlyInternetGateway,
  toFlowLog,
  toInternetGateway,
  toNatGateway,
  toNetworkAcl,
  toNetworkInterface,
  toPrefixList,
  toPrefixListEntry,
  toRouteTable,
  toSecurityGroup,
  toSecurityGroupRule,
  toSubnet,
  toVpc,
  toVpcEndpoint,
  toVpcPeeringConnection,
} from './ec2-map.ts';
import { type ItemOf, type KindSpec, listing, runKind } from './task.ts';

const SERVICE = 'ec2';
const site = siteFor(SERVICE);

/** A kind read by one paginated Describe* call, each item mapped on its own. */
function listKind<K extends ResourceArrayKind, P, A>(
  kind: K,
  operation: string,
  paginator: AsyncIterable<P>,
  items: (page: P) => readonly A[] | undefined,
  map: (item: A) => ItemOf<K> | undefined,
): KindSpec<K, ItemOf<K>> {
  return {
    kind,
    service: SERVICE,
    source: [listing(operation, paginator, (page: P) => (items(page) ?? []).map(map))],
  };
}

/**
 * Security groups from DescribeSecurityGroups, their rules from DescribeSecurityGroupRules. When
 * the rules cannot be read, they are derived from the groups' own IpPermissions, which hold the
 * same rules (without ids); the rules call's gap is then withdrawn, since nothing is missing.
 */
function securityGroups(ctx: CollectContext, ec2: EC2Client): KindSpec<'securityGroups', SecurityGroup> {
  const source = async () => {
    const raw: Ec2SecurityGroup[] = [];
    const rulesByGroup = new Map<string, SecurityGroupRule[]>();
    const rulesSite = site('DescribeSecurityGroupRules', 'securityGroups');
    const [groupsComplete, rulesComplete] = await Promise.all([
      pages(
        ctx,
        site('DescribeSecurityGroups', 'securityGroups'),
        paginateDescribeSecurityGroups({ client: ec2 }, {}),
        (page) => {
          for (const g of page.SecurityGroups ?? []) if (g.GroupId) raw.push(g);
        },
      ),
      pages(ctx, rulesSite, paginateDescribeSecurityGroupRules({ client: ec2 }, {}), (page) => {
        for (const r of page.SecurityGroupRules ?? []) {
          if (!r.GroupId) continue;
          const list = rulesByGroup.get(r.GroupId) ?? [];
          list.push(toSecurityGroupRule(r));
          rulesByGroup.set(r.GroupId, list);
        }
      }),
    ]);

    const fallback = !rulesComplete && (groupsComplete || raw.length > 0);
    const groups = raw.map((g) => {
      const groupId = g.GroupId as string;
      const rules = fallback
        ? [
            ...rulesFromIpPermissions(groupId, g.IpPermissions, false),
            ...rulesFromIpPermissions(groupId, g.IpPermissionsEgress, true),
          ]
        : (rulesByGroup.get(groupId) ?? []);
      return toSecurityGroup(g, rules);
    });
    if (fallback) noteFallback(ctx, rulesSite);
    return { refs: keep(groups), complete: groupsComplete };
  };
  return { kind: 'securityGroups', service: SERVICE, source };
}

/**
 * The rules call's gap, once the rules were read from IpPermissions: an informational note (nothing
 * is missing but the sgr- ids), so every failed call still leaves a trace.
 */
function noteFallback(ctx: CollectContext, call: CallSite): void {
  const gaps = ctx.inventory.gaps;
  const index = gaps.findIndex(
    (g) =>
      g.service === call.service &&
      g.operation === call.operation &&
      g.kind === call.kind &&
      g.resourceId === undefined,
  );
  const failed = gaps[index];
  if (!failed) return;
  gaps[index] = {
    ...failed,
    errorCode: FALLBACK_TO_IP_PERMISSIONS,
    message: `${call.operation} failed (${failed.errorCode}: ${failed.message}); the rules were read from the groups' IpPermissions instead: complete, but without their sgr- rule ids`,
    informational: true,
  };
}

/** Prefix lists; entries for the customer-managed ones, read under the describe concurrency limit. */
function prefixLists(ctx: CollectContext, ec2: EC2Client): KindSpec<'prefixLists', PrefixList> {
  const readEntries = (list: PrefixList) =>
    ctx.limit(async () => {
      const entries: NonNullable<PrefixList['entries']> = [];
      const complete = await pages(
        ctx,
        site('GetManagedPrefixListEntries', 'prefixLists', list.prefixListId),
        paginateGetManagedPrefixListEntries({ client: ec2 }, { PrefixListId: list.prefixListId }),
        (page) => {
          entries.push(...keep((page.Entries ?? []).map(toPrefixListEntry)));
        },
      );
      // A partial list of entries would read as the whole list: leave it absent instead.
      if (complete) list.entries = entries;
    });
  return {
    ...listKind(
      'prefixLists',
      'DescribeManagedPrefixLists',
      paginateDescribeManagedPrefixLists({ client: ec2 }, {}),
      (p) => p.PrefixLists,
      toPrefixList,
    ),
    complete: async (lists) => {
      await Promise.all(lists.filter((list) => !list.awsManaged).map(readEntries));
    },
  };
}

/**
 * A kind whose collection threw (a bug in a mapper, not a failed call: those are gaps already)
 * still becomes a gap, so the other kinds carry on and nobody reads the kind as complete.
 */
function recordKindFailure(ctx: CollectContext, kind: ResourceKind, operation: string, err: unknown): void {
  const gap: CoverageGap = { service: SERVICE, operation, kind, ...describeError(err) };
  ctx.inventory.gaps.push(gap);
  ctx.progress?.({ type: 'gap', region: ctx.region, gap });
}

/** Run a kind; the operation is the one its gap names if its collection throws. */
function task<K extends ResourceArrayKind, R>(
  ctx: CollectContext,
  operation: string,
  spec: KindSpec<K, R>,
): Promise<void> {
  return runKind(ctx, spec).then(
    () => undefined,
    (err: unknown) => recordKindFailure(ctx, spec.kind, operation, err),
  );
}

/**
 * A security group whose rules reference a customer-managed prefix list whose entries were not read
 * cannot be judged: whom those rules admit is unknown. The list's own gap makes only the list
 * NOT_EVALUATED, so the group gets a gap of its own, and its rules say NOT_EVALUATED instead of
 * reading the unexpanded list as nobody.
 */
function groupsBehindUnreadLists(ctx: CollectContext): void {
  const unread = new Map<string, CoverageGap>();
  for (const g of ctx.inventory.gaps)
    if (g.kind === 'prefixLists' && g.resourceId !== undefined && !unread.has(g.resourceId))
      unread.set(g.resourceId, g);
  if (unread.size === 0) return;
  for (const sg of ctx.inventory.securityGroups) {
    const lists = [
      ...new Set(sg.rules.map((r) => r.prefixListId).filter((id): id is string => !!id && unread.has(id))),
    ].sort();
    const first = lists[0] === undefined ? undefined : unread.get(lists[0]);
    if (!first) continue;
    const gap: CoverageGap = {
      service: SERVICE,
      operation: first.operation,
      kind: 'securityGroups',
      resourceId: sg.groupId,
      errorCode: 'DependencyNotCollected',
      message: `its rules reference prefix list ${lists.join(', ')}, whose entries were not read (${first.errorCode})`,
    };
    ctx.inventory.gaps.push(gap);
    ctx.progress?.({ type: 'gap', region: ctx.region, gap });
  }
}

/** Read every EC2 kind of one region into `ctx.inventory`, concurrently. Never throws for a failed call. */
export async function collectEc2(ctx: CollectContext, ec2: EC2Client): Promise<void> {
  const c = { client: ec2 };
  const list = <K extends ResourceArrayKind, P, A>(
    kind: K,
    operation: string,
    paginator: AsyncIterable<P>,
    items: (page: P) => readonly A[] | undefined,
    map: (item: A) => ItemOf<K> | undefined,
  ) => task(ctx, operation, listKind(kind, operation, paginator, items, map));
  await Promise.all([
    list('vpcs', 'DescribeVpcs', paginateDescribeVpcs(c, {}), (p) => p.Vpcs, toVpc),
    list('subnets', 'DescribeSubnets', paginateDescribeSubnets(c, {}), (p) => p.Subnets, toSubnet),
    list(
      'routeTables',
      'DescribeRouteTables',
      paginateDescribeRouteTables(c, {}),
      (p) => p.RouteTables,
      toRouteTable,
    ),
    list(
      'internetGateways',
      'DescribeInternetGateways',
      paginateDescribeInternetGateways(c, {}),
      (p) => p.InternetGateways,
      toInternetGateway,
    ),
    list(
      'egressOnlyInternetGateways',
      'DescribeEgressOnlyInternetGateways',
      paginateDescribeEgressOnlyInternetGateways(c, {}),
      (p) => p.EgressOnlyInternetGateways,
      toEgressOnlyInternetGateway,
    ),
    list(
      'natGateways',
      'DescribeNatGateways',
      paginateDescribeNatGateways(c, {}),
      (p) => p.NatGateways,
      toNatGateway,
    ),
    task(ctx, 'DescribeSecurityGroups', securityGroups(ctx, ec2)),
    list(
      'networkAcls',
      'DescribeNetworkAcls',
      paginateDescribeNetworkAcls(c, {}),
      (p) => p.NetworkAcls,
      toNetworkAcl,
    ),
    list(
      'networkInterfaces',
      'DescribeNetworkInterfaces',
      paginateDescribeNetworkInterfaces(c, {}),
      (p) => p.NetworkInterfaces,
      toNetworkInterface,
    ),
    list(
      'vpcEndpoints',
      'DescribeVpcEndpoints',
      paginateDescribeVpcEndpoints(c, {}),
      (p) => p.VpcEndpoints,
      toVpcEndpoint,
    ),
    task(ctx, 'DescribeManagedPrefixLists', prefixLists(ctx, ec2)),
    list('flowLogs', 'DescribeFlowLogs', paginateDescribeFlowLogs(c, {}), (p) => p.FlowLogs, toFlowLog),
    list(
      'vpcPeeringConnections',
      'DescribeVpcPeeringConnections',
      paginateDescribeVpcPeeringConnections(c, {}),
      (p) => p.VpcPeeringConnections,
      toVpcPeeringConnection,
    ),
  ]);
  groupsBehindUnreadLists(ctx);
}
