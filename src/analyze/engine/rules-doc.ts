/** The generated rule reference (docs/rules.md), from the registry's metadata: one place for each fact. */
import { RULES } from './registry.ts';

export const RULES_DOC_PATH = 'docs/rules.md';

export function rulesDoc(): string {
  const lines = [
    '# Rule reference',
    '',
    "<!-- Generated from the rules' metadata by `npm run docs`; do not edit by hand. -->",
    '',
    '| id | severity | category | title | references |',
    '|---|---|---|---|---|',
    ...RULES.map(
      (r) =>
        `| [${r.meta.id}](#${r.meta.id}) | ${r.meta.severity} | ${r.meta.category} | ${r.meta.title} | ${r.meta.references.join(', ') || '—'} |`,
    ),
  ];
  for (const r of RULES) {
    const options = r.meta.options ? r.meta.options.parse({}) : {};
    lines.push(
      '',
      `## ${r.meta.id}`,
      '',
      `**${r.meta.title}** · severity ${r.meta.severity} · ${r.meta.category}${r.meta.references.length ? ` · ${r.meta.references.join(', ')}` : ''}`,
      '',
      `**Why it matters.** ${r.meta.rationale}`,
      '',
      r.meta.docs,
      '',
      `**Remediation.** ${r.meta.remediation}`,
      '',
      `**Reads:** ${r.meta.needs.length ? r.meta.needs.map((k) => `\`${k}\``).join(', ') : 'coverage gaps only'}. A coverage gap in any of these makes the rule NOT_EVALUATED for that scope.`,
    );
    if (r.meta.optionalReads?.length) {
      lines.push(
        '',
        `**Also reads, without needing:** ${r.meta.optionalReads.map((k) => `\`${k}\``).join(', ')}: for wording and evidence only, or reported NOT_EVALUATED by the rule itself; a coverage gap in them never hides a failure.`,
      );
    }
    if (Object.keys(options as object).length) {
      lines.push('', `**Options (defaults):** \`${JSON.stringify(options)}\``);
    }
  }
  return `${lines.join('\n')}\n`;
}
