/**
 * VPC endpoint policies: how much an endpoint lets through. Shared by vpce-policy-full-access (which
 * flags full access) and the path engine (which carries each private API path's policy into the
 * exposure section, and drops an endpoint whose policy allows nothing).
 *
 * Parsing: the JSON string DescribeVpcEndpoints returns (URL-encoded forms too); an endpoint without a
 * policy document has AWS's default policy, full access.
 */
import type { VpcEndpoint } from '../../inventory/schema.ts';

/** Condition keys that bound who or where (a trust boundary). */
export const RESTRICTIVE_CONDITION_KEYS = [
  'aws:PrincipalOrgID',
  'aws:PrincipalOrgPaths',
  'aws:PrincipalAccount',
  'aws:PrincipalArn',
  'aws:PrincipalServiceName',
  'aws:userid',
  'aws:username',
  'aws:ResourceOrgID',
  'aws:ResourceOrgPaths',
  'aws:ResourceAccount',
  'aws:SourceVpc',
  'aws:SourceVpce',
  'aws:SourceIp',
  'aws:VpcSourceIp',
  'aws:SourceAccount',
  'aws:SourceOrgID',
  'aws:SourceOrgPaths',
  'aws:SourceArn',
] as const;

/** AWS's default endpoint policy, which an endpoint without its own policy has. */
export const DEFAULT_POLICY =
  '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const asList = (v: Json | undefined): Json[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const isObject = (v: Json | undefined): v is { [key: string]: Json } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function parsePolicy(text: string): Json | undefined {
  for (const candidate of [text, safeDecode(text)]) {
    if (candidate === undefined) continue;
    try {
      return JSON.parse(candidate) as Json;
    } catch {
      // try the next form
    }
  }
  return undefined;
}

function safeDecode(text: string): string | undefined {
  try {
    const decoded = decodeURIComponent(text);
    return decoded === text ? undefined : decoded;
  } catch {
    return undefined;
  }
}

function wildcardPrincipal(principal: Json | undefined): boolean {
  if (principal === '*') return true;
  if (!isObject(principal)) return false;
  return asList(principal.AWS).includes('*');
}

/** `*`, `*:*`, or a whole service (`s3:*`): on an endpoint only that service's actions exist. */
function wildcardAction(statement: { [key: string]: Json }): string | undefined {
  if (statement.NotAction !== undefined) return `NotAction ${JSON.stringify(statement.NotAction)}`;
  for (const a of asList(statement.Action)) {
    if (typeof a === 'string' && (a === '*' || /^[a-z0-9-]+:\*$|^\*:\*$/i.test(a))) return a;
  }
  return undefined;
}

function wildcardResource(statement: { [key: string]: Json }): string | undefined {
  if (statement.NotResource !== undefined) return `NotResource ${JSON.stringify(statement.NotResource)}`;
  if (statement.Resource === undefined) return '(absent)';
  return asList(statement.Resource).includes('*') ? '*' : undefined;
}

/** The restrictive condition keys of a statement (empty when nothing bounds it). */
function restrictiveKeys(condition: Json | undefined, keys: ReadonlySet<string>): string[] {
  if (!isObject(condition)) return [];
  const found: string[] = [];
  for (const [operator, block] of Object.entries(condition)) {
    if (/IfExists$/i.test(operator) || /^Null$/i.test(operator) || !isObject(block)) continue;
    for (const [key, value] of Object.entries(block)) {
      if (!keys.has(key.toLowerCase())) continue;
      const values = asList(value);
      if (values.length === 0 || values.every((v) => v === '*')) continue;
      found.push(`${operator} ${key}`);
    }
  }
  return found;
}

export interface OpenStatement {
  index: number;
  sid: string | null;
  principal: Json;
  action: string;
  resource: string;
  condition: Json | null;
}

