/** The snapshot's JSON Schema, generated from the zod schema (the one source of truth). */
import { z } from 'zod';
import { InventorySchema, SNAPSHOT_SCHEMA_VERSION } from './schema.ts';

export const SNAPSHOT_JSON_SCHEMA_PATH = 'schema/snapshot.schema.json';

export function snapshotJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(InventorySchema, { target: 'draft-2020-12', io: 'input' }) as Record<
    string,
    unknown
  >;
  return {
    $schema: schema.$schema,
    $id: `https://github.com/ml-network-audit/ml-network-audit/schema/snapshot-v${SNAPSHOT_SCHEMA_VERSION}.json`,
    title: `ml-network-audit snapshot (schemaVersion ${SNAPSHOT_SCHEMA_VERSION})`,
    description:
      'An inventory of the network controls around ML workloads in one or more AWS regions, as written by `ml-network-audit collect --output` and read by `audit --snapshot`.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}

export function snapshotJsonSchemaText(): string {
  return `${JSON.stringify(snapshotJsonSchema(), null, 2)}\n`;
}
