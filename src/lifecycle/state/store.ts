/** One interface for where finding state lives: a DynamoDB table (the Lambda) or a JSON file (the CLI). */
import type { FindingState } from './transition.ts';

/** `account#region`. */
export type Scope = string;

/** The one non-finding record: when the last reminder digest went out. */
export interface DigestMeta {
  lastReminderAt?: string;
  lastDigestAt?: string;
  version: number;
}

export interface StateStore {
  /** Every item of these scopes (consistent reads). */
  load(scopes: readonly Scope[]): Promise<FindingState[]>;
  get(key: { account: string; region: string; fingerprint: string }): Promise<FindingState | undefined>;
  /**
   * Write `next` only if the stored item's version is still `expectedVersion` (undefined: the item must
   * not exist). Resolves false on a conflict (another run wrote first); throws on any other failure.
   */
  put(next: FindingState, expectedVersion: number | undefined): Promise<boolean>;
  getMeta(): Promise<DigestMeta | undefined>;
  putMeta(next: DigestMeta, expectedVersion: number | undefined): Promise<boolean>;
  /** Persist buffered writes (the file store); a no-op for the table. */
  flush(): Promise<void>;
}

export class StateError extends Error {
  override readonly name = 'StateError';
}
