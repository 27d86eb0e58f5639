/**
 * Replay detection for DPoP proofs: every `jti` is remembered for as long as a proof carrying it
 * could still be accepted (RFC 9449 §11.1).
 *
 * @module
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-11.1
 */

import { LRUCache } from 'lru-cache';

/**
 * Where seen proof identifiers are kept. `setIfAbsent` must be atomic: it records `key` for
 * `ttlMs` and answers `true` only when the key was not there (Redis: `SET key 1 NX PX ttl`).
 * `MemoryStore` and `RedisStore` implement it; replicas sharing a `RedisStore` share replay state.
 */
export interface DpopReplayStore {
  /** Records `key` for `ttlMs` milliseconds; `true` when it was new, `false` when already seen. */
  setIfAbsent(key: string, ttlMs: number): boolean | Promise<boolean>;
}

/** Options of {@link createMemoryReplayStore}. */
export interface MemoryReplayStoreOptions {
  /** Most identifiers kept; the oldest are dropped beyond this. @default 100_000 */
  readonly maxEntries?: number;
  /** Clock, epoch ms. @default Date.now */
  readonly now?: () => number;
}

/**
 * An in-process replay store: bounded, with a per-entry lifetime on the injected clock.
 *
 * @param options - See {@link MemoryReplayStoreOptions}.
 * @returns A {@link DpopReplayStore}.
 */
export function createMemoryReplayStore(options: MemoryReplayStoreOptions = {}): DpopReplayStore {
  const now = options.now ?? Date.now;
  const seen = new LRUCache<string, number>({ max: options.maxEntries ?? 100_000 });
  return {
    setIfAbsent(key, ttlMs) {
      const t = now();
      const until = seen.get(key);
      if (until !== undefined && until > t) return false;
      seen.set(key, t + ttlMs);
      return true;
    },
  };
}
