/**
 * A path in one line, for people: "internet → igw-0def… (legacy-igw) → acl-0leg… (legacy-public) →
 * sg-0leg… (legacy-ssh) → ENI in subnet-0leg… → notebook legacy-nb". Read from a finding's evidence
 * (`evidence.paths[].hops`, with the names the analyzer put beside the ids), so every format words a
 * path the same way.
 */
import type { Finding } from '../analyze/engine/finding.ts';

interface HopLike {
  kind?: string;
  id?: string;
  name?: string;
}

export interface PathLike {
  entry?: string;
  hops?: unknown[];
  names?: Record<string, string>;
}

/** "id (name)", or the id alone when it has no name. */
export function withName(id: string, name: string | undefined): string {
  return name && name !== id ? `${id} (${name})` : id;
}

/** The words of one hop; undefined for a hop that adds nothing to a one-line path. */
function hopLabel(hop: HopLike, names: Record<string, string> | undefined): string | undefined {
  const id = hop.id ?? '';
  const name = hop.name ?? names?.[id];
  switch (hop.kind) {
    case 'internet':
      return 'internet';
    case 'sagemaker':
      return "SageMaker's network";
    case 'eni':
      return `ENI in ${withName(id, name)}`;
    case 'sg':
      // A label of several groups: name each.
      return id
        .split(/,\s*/)
        .map((g) => withName(g, names?.[g] ?? (g === id ? name : undefined)))
        .join(', ');
    default:
      return id ? withName(id, name) : undefined;
  }
}

/** The paths of a finding's evidence (reach-* and path rules), or none. */
export function evidencePaths(finding: Pick<Finding, 'evidence'>): PathLike[] {
  const paths = (finding.evidence as { paths?: unknown }).paths;
  return Array.isArray(paths) ? (paths.filter((p) => p && typeof p === 'object') as PathLike[]) : [];
}

/** One path in one line; `end` (the resource) is added after an inbound path's last hop. */
export function pathLine(path: PathLike, end?: string): string {
  const labels: string[] = [];
  const push = (label: string | undefined) => {
    if (label && labels[labels.length - 1] !== label) labels.push(label);
  };
  const hops = (path.hops ?? []).filter((h): h is HopLike => !!h && typeof h === 'object');
  for (const hop of hops) {
    push(hopLabel(hop, path.names));
    if (hop.kind === 'internet' && path.entry) push(withName(path.entry, path.names?.[path.entry]));
  }
  const last = hops[hops.length - 1]?.kind;
  if (last === 'igw' || last === 'eigw' || last === 'sagemaker') push('internet');
  if (hops[0]?.kind === 'internet' && end) push(end);
  return labels.join(' → ');
}

/** "notebook instance legacy-nb": a resource in words, for the end of a path. */
export function resourceWords(resource: Finding['resource']): string {
  const kind = (resource.type.split('::').pop() ?? '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `${kind} ${resource.name ?? resource.id}`.trim();
}

/** A finding's first path in one line, with "(+N more paths)"; undefined when it has no path. */
export function compactPath(finding: Pick<Finding, 'evidence' | 'resource'>): string | undefined {
  const paths = evidencePaths(finding).filter((p) => (p.hops ?? []).length > 0);
  const [first] = paths;
  if (!first) return undefined;
  const more = paths.length > 1 ? ` (+${paths.length - 1} more path${paths.length > 2 ? 's' : ''})` : '';
  return `${pathLine(first, resourceWords(finding.resource))}${more}`;
}
