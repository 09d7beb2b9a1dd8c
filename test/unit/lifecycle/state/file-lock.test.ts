import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockStateFile } from '../../../../src/lifecycle/state/file-lock.ts';
import { StateError } from '../../../../src/lifecycle/state/store.ts';

const stateFile = () => join(mkdtempSync(join(tmpdir(), 'mlna-lock-')), 'state.json');

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

describe('lockStateFile', () => {
  it('lets one holder in at a time: the second waits until the first releases', async () => {
    // Prepare
    const file = stateFile();
    const order: string[] = [];
    const first = await lockStateFile(file);
    // Act
    const second = lockStateFile(file, { pollMs: 5 }).then((lock) => {
      order.push('second acquired');
      return lock;
    });
    await new Promise((r) => setTimeout(r, 50));
    order.push('first releases');
    await first.release();
    await (await second).release();
    // Assess
    expect(order).toEqual(['first releases', 'second acquired']);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('fails within its wait with a StateError naming the holder and the lock file', async () => {
    // Prepare
    const file = stateFile();
    const held = await lockStateFile(file);
    // Act
    const outcome = await lockStateFile(file, { waitMs: 60, pollMs: 10 }).catch((e: Error) => e);
    // Assess
    expect(outcome).toBeInstanceOf(StateError);
    expect((outcome as Error).message).toContain(`is locked by pid ${process.pid} on ${hostname()}`);
    expect((outcome as Error).message).toContain(`${file}.lock`);
    await held.release();
  });

  it('takes over the lock of a run that is gone (its pid no longer runs on this host)', async () => {
    // Prepare
    const file = stateFile();
    const pid = deadPid();
    writeFileSync(`${file}.lock`, JSON.stringify({ pid, host: hostname(), since: 'x', token: 'dead' }));
    // Act
    const lock = await lockStateFile(file, { waitMs: 0 });
    // Assess
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('takes over a lock older than staleMs even if its holder seems alive, and an old unreadable one', async () => {
    // Prepare
    const file = stateFile();
    const other = { pid: process.pid, host: 'another-host', since: 'x', token: 'old' };
    writeFileSync(`${file}.lock`, JSON.stringify(other));
    const past = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, past, past);
    const file2 = stateFile();
    writeFileSync(`${file2}.lock`, '');
    utimesSync(`${file2}.lock`, past, past);
    // Act
    const a = await lockStateFile(file, { waitMs: 0, staleMs: 30_000 });
    const b = await lockStateFile(file2, { waitMs: 0 });
    // Assess
    expect(JSON.parse(readFileSync(a.path, 'utf8')).token).not.toBe('old');
    expect(JSON.parse(readFileSync(b.path, 'utf8')).pid).toBe(process.pid);
    await a.release();
    await b.release();
  });

  it('waits for a fresh lock on another host (it cannot tell whether that run is alive)', async () => {
    const file = stateFile();
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: 1, host: 'another-host', since: 'x', token: 't' }));
    await expect(lockStateFile(file, { waitMs: 30, pollMs: 5 })).rejects.toThrow(
      /locked by pid 1 on another-host/,
    );
  });

  it('releases only its own lock, never one a later run took over', async () => {
    // Prepare
    const file = stateFile();
    const lock = await lockStateFile(file);
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: 1, host: 'h', since: 'x', token: 'someone-else' }));
    // Act
    await lock.release();
    // Assess
    expect(JSON.parse(readFileSync(`${file}.lock`, 'utf8')).token).toBe('someone-else');
  });
});
