/**
 * A shared introspection cache over a {@link Store} (normally the `RedisStore`), with a small
 * in-process layer in front so a hot token is not one Redis round trip per request.
 *
 * @module
 */

import { LRUCache } from 'lru-cache';
import { invalidArg } from '../errors.js';
import { integerOption } from '../lib/option-integer.js';
import { assertKnownKeys, type OptionKeys } from '../lib/option-keys.js';
import type { Store } from '../store/types.js';
import type { Clock } from '../types.js';
import type { CachedIntrospection, IntrospectionCache, IntrospectionVerdict } from './cache.js';
import { MAX_SCOPES } from './introspection/claims.js';

/** @default 5000 */
const DEFAULT_LOCAL_TTL_MS = 5000;
/** @default 1000 */
const DEFAULT_LOCAL_MAX_ENTRIES = 1000;
/** @default 'introspection:' */
const DEFAULT_KEY_PREFIX = 'introspection:';

/** Options of {@link createSharedIntrospectionCache}. */
export interface SharedIntrospectionCacheOptions {
  /** Where verdicts are shared (a `RedisStore`). */
  readonly store: Store;
  /**
   * Longest time a verdict is reused from the local layer without asking the store, ms
   * (never past the entry's own lifetime); 0 disables the local layer. Integer ≥ 0.
   * @default 5000
   */
  readonly localTtlMs?: number;
  /** Most entries in the local layer (least recently used go first); integer ≥ 1. @default 1000 */
  readonly localMaxEntries?: number;
  /** Prefix of the store keys (after the store's own prefix). @default 'introspection:' */
  readonly keyPrefix?: string;
  /** Clock, epoch milliseconds. @default Date.now */
  readonly now?: Clock;
}

/** Keys of {@link SharedIntrospectionCacheOptions}. */
const SHARED_CACHE_OPTIONS: OptionKeys<SharedIntrospectionCacheOptions> = {
  store: true,
  localTtlMs: true,
  localMaxEntries: true,
  keyPrefix: true,
  now: true,
};

interface LocalEntry {
  readonly value: CachedIntrospection;
  readonly expiresAtMs: number;
}

function resolveSharedCacheOptions(o: SharedIntrospectionCacheOptions) {
  const store = (o as Partial<SharedIntrospectionCacheOptions> | undefined)?.store;
  if (typeof store?.get !== 'function' || typeof store.set !== 'function') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', 'The option "store" must implement Store');
  }
  if (o.now !== undefined && typeof o.now !== 'function') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', 'The option "now" must be a function');
  }
  if (o.keyPrefix !== undefined && typeof o.keyPrefix !== 'string') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', 'The option "keyPrefix" must be a string');
  }
  return Object.freeze({
    store,
    localTtlMs: integerOption(o.localTtlMs, 'localTtlMs', DEFAULT_LOCAL_TTL_MS, 0),
    localMaxEntries: integerOption(
      o.localMaxEntries,
      'localMaxEntries',
      DEFAULT_LOCAL_MAX_ENTRIES,
      1,
    ),
    keyPrefix: o.keyPrefix ?? DEFAULT_KEY_PREFIX,
    now: o.now ?? Date.now,
  });
}

const TOKEN_CODES: ReadonlySet<unknown> = new Set([
  'ERR_TOKEN_MALFORMED',
  'ERR_TOKEN_INACTIVE',
  'ERR_TOKEN_EXPIRED',
  'ERR_TOKEN_AUDIENCE',
]);

function isOptional(value: unknown, type: 'string' | 'number'): boolean {
  return value === undefined || typeof value === type;
}

