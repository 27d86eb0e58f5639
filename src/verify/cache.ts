/**
 * The introspection cache contract and its in-memory implementation.
 *
 * Keys are SHA-256 digests of (introspection endpoint, our client id, expected resource, token),
 * never the token alone: a cache keyed by the token only lets one resource server's verdict
 * answer for another (Ory Oathkeeper, CVE-2026-33496). Raw tokens are never stored.
 *
 * @module
 */

import { LRUCache } from 'lru-cache';
import type { TokenErrorCode } from '../errors.js';
import { assertKnownKeys, type OptionKeys } from '../lib/option-keys.js';
import type { Clock } from '../types.js';
import type { IntrospectionResponse } from './introspection/response.js';

/**
 * The verifier's judgement of an active introspection response, made once when the response
 * arrives and cached with it, so that a cache hit costs the same whatever the authorization
 * server returned (issue 20). Accepted: the values the verifier reports (time claims in epoch
 * seconds, re-checked on every hit). Rejected: the code and the logged reason (an `aud` that
 * does not cover the server, claims over the documented bounds, an invalid `exp`/`nbf`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.2
 */
export type IntrospectionVerdict =
  | {
      readonly ok: true;
      readonly clientId: string;
      readonly scopes: readonly string[];
      readonly exp?: number | undefined;
      readonly nbf?: number | undefined;
      readonly resource?: string | undefined;
      readonly subject?: string | undefined;
      readonly issuer?: string | undefined;
    }
  | { readonly ok: false; readonly code: TokenErrorCode; readonly reason: string };

/** One cached introspection verdict. */
export interface CachedIntrospection {
  /** The active introspection response (an empty object when `verdict` is a rejection). */
  readonly claims: IntrospectionResponse;
  /** When the entry stops counting, epoch ms: min(now + ttlMs, exp). */
  readonly cachedUntilMs: number;
  /**
   * The judgement of `claims` (accepted or rejected), made once. An entry without one (from
   * an older version, or a custom store that dropped it) is judged on read.
   */
  readonly verdict?: IntrospectionVerdict;
}

/**
 * Where introspection verdicts are kept. Small on purpose so a shared store (Redis) can plug
 * in; methods may be synchronous or return promises. The verifier re-checks `cachedUntilMs` and
 * `exp` on every hit, so a store may keep an entry a little longer than `ttlMs`.
 */
export interface IntrospectionCache {
  get(key: string): CachedIntrospection | undefined | Promise<CachedIntrospection | undefined>;
  /** Stores `value` for `ttlMs` (> 0) milliseconds. */
  set(key: string, value: CachedIntrospection, ttlMs: number): void | Promise<void>;
  delete(key: string): void | Promise<void>;
}

/** Cache options of `IntrospectionTokenVerifier`. */
export interface IntrospectionCacheOptions {
  /** Longest time a verdict is reused, in ms (shorter when the token expires first). @default 60000 */
  readonly ttlMs?: number;
  /** Most entries kept by the in-memory cache (least recently used go first). @default 10000 */
  readonly maxEntries?: number;
  /** Most introspection requests in flight at once. @default 32 */
  readonly maxInFlight?: number;
  /**
   * Most verifications waiting for a free slot; beyond it they fail at once with
   * `ERR_INTROSPECTION_UNAVAILABLE`, so a flood of random tokens cannot grow memory.
   * @default 1000
   */
  readonly maxQueued?: number;
  /** A shared store instead of the in-memory one (`maxEntries` then does not apply). */
  readonly store?: IntrospectionCache;
}

/** Options of {@link createMemoryIntrospectionCache}. */
export interface MemoryIntrospectionCacheOptions {
  /** Most entries kept (least recently used go first). @default 10000 */
  readonly maxEntries?: number;
  /** Clock in epoch milliseconds. @default Date.now */
  readonly now?: Clock;
}

/** Keys of {@link MemoryIntrospectionCacheOptions}. */
const MEMORY_CACHE_OPTIONS: OptionKeys<MemoryIntrospectionCacheOptions> = {
  maxEntries: true,
  now: true,
};

/**
 * An in-memory cache read without a promise, at a time the caller has already read.
 * @internal
 */
export interface SynchronousCache {
  /**
   * `get(key)` with `nowMs` for the cache's own clock reading: the entry, or `undefined` when it
   * is absent or expired at `nowMs` (an expired entry is dropped, as `get` drops it).
   */
  at(key: string, nowMs: number): CachedIntrospection | undefined;
  /** The cache's clock. */
  readonly now: Clock;
}

/** The caches whose `get` returns the entry itself, never a promise, with their reader. */
const SYNCHRONOUS = new WeakMap<IntrospectionCache, SynchronousCache>();

/**
 * The synchronous reader of `cache` when it is one of {@link createMemoryIntrospectionCache}'s,
 * whose `get` answers at once: only those are read on the verifier's synchronous hit path (a
 * shared store's `get` is I/O, and is never started there).
 * @internal
 */
export function synchronousCache(cache: IntrospectionCache): SynchronousCache | undefined {
  return SYNCHRONOUS.get(cache);
}

interface MemoryEntry {
  readonly value: CachedIntrospection;
  readonly expiresAtMs: number;
}

/**
 * Creates the bounded in-memory introspection cache. Time-to-live is kept against the injected
 * clock (not the process timer), so tests with a fake clock are exact.
 *
 * @param options - `maxEntries` and `now`
 * @returns an {@link IntrospectionCache}
 */
export function createMemoryIntrospectionCache(
  options: MemoryIntrospectionCacheOptions = {},
): IntrospectionCache {
  assertKnownKeys(options, MEMORY_CACHE_OPTIONS, 'createMemoryIntrospectionCache');
  const now = options.now ?? Date.now;
  const lru = new LRUCache<string, MemoryEntry>({ max: options.maxEntries ?? 10_000 });
  const at = (key: string, nowMs: number): CachedIntrospection | undefined => {
    const entry = lru.get(key);
    if (entry === undefined) return undefined;
    if (nowMs < entry.expiresAtMs) return entry.value;
    lru.delete(key);
    return undefined;
  };
  const cache: IntrospectionCache = {
    get(key) {
      return at(key, now());
    },
    set(key, value, ttlMs) {
      lru.set(key, { value, expiresAtMs: now() + ttlMs });
    },
    delete(key) {
      lru.delete(key);
    },
  };
  SYNCHRONOUS.set(cache, { at, now });
  return cache;
}
