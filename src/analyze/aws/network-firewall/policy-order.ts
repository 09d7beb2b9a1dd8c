/**
 * AWS Network Firewall semantics, pure. Network Firewall engine order: the stateless engine's standard actions and defaults, the stateful
 * engine's rule order and default actions.
 */
import type { FirewallPolicy } from '../../../inventory/schema.ts';

export const STATELESS_STANDARD_ACTIONS = ['aws:pass', 'aws:drop', 'aws:forward_to_sfe'] as const;
export type StatelessStandardAction = (typeof STATELESS_STANDARD_ACTIONS)[number];

const STANDARD = new Set<string>(STATELESS_STANDARD_ACTIONS);

/** The standard action of a stateless action list (a custom action never decides); undefined if none. */
export function statelessStandardAction(actions: readonly string[]): StatelessStandardAction | undefined {
  return actions.find((a): a is StatelessStandardAction => STANDARD.has(a));
}

export type PacketKind = 'full' | 'fragment';

export interface StatelessDefault {
  /** The actions as configured. */
  actions: string[];
  /** The standard action that decides; undefined when the policy names none (not valid in AWS). */
  standard: StatelessStandardAction | undefined;
  /** Custom actions (metrics dimensions): they never change the verdict. */
  custom: string[];
}

/** The stateless default action for full or fragmented packets. */
export function statelessDefault(policy: FirewallPolicy, kind: PacketKind): StatelessDefault {
  const actions = kind === 'full' ? policy.statelessDefaultActions : policy.statelessFragmentDefaultActions;
  return {
    actions: [...actions],
    standard: statelessStandardAction(actions),
    custom: actions.filter((a) => !STANDARD.has(a)),
  };
}

// ================================================================== stateful engine: order and defaults

export const RULE_ORDERS = ['DEFAULT_ACTION_ORDER', 'STRICT_ORDER'] as const;
export type RuleOrder = (typeof RULE_ORDERS)[number];

/** The policy's stateful rule order; DEFAULT_ACTION_ORDER when absent (the API's default). */
export function policyRuleOrder(policy: FirewallPolicy): RuleOrder {
  return policy.ruleOrder === 'STRICT_ORDER' ? 'STRICT_ORDER' : 'DEFAULT_ACTION_ORDER';
}

/**
 * The stateful drop default actions (STRICT_ORDER only) and which packets of an unmatched flow each
 * drops. Every one of them stops the payload of an unmatched egress flow of any protocol: aws:drop_strict
 * drops every packet; the *_established ones let the packets that set a connection up through (so that
 * application-layer rules can see it) and drop the rest; the *_app_layer ones wait for application-layer
 * protocol detection first; the *_to_server ones drop only the client-to-server direction.
 */
export const STATEFUL_DROP_DEFAULTS = {
  'aws:drop_strict': 'every packet that matches no rule',
  'aws:drop_established': 'packets of established connections that match no rule (handshakes pass)',
  'aws:drop_established_app_layer':
    'packets of established connections that match no rule, after application-layer protocol detection',
  'aws:drop_established_app_layer_to_server':
    'client-to-server packets of established connections that match no rule, after application-layer protocol detection',
} as const satisfies Record<string, string>;
export type StatefulDropDefault = keyof typeof STATEFUL_DROP_DEFAULTS;

export const STATEFUL_ALERT_DEFAULTS = [
  'aws:alert_strict',
  'aws:alert_established',
  'aws:alert_established_app_layer',
  'aws:alert_established_app_layer_to_server',
] as const;

export function isStatefulDropDefault(action: string): action is StatefulDropDefault {
  return Object.hasOwn(STATEFUL_DROP_DEFAULTS, action);
}

export interface StatefulDefault {
  order: RuleOrder;
  /** The drop default action in force, if any (STRICT_ORDER only). */
  drop: StatefulDropDefault | undefined;
  /** Alert default actions (log only: the traffic still passes). */
  alerts: string[];
  /** What the stateful engine does with a flow that no rule decides. */
  unmatched: 'pass' | 'drop';
  /** Default actions configured but without effect (any under DEFAULT_ACTION_ORDER). */
  ignored: string[];
}

/** What happens to traffic that no stateful rule decides. */
export function statefulDefault(policy: FirewallPolicy): StatefulDefault {
  const order = policyRuleOrder(policy);
  const actions = policy.statefulDefaultActions;
  if (order === 'DEFAULT_ACTION_ORDER') {
    return { order, drop: undefined, alerts: [], unmatched: 'pass', ignored: [...actions] };
  }
  const drop = actions.find(isStatefulDropDefault);
  return {
    order,
    drop,
    alerts: actions.filter((a) => (STATEFUL_ALERT_DEFAULTS as readonly string[]).includes(a)),
    unmatched: drop ? 'drop' : 'pass',
    ignored: actions.filter(
      (a) => !isStatefulDropDefault(a) && !(STATEFUL_ALERT_DEFAULTS as readonly string[]).includes(a),
    ),
  };
}

/** "DEFAULT_ACTION_ORDER (no default action: unmatched traffic passes)" and the like. */
export function describeStatefulDefault(d: StatefulDefault): string {
  if (d.order === 'DEFAULT_ACTION_ORDER')
    return 'DEFAULT_ACTION_ORDER (no default action: unmatched traffic passes)';
  if (d.drop) return `STRICT_ORDER with default action ${d.drop}`;
  return `STRICT_ORDER without a drop default action${d.alerts.length ? ` (only ${d.alerts.join(', ')})` : ''}: unmatched traffic passes`;
}
