/** Writes docs/rules.md from the rules' metadata. `npm run docs`. */
import { writeFileSync } from 'node:fs';
import { RULES_DOC_PATH, rulesDoc } from '../src/analyze/engine/rules-doc.ts';

writeFileSync(RULES_DOC_PATH, rulesDoc());
console.error(`wrote ${RULES_DOC_PATH}`);