export function openStatements(policy: Json, keys: ReadonlySet<string>): OpenStatement[] | undefined {
  if (!isObject(policy)) return undefined;
  const statements = asList(policy.Statement);
  const open: OpenStatement[] = [];
  statements.forEach((s, i) => {
    if (!isObject(s) || s.Effect !== 'Allow') return;
    if (!wildcardPrincipal(s.Principal)) return;
    const action = wildcardAction(s);
    const resource = wildcardResource(s);
    if (!action || !resource) return;
    if (restrictiveKeys(s.Condition, keys).length > 0) return;
    open.push({
      index: i,
      sid: typeof s.Sid === 'string' ? s.Sid : null,
      principal: s.Principal ?? null,
      action,
      resource,
      condition: s.Condition ?? null,
    });
  });
  return open;
}

export type PolicyAccess = 'full' | 'bounded' | 'restricted' | 'deny-all' | 'unreadable';

export interface EndpointPolicy {
  /**
   * full: principal * may take every action on every resource, unbounded (AWS's default, too);
   * bounded: the same, but under a restrictive condition (organization, account, VPC, ...);
   * restricted: only listed actions, resources or principals; deny-all: nothing is allowed (no Allow
   * statement, or an unconditional Deny of everything); unreadable: not a JSON policy.
   */
  access: PolicyAccess;
  /** One phrase: "no policy: AWS default, full access", "bounded by aws:PrincipalOrgID". */
  summary: string;
}

const str = (v: Json | undefined) => asList(v).filter((x): x is string => typeof x === 'string');

/** How much an endpoint's policy lets through. */
export function endpointPolicy(
  e: Pick<VpcEndpoint, 'policyDocument'>,
  keys: ReadonlySet<string> = new Set(RESTRICTIVE_CONDITION_KEYS.map((k) => k.toLowerCase())),
): EndpointPolicy {
  const absent = e.policyDocument === undefined || e.policyDocument.trim() === '';
  if (absent) return { access: 'full', summary: 'no policy: AWS default, full access' };
  const policy = parsePolicy(e.policyDocument ?? '');
  const open = policy === undefined ? undefined : openStatements(policy, keys);
  if (policy === undefined || !isObject(policy) || open === undefined)
    return { access: 'unreadable', summary: 'policy is not valid JSON: what it allows is unknown' };
  const statements = asList(policy.Statement).filter(isObject);
  const denyAll = statements.find(
    (s) =>
      s.Effect === 'Deny' &&
      s.Condition === undefined &&
      wildcardPrincipal(s.Principal) &&
      asList(s.Action).some((a) => a === '*' || a === '*:*') &&
      wildcardResource(s) === '*',
  );
  const allows = statements.filter((s) => s.Effect === 'Allow');
  if (denyAll)
    return { access: 'deny-all', summary: 'an unconditional Deny of every action: nothing passes' };
  if (allows.length === 0) return { access: 'deny-all', summary: 'no Allow statement: nothing passes' };
  const denies = statements.length - allows.length;
  const withDenies = denies ? ` (and ${denies} Deny statement${denies > 1 ? 's' : ''})` : '';
  const first = open[0];
  if (first)
    return {
      access: 'full',
      summary: `principal * may take ${first.action} on ${first.resource}${withDenies}`,
    };
  const bounded = allows.flatMap((s) =>
    wildcardPrincipal(s.Principal) && wildcardAction(s) && wildcardResource(s)
      ? restrictiveKeys(s.Condition, keys)
      : [],
  );
  if (bounded.length)
    return {
      access: 'bounded',
      summary: `full access bounded by ${[...new Set(bounded)].join(', ')}${withDenies}`,
    };
  const actions = [...new Set(allows.flatMap((s) => str(s.Action)))];
  const resources = [...new Set(allows.flatMap((s) => str(s.Resource)))];
  const list = (xs: string[]) =>
    xs.length > 3 ? `${xs.slice(0, 3).join(', ')} and ${xs.length - 3} more` : xs.join(', ');
  return {
    access: 'restricted',
    summary: `allows only ${actions.length ? list(actions) : 'listed actions'}${resources.length && !resources.includes('*') ? ` on ${list(resources)}` : ''}${withDenies}`,
  };
}
