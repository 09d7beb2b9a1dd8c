import { z } from 'zod';
import {
  type DomainName,
  domainNameOpens,
  isAllowlist,
  parseDomainName,
} from '../../aws/network-firewall/domain-lists.ts';
import { nfwIndex } from '../../aws/network-firewall/resolution.ts';
import { ruleGroupResource } from '../../engine/resources.ts';
import { type Draft, defineRule } from '../../engine/rule.ts';

/**
 * Namespaces where anyone can own a host (so allowing them lets data leave to any tenant), and single
 * hosts that serve any tenant by path. A leading dot is a namespace (every host under it); `*` is any one
 * label. See entryOpens in aws/network-firewall/domain-lists.ts.
 */
export const DEFAULT_OVERBROAD = [
  '.com',
  '.amazonaws.com',
  '.s3.amazonaws.com',
  '.s3.*.amazonaws.com',
  '.s3-accelerate.amazonaws.com',
  '.execute-api.*.amazonaws.com',
  '.lambda-url.*.on.aws',
  's3.amazonaws.com',
  's3.*.amazonaws.com',
  '.cloudfront.net',
  '.blob.core.windows.net',
  '.azurewebsites.net',
  '.storage.googleapis.com',
  'storage.googleapis.com',
  '.appspot.com',
  '.web.app',
  '.firebaseapp.com',
  '.githubusercontent.com',
  '.github.io',
  '.herokuapp.com',
  '.vercel.app',
  '.netlify.app',
  '.pages.dev',
  '.workers.dev',
  '.trycloudflare.com',
  '.ngrok.io',
  '.ngrok-free.app',
  '.ngrok.app',
  '.pastebin.com',
  'pastebin.com',
] as const;

const Options = z
  .object({
    /** Namespaces (leading dot) and hosts that are overbroad to allow; `*` is any one label. */
    overbroad: z.array(z.string().min(1)).default([...DEFAULT_OVERBROAD]),
    /** Also fail any wildcard entry for a whole top-level domain (`.io`, `.ai`, ...). */
    flagTopLevelDomains: z.boolean().default(true),
  })
  .strict();

interface Opening {
  entry: string;
  /** The listed namespaces or hosts it opens, with how. */
  opens: { pattern: string; relation: 'equal' | 'broader' }[];
  topLevelDomain: boolean;
}

function describe(o: Opening): string {
  if (o.topLevelDomain && o.opens.length === 0) return `${o.entry} (a whole top-level domain)`;
  const equal = o.opens.find((x) => x.relation === 'equal');
  const broader = o.opens.filter((x) => x.relation === 'broader').map((x) => x.pattern);
  const parts: string[] = [];
  if (o.topLevelDomain) parts.push('a whole top-level domain');
  if (equal) parts.push(equal.pattern.startsWith('.') ? 'a multi-tenant namespace' : 'a multi-tenant host');
  if (broader.length) {
    parts.push(
      `${broader.slice(0, 2).join(', ')}${broader.length > 2 ? ` and ${broader.length - 2} more` : ''}`,
    );
  }
  return `${o.entry} (opens ${parts.join(', ')})`;
}

