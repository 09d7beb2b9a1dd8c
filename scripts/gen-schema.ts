/** Writes schema/snapshot.schema.json from the zod schema. `npm run schema`. */
import { writeFileSync } from 'node:fs';
import { SNAPSHOT_JSON_SCHEMA_PATH, snapshotJsonSchemaText } from '../src/inventory/json-schema.ts';

writeFileSync(SNAPSHOT_JSON_SCHEMA_PATH, snapshotJsonSchemaText());
console.error(`wrote ${SNAPSHOT_JSON_SCHEMA_PATH}`);
