/**
 * The docs' list of the read actions the collectors call, written from the kind table (`npm run docs`)
 * between two markers in whichever of the candidate files holds them. A test fails when the list in
 * the file differs from the table.
 */
import { COLLECTOR_ACTIONS, type KindService } from './kinds.ts';

/** Files that may hold the list; each one that has the markers gets it. */
export const IAM_DOC_FILES = ['README.md', 'docs/operations.md'] as const;

export const IAM_START = '<!-- iam-actions:start -->';
export const IAM_END = '<!-- iam-actions:end -->';

const SERVICE_TITLES: Record<KindService, string> = {
  ec2: 'EC2',
  sagemaker: 'SageMaker',
  'network-firewall': 'Network Firewall',
  sts: 'STS',
  bedrock: 'Amazon Bedrock',
};

/** Why an action is read, where the kind it serves does not say it. */
const NOTES: Partial<Record<string, string>> = {
  'sagemaker:ListTags': "each resource's tags, for tags suppressions",
};

const WIDTH = 100;

/** "- EC2: `DescribeVpcs`, ..." wrapped at WIDTH columns, continuation lines indented by two. */
function bullet(service: KindService, operations: readonly string[]): string[] {
  const words = operations.flatMap((op, i) => {
    const note = NOTES[`${service}:${op}`];
    const last = i === operations.length - 1;
    const code = `\`${op}\``;
    if (!note) return [`${code}${last ? '' : ','}`];
    return [code, ...`(${note})${last ? '' : ','}`.split(' ')];
  });
  const lines: string[] = [];
  let line = `- ${SERVICE_TITLES[service]}:`;
  for (const word of words) {
    if (line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = `  ${word}`;
    } else line = `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}

/** The list, one bullet per service, actions in kind-table order. */
export function iamActionsList(): string {
  const byService = new Map<KindService, string[]>();
  for (const action of COLLECTOR_ACTIONS) {
    const [service, operation] = action.split(':') as [KindService, string];
    const ops = byService.get(service) ?? [];
    if (!ops.includes(operation)) ops.push(operation);
    byService.set(service, ops);
  }
  const order = Object.keys(SERVICE_TITLES) as KindService[];
  return order
    .filter((s) => byService.has(s))
    .flatMap((s) => bullet(s, byService.get(s) ?? []))
    .join('\n');
}

/** A document's text between the markers (exclusive, without the surrounding newlines); undefined without markers. */
export function iamSection(text: string): string | undefined {
  const start = text.indexOf(IAM_START);
  const end = text.indexOf(IAM_END);
  if (start < 0 || end < start) return undefined;
  return text
    .slice(start + IAM_START.length, end)
    .replace(/^\n/, '')
    .replace(/\n$/, '');
}

/** The document with the list between its markers replaced by the table's; unchanged without markers. */
export function withIamActions(text: string): string {
  const start = text.indexOf(IAM_START);
  const end = text.indexOf(IAM_END);
  if (start < 0 || end < start) return text;
  return `${text.slice(0, start + IAM_START.length)}\n${iamActionsList()}\n${text.slice(end)}`;
}
