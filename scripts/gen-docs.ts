/** Writes docs/rules.md from the rules' metadata, and the IAM action list from the kind table. `npm run docs`. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { RULES_DOC_PATH, rulesDoc } from '../src/analyze/engine/rules-doc.ts';
import { IAM_DOC_FILES, withIamActions } from '../src/inventory/iam-doc.ts';

writeFileSync(RULES_DOC_PATH, rulesDoc());
console.error(`wrote ${RULES_DOC_PATH}`);

for (const path of IAM_DOC_FILES) {
  if (!existsSync(path)) continue;
  const text = readFileSync(path, 'utf8');
  const updated = withIamActions(text);
  if (updated === text) continue;
  writeFileSync(path, updated);
  console.error(`wrote the IAM action list in ${path}`);
}
