import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import {
  SNAPSHOT_JSON_SCHEMA_PATH,
  snapshotJsonSchema,
  snapshotJsonSchemaText,
} from '../../../src/inventory/json-schema.ts';
import { parseSnapshot, SnapshotError, serializeSnapshot } from '../../../src/inventory/snapshot.ts';
import { hashTagValue } from '../../../src/inventory/tags.ts';

const demo = JSON.parse(readFileSync('events/demo-snapshot.json', 'utf8'));

describe('snapshot JSON Schema', () => {
  it('is in sync with the zod schema (run `npm run schema` after changing it)', () => {
    // Act
    const committed = readFileSync(SNAPSHOT_JSON_SCHEMA_PATH, 'utf8');
    // Assess
    expect(committed).toBe(snapshotJsonSchemaText());
  });

  it('accepts the demo snapshot and rejects what zod rejects', () => {
    // Prepare
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(snapshotJsonSchema());
    const broken = structuredClone(demo);
    broken.regions[0].securityGroups[0].rules[0].egress = 'yes';
    // Act + Assess
    expect(validate(demo)).toBe(true);
    expect(validate(broken)).toBe(false);
    expect(() => parseSnapshot(broken)).toThrow(SnapshotError);
  });
});

describe('parseSnapshot', () => {
  it('reads the demo snapshot and round-trips it unchanged', () => {
    // Act
    const inventory = parseSnapshot(demo);
    // Assess
    expect(JSON.parse(serializeSnapshot(inventory))).toEqual(demo);
  });

  it('names the JSON path of an invalid field', () => {
    // Prepare
    const broken = structuredClone(demo);
    broken.regions[1].securityGroups[0].rules[0].ipProtocol = 6;
    // Act + Assess
    expect(() => parseSnapshot(broken, 'x.json')).toThrow(
      /\$\.regions\[1\]\.securityGroups\[0\]\.rules\[0\]\.ipProtocol/,
    );
  });

  it('rejects a field that has no place in the inventory, such as a training job Environment', () => {
    // Prepare
    const broken = structuredClone(demo);
    broken.regions[0].trainingJobs[0].environment = { DB_PASSWORD: 'x' };
    // Act + Assess
    expect(() => parseSnapshot(broken)).toThrow(/trainingJobs\[0\].*environment/s);
  });

  it('rejects another schema version with a message that says which', () => {
    expect(() => parseSnapshot({ ...demo, schemaVersion: 2 }, 'old.json')).toThrow(
      /old\.json: \$\.schemaVersion: this version reads snapshot schema 1, the file has 2/,
    );
  });

  it('rejects something that is not a snapshot at all', () => {
    expect(() => parseSnapshot([1, 2, 3])).toThrow(SnapshotError);
  });
});

describe('tags in a snapshot', () => {
  const hash = `sha256:${'ab'.repeat(32)}`;

  it('keeps absent tags (not read) apart from {} (read, none) through a round trip', () => {
    // Prepare
    const snap = structuredClone(demo);
    const [first, second] = snap.regions[0].securityGroups;
    first.tags = { team: hash };
    second.tags = {};
    // Act
    const back = JSON.parse(serializeSnapshot(parseSnapshot(snap)));
    // Assess
    expect(back.regions[0].securityGroups[0].tags).toEqual({ team: hash });
    expect(back.regions[0].securityGroups[1].tags).toEqual({});
    expect('tags' in back.regions[0].securityGroups[2]).toBe(false);
  });

  it('reads a snapshot written before tags were collected (no tags anywhere)', () => {
    // Prepare
    const old = JSON.parse(
      JSON.stringify(demo, (key, value) => (key === 'tags' || key === 'nameTag' ? undefined : value)),
    );
    // Act + Assess
    expect(JSON.stringify(old)).not.toContain('"tags"');
    expect(() => parseSnapshot(old)).not.toThrow();
  });

  it('reads a snapshot whose Name tags are only hashed (written before names were kept readable)', () => {
    // Prepare
    const old = JSON.parse(JSON.stringify(demo, (key, value) => (key === 'nameTag' ? undefined : value)));
    // Act
    const inventory = parseSnapshot(old);
    // Assess
    expect(inventory.regions[0]?.vpcs[0]?.tags?.Name).toMatch(/^sha256:/);
    expect(inventory.regions[0]?.vpcs[0]?.nameTag).toBeUndefined();
  });

  it('keeps the readable Name of an EC2 resource beside its hash', () => {
    // Act
    const inventory = parseSnapshot(demo);
    // Assess
    const vpc = inventory.regions[0]?.vpcs.find((v) => v.vpcId === 'vpc-0a1b2c3d4e5f60001');
    expect(vpc?.nameTag).toBe('ml-platform');
    expect(vpc?.tags?.Name).toBe(hashTagValue('ml-platform'));
  });

  it('rejects a Name longer than EC2 allows (256 characters), naming the field', () => {
    // Prepare
    const broken = structuredClone(demo);
    broken.regions[0].vpcs[0].nameTag = 'x'.repeat(257);
    // Act + Assess
    expect(() => parseSnapshot(broken)).toThrow(/vpcs\[0\]\.nameTag/);
  });

  it('rejects a raw tag value, naming the field but not the value', () => {
    // Prepare
    const broken = structuredClone(demo);
    broken.regions[0].notebookInstances[0].tags = { owner: 'SENTINEL-raw-value' };
    // Act
    let message = '';
    try {
      parseSnapshot(broken);
    } catch (err) {
      message = (err as Error).message;
    }
    // Assess
    expect(message).toMatch(/notebookInstances\[0\]\.tags\.owner: must be a tag-value hash/);
    expect(message).not.toContain('SENTINEL-raw-value');
  });
});
