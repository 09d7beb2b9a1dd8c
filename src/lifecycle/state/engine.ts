/**
 * Applies one run to a state store: load the run's scopes, compute each fingerprint's transition (pure),
 * write it conditionally on the version read; on a conflict (an overlapping run wrote first) re-read that
 * item and recompute, so no update is lost and nothing is counted twice. Claims of pending changes (what
 * a digest tells) are conditional writes too: of two overlapping runs, exactly one tells each change.
 */
import pLimit from 'p-limit';
import type { Finding } from '../../analyze/engine/finding.ts';
import { StateError, type StateStore } from './store.ts';
import {
  type Change,
  claim,
  evaluatedPredicate,
  type FindingState,
  type Observation,
  type RunCoverage,
  type SuppressionRef,
  stateKey,
  type TransitionContext,
  transition,
} from './transition.ts';

/** Writes in flight: the store sends each tick's puts as one transaction of up to 100 conditional puts. */
export const WRITE_CONCURRENCY = 100;
const MAX_ATTEMPTS = 8;

export interface SuppressionDecision {
  suppression?: SuppressionRef;
  expired?: SuppressionRef;
}

export interface StateRunInput {
  coverage: RunCoverage;
  /** Decides, per FAIL finding, whether a suppression applies (or one matched but has expired). */
  suppress?: (f: Finding) => SuppressionDecision;
  ctx: TransitionContext;
  concurrency?: number;
}

export interface StateRunResult {
  /** The state of every item of the run's scopes after the run. */
  items: FindingState[];
  /** What this run did, by fingerprint key. */
  changes: Map<string, Change>;
  conflicts: number;
}

async function withRetries(
  store: StateStore,
  initial: FindingState | undefined,
  key: { account: string; region: string; fingerprint: string },
  compute: (prev: FindingState | undefined) => FindingState | undefined,
  onConflict: () => void,
): Promise<{ state: FindingState | undefined; wrote: boolean }> {
  let prev = initial;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const next = compute(prev);
    if (!next) return { state: prev, wrote: false };
    if (await store.put(next, prev?.version)) return { state: next, wrote: true };
    onConflict();
    prev = await store.get(key);
  }
  throw new StateError(`state item ${stateKey(key)}: still conflicting after ${MAX_ATTEMPTS} attempts`);
}

export async function applyRun(store: StateStore, input: StateRunInput): Promise<StateRunResult> {
  const { coverage, ctx } = input;
  const previous = await store.load(coverage.scopes);
  const byKey = new Map(previous.map((s) => [stateKey(s), s]));
  const seen = new Map<string, Finding>();
  for (const f of coverage.findings) if (f.status === 'FAIL') seen.set(stateKey(f), f);
  const evaluated = evaluatedPredicate(coverage);

  const observe = (key: string, prev: FindingState | undefined): Observation => {
    const f = seen.get(key);
    if (f) return { kind: 'seen', finding: f, ...(input.suppress?.(f) ?? {}) };
    return { kind: 'absent', evaluated: prev ? evaluated(prev) : false };
  };

  const keys = new Set([...byKey.keys(), ...seen.keys()]);
  const limit = pLimit(input.concurrency ?? WRITE_CONCURRENCY);
  const changes = new Map<string, Change>();
  const items = new Map<string, FindingState>();
  let conflicts = 0;
  await Promise.all(
    [...keys].map((key) =>
      limit(async () => {
        const initial = byKey.get(key);
        const ident = initial ?? (seen.get(key) as Finding);
        let change: Change = 'unchanged';
        const { state } = await withRetries(
          store,
          initial,
          { account: ident.account, region: ident.region, fingerprint: ident.fingerprint },
          (prev) => {
            const t = transition(prev, observe(key, prev), ctx);
            change = t.change;
            return t.next;
          },
          () => {
            conflicts++;
          },
        );
        changes.set(key, change);
        if (state) items.set(key, state);
      }),
    ),
  );
  await store.flush();
  return { items: [...items.values()], changes, conflicts };
}

/**
 * Claim the pending changes of these items for this run (mark them told). Returns the items this run
 * claimed, as they were before the claim (with `pending` set); an item another run claimed first is left out.
 */
export async function claimPending(
  store: StateStore,
  items: readonly FindingState[],
  ctx: TransitionContext,
  concurrency = WRITE_CONCURRENCY,
): Promise<FindingState[]> {
  const limit = pLimit(concurrency);
  const claimed: FindingState[] = [];
  await Promise.all(
    items
      .filter((s) => s.pending)
      .map((item) =>
        limit(async () => {
          let before: FindingState | undefined = item;
          const { wrote } = await withRetries(
            store,
            item,
            item,
            (prev) => {
              before = prev;
              return prev && prev.pending === item.pending ? claim(prev, ctx) : undefined;
            },
            () => {},
          );
          if (wrote && before) claimed.push(before);
        }),
      ),
  );
  await store.flush();
  return claimed;
}

/** Undo this run's claims (the digest could not be published): the changes stay pending for the next run. */
export async function releaseClaims(
  store: StateStore,
  claimed: readonly FindingState[],
  ctx: TransitionContext,
): Promise<void> {
  const limit = pLimit(WRITE_CONCURRENCY);
  await Promise.all(
    claimed.map((before) =>
      limit(async () => {
        const current = await store.get(before);
        if (!current || current.lastRunId !== ctx.runId || current.pending) return;
        const { lastNotified: _l, ...rest } = current;
        await store.put(
          {
            ...rest,
            ...(before.lastNotified ? { lastNotified: before.lastNotified } : {}),
            ...(before.pending ? { pending: before.pending } : {}),
            ...(before.expiredSuppression ? { expiredSuppression: before.expiredSuppression } : {}),
            version: current.version + 1,
          },
          current.version,
        );
      }),
    ),
  );
  await store.flush();
}

/**
 * Claim the reminder slot: true when a reminder is due (none yet sent counts as "start the clock now",
 * not due) and this run won it. `intervalDays` 0 = never remind.
 */
export async function claimReminder(store: StateStore, now: string, intervalDays: number): Promise<boolean> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const meta = await store.getMeta();
    const last = meta?.lastReminderAt;
    const due =
      intervalDays > 0 &&
      last !== undefined &&
      Date.parse(now) - Date.parse(last) >= intervalDays * 86_400_000;
    if (last !== undefined && !due) return false;
    const next = { ...(meta ?? {}), lastReminderAt: now, version: (meta?.version ?? 0) + 1 };
    if (await store.putMeta(next, meta?.version)) {
      await store.flush();
      return due;
    }
  }
  return false;
}