/** A stored verdict as written by the verifier, or `undefined` for anything else. */
function parseVerdict(v: unknown): IntrospectionVerdict | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Record<string, unknown>;
  if (r.ok === false) {
    return TOKEN_CODES.has(r.code) && typeof r.reason === 'string'
      ? {
          ok: false,
          code: r.code as Extract<IntrospectionVerdict, { ok: false }>['code'],
          reason: r.reason,
        }
      : undefined;
  }
  const { scopes } = r;
  const valid =
    r.ok === true &&
    typeof r.clientId === 'string' &&
    Array.isArray(scopes) &&
    scopes.length <= MAX_SCOPES &&
    scopes.every((s) => typeof s === 'string') &&
    isOptional(r.exp, 'number') &&
    isOptional(r.nbf, 'number') &&
    isOptional(r.resource, 'string') &&
    isOptional(r.subject, 'string') &&
    isOptional(r.issuer, 'string');
  return valid ? (r as IntrospectionVerdict) : undefined;
}

function parseEntry(raw: string): CachedIntrospection | undefined {
  try {
    const v = JSON.parse(raw) as Partial<Record<keyof CachedIntrospection, unknown>> | null;
    const claims = v?.claims as CachedIntrospection['claims'] | undefined;
    if (
      typeof v?.cachedUntilMs !== 'number' ||
      typeof claims !== 'object' ||
      claims === null ||
      Array.isArray(claims)
    ) {
      return undefined;
    }
    const verdict = parseVerdict(v.verdict);
    // A rejection carries no claims; anything else needs an active response.
    if (verdict?.ok === false) return { claims, cachedUntilMs: v.cachedUntilMs, verdict };
    if (claims.active !== true) return undefined;
    return verdict === undefined
      ? { claims, cachedUntilMs: v.cachedUntilMs }
      : { claims, cachedUntilMs: v.cachedUntilMs, verdict };
  } catch {
    // A corrupt entry is a miss: the verifier asks the authorization server.
  }
  return undefined;
}

/**
 * Creates an {@link IntrospectionCache} shared through `store`, for the verifier's
 * `cache.store` option. Keys are the verifier's SHA-256 keys (never a raw token); entries
 * expire in the store after the verifier's lifetime (min(`ttlMs`, `exp` − now), DESIGN §3.1).
 *
 * A store failure is a miss (get) or a no-op (set, delete): verification then asks the
 * authorization server, and the store logs the outage once. A verdict another replica
 * deletes may still be served from the local layer for up to `localTtlMs`.
 *
 * @param options - The store, local layer bounds and clock.
 * @returns The cache.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the bad option.
 * @example
 * ```ts
 * const store = new RedisStore({ client: new Redis() });
 * const verifier = new IntrospectionTokenVerifier({
 *   ...options,
 *   cache: { store: createSharedIntrospectionCache({ store }) },
 * });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-4
 */
export function createSharedIntrospectionCache(
  options: SharedIntrospectionCacheOptions,
): IntrospectionCache {
  assertKnownKeys(options, SHARED_CACHE_OPTIONS, 'createSharedIntrospectionCache');
  const { store, localTtlMs, localMaxEntries, keyPrefix, now } = resolveSharedCacheOptions(options);
  const local = new LRUCache<string, LocalEntry>({ max: localMaxEntries });
  const remember = (key: string, value: CachedIntrospection) => {
    if (localTtlMs === 0) return;
    local.set(key, { value, expiresAtMs: Math.min(now() + localTtlMs, value.cachedUntilMs) });
  };
  return {
    async get(key) {
      const hit = local.get(key);
      if (hit !== undefined && now() < hit.expiresAtMs) return hit.value;
      if (hit !== undefined) local.delete(key);
      let raw: string | undefined;
      try {
        raw = await store.get(keyPrefix + key);
      } catch {
        return undefined;
      }
      const value = raw === undefined ? undefined : parseEntry(raw);
      if (value !== undefined) remember(key, value);
      return value;
    },
    async set(key, value, ttlMs) {
      remember(key, value);
      try {
        await store.set(keyPrefix + key, JSON.stringify(value), ttlMs);
      } catch {
        // Logged by the store (once per outage); the local layer still serves this replica.
      }
    },
    async delete(key) {
      local.delete(key);
      try {
        await store.delete(keyPrefix + key);
      } catch {
        // As for set.
      }
    },
  };
}
