/**
 * An exclusive lock on a state file, so that two CLI runs on one `--state FILE` take turns: the second
 * reads what the first wrote, and nothing is lost or told twice (the file store holds the whole file in
 * memory between its read and its write, so two overlapping runs would each report the same findings
 * as new, and the last write would win).
 *
 * The lock is `FILE.lock`, created with O_EXCL (`open(…, 'wx')`): exactly one creator wins. It holds the
 * owner's pid, host and start time. A lock whose owner is gone (same host, pid no longer running) or
 * that is older than `staleMs` is stale and taken over; otherwise the run waits up to `waitMs`, then
 * fails with a StateError that names the holder (exit 2), never silently going on without the lock.
 */
import { randomUUID } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { StateError } from './store.ts';

export interface LockOptions {
  /** How long to wait for another run's lock before failing (ms). */
  waitMs?: number;
  /** A lock older than this is taken over whoever holds it (ms): no run holds it this long. */
  staleMs?: number;
  pollMs?: number;
}

export interface FileLock {
  readonly path: string;
  release(): Promise<void>;
}

interface Holder {
  pid: number;
  host: string;
  since: string;
  token: string;
}

const DEFAULTS = { waitMs: 60_000, staleMs: 10 * 60_000, pollMs: 50 };
/** A lock file that cannot be read as a holder is taken over once this old (its writer died mid-write). */
const UNREADABLE_GRACE_MS = 5_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(path: string): Promise<Holder | undefined> {
  try {
    const h = JSON.parse(await readFile(path, 'utf8')) as Partial<Holder>;
    return typeof h.pid === 'number' && typeof h.host === 'string' && typeof h.token === 'string'
      ? (h as Holder)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Why the lock at `path` may be taken over, or undefined when its holder may still be running. */
async function staleness(
  path: string,
  holder: Holder | undefined,
  staleMs: number,
): Promise<string | undefined> {
  let age: number;
  try {
    age = Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return 'gone';
  }
  if (!holder) return age > UNREADABLE_GRACE_MS ? 'unreadable' : undefined;
  if (holder.host === hostname() && !alive(holder.pid)) return `pid ${holder.pid} is not running`;
  if (age > staleMs) return `older than ${Math.round(staleMs / 1000)} s`;
  return undefined;
}

/**
 * Move a stale lock aside and delete it; if what was moved is not the stale lock (another run replaced
 * it in between), put it back.
 */
async function breakStale(path: string, stale: Holder | undefined): Promise<void> {
  const aside = `${path}.stale-${process.pid}-${randomUUID()}`;
  try {
    await rename(path, aside);
  } catch {
    return; // someone else moved it first
  }
  const moved = await readHolder(aside);
  if (stale && moved && moved.token !== stale.token) {
    await link(aside, path).catch(() => {});
  }
  await unlink(aside).catch(() => {});
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Take the lock of `file` (waiting for another run's, within `waitMs`). */
export async function lockStateFile(file: string, options: LockOptions = {}): Promise<FileLock> {
  const { waitMs, staleMs, pollMs } = { ...DEFAULTS, ...options };
  const path = `${file}.lock`;
  const me: Holder = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    token: randomUUID(),
  };
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(`${JSON.stringify(me)}\n`, 'utf8');
      } finally {
        await handle.close();
      }
      return {
        path,
        release: async () => {
          // Only our own lock: never one a later run took over.
          if ((await readHolder(path))?.token === me.token) await unlink(path).catch(() => {});
        },
      };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        throw new StateError(
          `state file ${file}: cannot create its lock ${path}: ${(err as Error).message}`,
          {
            cause: err,
          },
        );
      }
    }
    const holder = await readHolder(path);
    if (await staleness(path, holder, staleMs)) {
      await breakStale(path, holder);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder ? `pid ${holder.pid} on ${holder.host} since ${holder.since}` : 'another run';
      throw new StateError(
        `state file ${file} is locked by ${who} (${path}); waited ${Math.round(waitMs / 1000)} s. Run again when it has finished, or delete ${path} if that run is gone`,
      );
    }
    await sleep(pollMs);
  }
}