export default defineRule({
  meta: {
    id: 'nfw-allowlist-overbroad',
    title: 'Domain allowlist opens a multi-tenant namespace',
    severity: 'MEDIUM',
    category: 'network-firewall',
    rationale:
      'An allowlist entry such as .amazonaws.com, .s3.amazonaws.com or .githubusercontent.com admits every tenant of a shared platform: anyone can create a bucket, function URL, tunnel or page under it, so data can leave to an attacker-owned host that the allowlist calls trusted.',
    remediation:
      'Replace each broad entry with the exact hosts the workloads need (for example `pypi.org`, `files.pythonhosted.org`, or your own bucket `my-bucket.s3.us-east-1.amazonaws.com`), and reach AWS services through VPC endpoints rather than the allowlist.',
    references: [],
    docs: `Checks every entry of each domain list rule group with \`GeneratedRulesType\` \`ALLOWLIST\` against the \`overbroad\` list. A wildcard entry (leading dot, \`.example.com\`: the domain and every subdomain) fails when it equals a listed namespace or is broader than one: \`.amazonaws.com\` opens \`.s3.amazonaws.com\`, \`.com\` is broader than \`.herokuapp.com\`. Listed entries without a leading dot are single multi-tenant hosts (path-style buckets, paste sites): an allowlist entry fails when it matches that host. In the list, \`*\` stands for any one label (\`.s3.*.amazonaws.com\`: regional S3). With \`flagTopLevelDomains\`, any wildcard entry for a whole top-level domain (\`.io\`) fails too.

One finding per rule group; the evidence lists every failing entry and what it opens.

Does not fail: an exact entry (no leading dot) matches only itself, so \`amazonaws.com\` or \`kaggle.com\` never fails unless that very host is listed; \`.my-team.s3.amazonaws.com\`-style entries narrower than a listed namespace; DENYLIST, REJECTLIST and ALERTLIST groups.

Cannot see: Suricata \`tls.sni\` / \`http.host\` pass rules (not domain lists); multi-tenant hosts missing from the list (it is configurable); multi-label public suffixes such as \`.co.uk\` unless listed. Source platforms that are multi-tenant by design but usually needed (github.com, huggingface.co) are not listed by default.`,
    needs: ['ruleGroups'],
    // Only to name the policies that use the allowlist.
    optionalReads: ['firewallPolicies'],
    options: Options,
  },
  evaluate({ scope, options }) {
    const idx = nfwIndex(scope);
    // Patterns by their last label: an entry can only open a pattern that ends like it.
    const byLast = new Map<string, DomainName[]>();
    const anyLast: DomainName[] = [];
    for (const p of options.overbroad.map(parseDomainName)) {
      const last = p.labels.at(-1);
      if (last === undefined || last === '*') anyLast.push(p);
      else byLast.set(last, [...(byLast.get(last) ?? []), p]);
    }
    const allPatterns = [...anyLast, ...[...byLast.values()].flat()];
    const drafts: Draft[] = [];
    for (const group of scope.ruleGroups) {
      if (!isAllowlist(group) || !group.rulesSourceList) continue;
      const openings: Opening[] = [];
      for (const raw of group.rulesSourceList.targets) {
        const entry = parseDomainName(raw);
        const opens: Opening['opens'] = [];
        const last = entry.labels.at(-1);
        const candidates = last === undefined ? allPatterns : [...(byLast.get(last) ?? []), ...anyLast];
        for (const pattern of candidates) {
          const relation = domainNameOpens(entry, pattern);
          if (relation) opens.push({ pattern: pattern.text, relation });
        }
        const topLevelDomain = options.flagTopLevelDomains && entry.wildcard && entry.labels.length <= 1;
        if (opens.length > 0 || topLevelDomain) openings.push({ entry: raw, opens, topLevelDomain });
      }
      if (openings.length === 0) continue;
      const policies = idx.policiesByGroup.get(group.ruleGroupArn) ?? [];
      drafts.push({
        resource: ruleGroupResource(group),
        message: `Domain ALLOWLIST ${group.ruleGroupName} allows ${openings
          .slice(0, 3)
          .map(describe)
          .join(
            '; ',
          )}${openings.length > 3 ? ` and ${openings.length - 3} more entries` : ''}: data can leave to any tenant's bucket or host there.`,
        evidence: {
          entries: openings,
          targetTypes: group.rulesSourceList.targetTypes,
          totalEntries: group.rulesSourceList.targets.length,
          policies: policies.map((p) => p.firewallPolicyName),
        },
        remediation: `In ${group.ruleGroupName}, replace ${openings.map((o) => o.entry).join(', ')} with the exact hosts the workloads need (no leading dot), and reach AWS services through VPC endpoints.`,
      });
    }
    return drafts;
  },
});
