import { describe, expect, it } from 'vitest';
import { hashTags, nameTagOf } from '../../../src/collect/common.ts';
import { emptyRegionInventory, type Inventory } from '../../../src/inventory/schema.ts';
import { hashTagValue, TAG_VALUE_HASH, withoutNameTags } from '../../../src/inventory/tags.ts';

const SECRET = 'SENTINEL-tag-value-9c1e';

describe('hashTagValue', () => {
  it('is SHA-256 over the domain prefix and the value, written sha256:<hex>', () => {
    // sha256("ml-network-audit/tag-value\0" + "ml"), computed once outside the code under test.
    expect(hashTagValue('ml')).toBe(
      'sha256:bae59950a7829eb157efef54461d59ec30699fd8c9bbd640319104834efe1fc1',
    );
  });

  it('is not the plain SHA-256 of the value (domain separation)', () => {
    // sha256("ml")
    expect(hashTagValue('ml')).not.toBe(
      'sha256:5d58d41913d9fea4e42cecd7a5d1b692aa6d0d792977ad7c6d6bb1507e8f3dbd',
    );
  });

  it('tells values apart, an empty value included, and always has the schema shape', () => {
    const hashes = ['', 'ml', 'ML', 'ml ', SECRET].map(hashTagValue);
    expect(new Set(hashes).size).toBe(5);
    for (const h of hashes) expect(h).toMatch(TAG_VALUE_HASH);
  });
});

describe('hashTags', () => {
  it('keeps each key, hashes each value and never keeps the value', () => {
    // Act
    const tags = hashTags([
      { Key: 'team', Value: 'ml' },
      { Key: 'db-password', Value: SECRET },
    ]);
    // Assess
    expect(tags).toEqual({ 'db-password': hashTagValue(SECRET), team: hashTagValue('ml') });
    expect(JSON.stringify(tags)).not.toContain(SECRET);
  });

  it('sorts keys, treats a missing value as empty and skips a tag without a key', () => {
    // Act
    const tags = hashTags([{ Key: 'b', Value: 'x' }, { Key: 'a' }, { Value: 'orphan' }]);
    // Assess
    expect(Object.keys(tags)).toEqual(['a', 'b']);
    expect(tags.a).toBe(hashTagValue(''));
  });

  it('reads an answer without a tag list as a resource without tags: {}', () => {
    expect(hashTags(undefined)).toEqual({});
    expect(hashTags([])).toEqual({});
  });
});

describe('the Name tag', () => {
  it('is read as given, and an absent or empty Name is no name', () => {
    expect(
      nameTagOf([
        { Key: 'team', Value: 'ml' },
        { Key: 'Name', Value: 'legacy-vpc' },
      ]),
    ).toBe('legacy-vpc');
    expect(nameTagOf([{ Key: 'name', Value: 'lower-case key is another tag' }])).toBeUndefined();
    expect(nameTagOf([{ Key: 'Name', Value: '' }])).toBeUndefined();
    expect(nameTagOf(undefined)).toBeUndefined();
  });

  it('is dropped from every item by withoutNameTags, leaving its hash and the inventory given untouched', () => {
    // Prepare
    const scope = emptyRegionInventory('111122223333', 'us-east-1');
    scope.vpcs.push({
      vpcId: 'vpc-1',
      isDefault: false,
      cidrBlocks: ['10.0.0.0/16'],
      ipv6CidrBlocks: [],
      nameTag: 'legacy-vpc',
      tags: { Name: hashTagValue('legacy-vpc') },
    });
    const inventory = { regions: [scope] } as unknown as Inventory;
    // Act
    const hashed = withoutNameTags(inventory);
    // Assess
    expect(JSON.stringify(hashed)).not.toContain('legacy-vpc');
    expect(hashed.regions[0]?.vpcs[0]?.tags).toEqual({ Name: hashTagValue('legacy-vpc') });
    expect(inventory.regions[0]?.vpcs[0]?.nameTag).toBe('legacy-vpc');
  });
});
