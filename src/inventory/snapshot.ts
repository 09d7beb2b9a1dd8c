/**
 * Snapshots: an Inventory saved as versioned JSON, validated with zod on read. An invalid snapshot
 * is rejected whole, with errors that name the JSON path.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { formatZodError } from '../util/zod-error.ts';
import { COMPUTE_ROWS } from './kinds-compute.ts';
import { type Inventory, InventorySchema, SNAPSHOT_SCHEMA_VERSION } from './schema.ts';

export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
}

/** Validate a parsed JSON value as a snapshot. */
export function parseSnapshot(value: unknown, source = 'snapshot'): Inventory {
  if (value && typeof value === 'object' && 'schemaVersion' in value) {
    const version = (value as { schemaVersion: unknown }).schemaVersion;
    if (version !== SNAPSHOT_SCHEMA_VERSION) {
      throw new SnapshotError(
        `${source}: $.schemaVersion: this version reads snapshot schema ${SNAPSHOT_SCHEMA_VERSION}, the file has ${JSON.stringify(version)}`,
      );
    }
  }
  const parsed = InventorySchema.safeParse(withComputeKinds(value));
  if (!parsed.success) {
    const lines = formatZodError(parsed.error, '$').split('\n');
    const shown = lines.slice(0, 20).join('\n  ');
    const more = lines.length > 20 ? `\n  ... and ${lines.length - 20} more` : '';
    throw new SnapshotError(`${source} is not a valid snapshot:\n  ${shown}${more}`);
  }
  return parsed.data;
}

/**
 * A snapshot written before the ML compute kinds were collected (kinds-compute.ts) has no array for
 * them: each missing one is read as empty with a coverage gap (NotInSnapshot), so the snapshot still
 * reads, and nothing takes "not collected" for "none there".
 */
function withComputeKinds(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  const regions = (value as { regions?: unknown }).regions;
  if (!Array.isArray(regions)) return value;
  return {
    ...value,
    regions: regions.map((region: unknown) => {
      if (!region || typeof region !== 'object' || !Array.isArray((region as { gaps?: unknown }).gaps)) {
        return region;
      }
      const r = region as Record<string, unknown> & { gaps: unknown[] };
      const missing = Object.entries(COMPUTE_ROWS).filter(([kind]) => !(kind in r));
      if (missing.length === 0) return region;
      return {
        ...r,
        ...Object.fromEntries(missing.map(([kind]) => [kind, []])),
        gaps: [
          ...r.gaps,
          ...missing.map(([kind, row]) => ({
            service: row.service,
            operation: row.actions[0]?.split(':')[1] ?? 'List',
            kind,
            errorCode: 'NotInSnapshot',
            message: `the snapshot was written by a version that did not collect ${kind}`,
          })),
        ],
      };
    }),
  };
}

export async function readSnapshot(path: string): Promise<Inventory> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new SnapshotError(`cannot read snapshot ${path}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new SnapshotError(`${path} is not JSON: ${(err as Error).message}`);
  }
  return parseSnapshot(value, path);
}

export function serializeSnapshot(inventory: Inventory): string {
  return `${JSON.stringify(InventorySchema.parse(inventory), null, 2)}\n`;
}

export async function writeSnapshot(path: string, inventory: Inventory): Promise<void> {
  await writeFile(path, serializeSnapshot(inventory), 'utf8');
}
