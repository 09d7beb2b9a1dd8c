/** joinInventories: many snapshots (and unread accounts) into one inventory the analyzer runs over once. */
import { describe, expect, it } from 'vitest';
import { JoinError, joinInventories } from '../../../src/inventory/join.ts';
import { InventorySchema } from '../../../src/inventory/schema.ts';
import { inventory, scope } from '../../fixtures/inventory.ts';

const A = '111111111111';
const B = '222222222222';

function accountSnapshot(account: string, patch: Partial<ReturnType<typeof inventory>> = {}) {
  const inv = inventory({ ...scope(), account });
  return { ...inv, ...patch };
}

const unreadB = {
  account: B,
  regions: ['us-east-1', 'eu-west-1'],
  service: 'states',
  operation: 'Map',
  errorCode: 'AccountNotCollected',
  message: 'no snapshot',
  why: 'not read: collection did not complete',
};

describe('joinInventories', () => {
  it('keeps every scope of every snapshot, once, as one valid inventory', () => {
    // Prepare
    const a = accountSnapshot(A);
    const b = accountSnapshot(B);

    // Act
    const joined = joinInventories([a, b]);

    // Assess
    expect(joined.regions.map((s) => s.account)).toEqual([A, B]);
    expect(InventorySchema.safeParse(joined).success).toBe(true);
  });

  it('states bounds for all of them: regions and truncated job lists united, stopped early if any did', () => {
    // Prepare
    const a = accountSnapshot(A, { collectedAt: '2026-01-01T00:00:10.000Z', durationMs: 5_000 });
    const b = accountSnapshot(B, { collectedAt: '2026-01-01T00:00:00.000Z', durationMs: 1_000 });
    a.bounds = {
      ...a.bounds,
      regions: ['us-east-1'],
      jobsTruncated: { [`${A}/us-east-1/trainingJobs`]: true },
    };
    b.bounds = { ...b.bounds, regions: ['eu-west-1'], stoppedEarly: true };

    // Act
    const joined = joinInventories([a, b]);

    // Assess
    expect(joined.bounds.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(joined.bounds.jobsTruncated).toEqual({ [`${A}/us-east-1/trainingJobs`]: true });
    expect(joined.bounds.stoppedEarly).toBe(true);
    expect(joined.collectedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(joined.durationMs).toBe(15_000);
  });

  it('turns an unread account into scopes of coverage gaps only: the failed call, then every kind unread', () => {
    // Act
    const joined = joinInventories([accountSnapshot(A)], [unreadB]);
    const bScopes = joined.regions.filter((s) => s.account === B);

    // Assess
    expect(bScopes.map((s) => s.region)).toEqual(['us-east-1', 'eu-west-1']);
    const gaps = bScopes[0]!.gaps;
    expect(gaps[0]).toEqual({
      service: 'states',
      operation: 'Map',
      kind: 'account',
      errorCode: 'AccountNotCollected',
      message: 'no snapshot',
    });
    expect(gaps.filter((g) => g.kind === 'securityGroups')).toEqual([
      expect.objectContaining({
        errorCode: 'DependencyNotCollected',
        message: 'not read: collection did not complete',
      }),
    ]);
    expect(bScopes.every((s) => s.vpcs.length === 0 && s.securityGroups.length === 0)).toBe(true);
    expect(InventorySchema.safeParse(joined).success).toBe(true);
  });

  it('joins even when no account was read, from the fallback bounds', () => {
    // Prepare
    const fallback = accountSnapshot(A);

    // Act
    const joined = joinInventories([], [unreadB], fallback);

    // Assess
    expect(joined.regions).toHaveLength(2);
    expect(joined.bounds.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(InventorySchema.safeParse(joined).success).toBe(true);
  });

  it('refuses a scope held by two parts (its findings would be doubled), and an empty join', () => {
    // Act / Assess
    expect(() => joinInventories([accountSnapshot(A), accountSnapshot(A)])).toThrow(JoinError);
    expect(() => joinInventories([accountSnapshot(A)], [{ ...unreadB, account: A }])).toThrow(
      /account 111111111111 region us-east-1 is in more than one part/,
    );
    expect(() => joinInventories([])).toThrow(/nothing to join/);
  });
});
