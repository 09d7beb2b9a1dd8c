/**
 * Finding state in a local JSON file, for the CLI without a table (`--state FILE`). Held in memory
 * during the run with the same versioned, conditional semantics as the table; written atomically
 * (temporary file, then rename) on flush.
 */
import { randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { SeveritySchema } from '../../analyze/engine/finding.ts';
import { formatZodError } from '../../util/zod-error.ts';
import { type DigestMeta, type Scope, StateError, type StateStore } from './store.ts';
import { type FindingState, STATE_STATUSES, stateKey } from './transition.ts';

const SuppressionRefSchema = z.object({
  id: z.string(),
  reason: z.string(),
  expires: z.string().optional(),
});

const FindingStateSchema = z.object({
  account: z.string(),
  region: z.string(),
  fingerprint: z.string(),
  ruleId: z.string(),
  severity: SeveritySchema,
  status: z.enum(STATE_STATUSES),
  title: z.string(),
  resource: z.object({ type: z.string(), id: z.string(), arn: z.string(), name: z.string().optional() }),
  firstSeen: z.string(),
  lastSeen: z.string(),
  lastNotified: z.string().optional(),
  resolvedAt: z.string().optional(),
  pending: z.enum(['NEW', 'RESOLVED']).optional(),
  newReason: z
    .enum(['first-seen', 'reopened', 'severity-rose', 'suppression-expired', 'suppression-removed'])
    .optional(),
  suppression: SuppressionRefSchema.optional(),
  expiredSuppression: SuppressionRefSchema.optional(),
  version: z.number().int(),
  lastRunId: z.string(),
  ttl: z.number().optional(),
});

export const STATE_FILE_VERSION = 1 as const;

const StateFileSchema = z.object({
  schemaVersion: z.literal(STATE_FILE_VERSION),
  meta: z
    .object({
      lastReminderAt: z.string().optional(),
      lastDigestAt: z.string().optional(),
      version: z.number(),
    })
    .optional(),
  items: z.array(FindingStateSchema),
});

export class FileStateStore implements StateStore {
  private readonly items = new Map<string, FindingState>();
  private meta: DigestMeta | undefined;

  private constructor(private readonly file: string) {}

  /** Open (or start) a state file; an unreadable or invalid file is an error naming the field. */
  static async open(file: string): Promise<FileStateStore> {
    const store = new FileStateStore(file);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return store;
      throw new StateError(`state file ${file}: ${(err as Error).message}`, { cause: err });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new StateError(`state file ${file}: not JSON: ${(err as Error).message}`, { cause: err });
    }
    const parsed = StateFileSchema.safeParse(json);
    if (!parsed.success) {
      throw new StateError(`state file ${file} is invalid:\n${formatZodError(parsed.error)}`);
    }
    for (const item of parsed.data.items) store.items.set(stateKey(item), item as FindingState);
    store.meta = parsed.data.meta;
    return store;
  }

  async load(scopes: readonly Scope[]): Promise<FindingState[]> {
    const wanted = new Set(scopes);
    return [...this.items.values()].filter((s) => wanted.has(`${s.account}#${s.region}`));
  }

  async get(key: { account: string; region: string; fingerprint: string }) {
    return this.items.get(stateKey(key));
  }

  async put(next: FindingState, expectedVersion: number | undefined): Promise<boolean> {
    const key = stateKey(next);
    if (this.items.get(key)?.version !== expectedVersion) return false;
    this.items.set(key, next);
    return true;
  }

  async getMeta() {
    return this.meta;
  }

  async putMeta(next: DigestMeta, expectedVersion: number | undefined): Promise<boolean> {
    if (this.meta?.version !== expectedVersion) return false;
    this.meta = next;
    return true;
  }

  /** Flushes run one after another (a run's writes may finish together), each atomic. */
  async flush(): Promise<void> {
    const next = this.flushing.then(() => this.write());
    this.flushing = next.catch(() => {});
    return next;
  }

  private flushing: Promise<void> = Promise.resolve();

  private async write(): Promise<void> {
    const now = Date.now() / 1000;
    const items = [...this.items.values()]
      .filter((s) => s.ttl === undefined || s.ttl > now)
      .sort((a, b) => stateKey(a).localeCompare(stateKey(b)));
    const doc = { schemaVersion: STATE_FILE_VERSION, ...(this.meta ? { meta: this.meta } : {}), items };
    const tmp = `${this.file}.tmp-${process.pid}-${randomUUID()}`;
    await writeFile(tmp, `${JSON.stringify(doc, null, 2)}\n`, 'utf8');
    await rename(tmp, this.file);
  }
}
