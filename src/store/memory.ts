/**
 * `MemoryStore`: the embedded, bounded default {@link Store}. Nothing is shared between
 * processes; use the Redis store (`/redis`) to share friction state between replicas.
 *
 * @module
 */

import { invalidArg } from '../errors.js';
import {
  DEFAULT_MAX_PENALTIES,
  DEFAULT_SWEEP_INTERVAL_MS,
  MemoryFrictionStore,
} from '../friction/memory-state-store.js';
import { integerOption } from '../lib/option-integer.js';
import { assertKnownKeys, type OptionKeys } from '../lib/option-keys.js';
import type { Clock } from '../types.js';
import type { FrictionStateStore, FrictionStoreSpec, Store } from './types.js';

/** @default 10000 */
const DEFAULT_MAX_ENTRIES = 10_000;

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Cached values kept (least recently used beyond this are dropped); integer ≥ 1. @default 10000 */
  readonly maxEntries?: number;
  /** Evicted clients' penalties kept per friction binding; integer ≥ 1. @default 10000 */
  readonly maxPenalties?: number;
  /** Interval of the (unref'd) sweep of expired entries, ms; 0 disables it. @default 60000 */
  readonly sweepIntervalMs?: number;
  /** Clock, epoch milliseconds. @default Date.now */
  readonly now?: Clock;
}

/** Keys of {@link MemoryStoreOptions}. */
const MEMORY_STORE_OPTIONS: OptionKeys<MemoryStoreOptions> = {
  maxEntries: true,
  maxPenalties: true,
  sweepIntervalMs: true,
  now: true,
};

interface ResolvedMemoryStoreOptions {
  readonly maxEntries: number;
  readonly maxPenalties: number;
  readonly sweepIntervalMs: number;
  readonly now: Clock;
}

/** Validates {@link MemoryStoreOptions} and applies the defaults. @internal */
export function resolveMemoryStoreOptions(o: MemoryStoreOptions = {}): ResolvedMemoryStoreOptions {
  if (o.now !== undefined && typeof o.now !== 'function') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', 'The option "now" must be a function');
  }
  return Object.freeze({
    maxEntries: integerOption(o.maxEntries, 'maxEntries', DEFAULT_MAX_ENTRIES, 1),
    maxPenalties: integerOption(o.maxPenalties, 'maxPenalties', DEFAULT_MAX_PENALTIES, 1),
    sweepIntervalMs: integerOption(
      o.sweepIntervalMs,
      'sweepIntervalMs',
      DEFAULT_SWEEP_INTERVAL_MS,
      0,
    ),
    now: o.now ?? Date.now,
  });
}

/**
 * The in-process store: a bounded LRU of cached values with per-entry TTL, and bounded friction
 * state per registry. Its sweep timer is unref'd and cleared by {@link MemoryStore.close}.
 *
 * @example
 * ```ts
 * const store = new MemoryStore({ maxEntries: 5000 });
 * const registry = new FrictionRegistry({ store, toolConfigs: { delete_task: {} } });
 * ```
 */
export class MemoryStore implements Store {
  readonly shared = false;
  readonly #opts: ResolvedMemoryStoreOptions;
  readonly #values = new Map<string, { readonly value: string; readonly expiresAt: number }>();
  readonly #bindings = new Set<MemoryFrictionStore>();
  #timer: NodeJS.Timeout | undefined;

  /**
   * @param options - Bounds, sweep interval and clock.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the bad option.
   */
  constructor(options: MemoryStoreOptions = {}) {
    assertKnownKeys(options, MEMORY_STORE_OPTIONS, 'MemoryStore');
    this.#opts = resolveMemoryStoreOptions(options);
    if (this.#opts.sweepIntervalMs > 0) {
      this.#timer = setInterval(() => this.sweep(), this.#opts.sweepIntervalMs);
      this.#timer.unref();
    }
  }

  /** Number of cached values held (expired ones included until swept or read). */
  get size(): number {
    return this.#values.size;
  }

  get(key: string): Promise<string | undefined> {
    const entry = this.#values.get(key);
    if (entry === undefined) return Promise.resolve(undefined);
    this.#values.delete(key);
    if (entry.expiresAt <= this.#opts.now()) return Promise.resolve(undefined);
    this.#values.set(key, entry);
    return Promise.resolve(entry.value);
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    if (typeof ttlMs !== 'number' || !(ttlMs > 0) || !Number.isFinite(ttlMs)) {
      return Promise.reject(
        invalidArg('ERR_INVALID_ARG_VALUE', 'The argument "ttlMs" must be > 0'),
      );
    }
    this.#values.delete(key);
    this.#values.set(key, { value, expiresAt: this.#opts.now() + ttlMs });
    if (this.#values.size > this.#opts.maxEntries) {
      this.#values.delete(this.#values.keys().next().value as string);
    }
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.#values.delete(key);
    return Promise.resolve();
  }

  /** Records `key` unless a live entry holds it; `true` when it was absent. */
  setIfAbsent(key: string, ttlMs: number): Promise<boolean> {
    const entry = this.#values.get(key);
    if (entry !== undefined && entry.expiresAt > this.#opts.now()) return Promise.resolve(false);
    return this.set(key, '1', ttlMs).then(() => true);
  }

  /**
   * Binds friction state for one configuration.
   *
   * @throws TypeError `ERR_INVALID_ARG_VALUE` when `maxClients` is not an integer ≥ 1.
   */
  friction(spec: FrictionStoreSpec): FrictionStateStore {
    integerOption(spec.maxClients, 'maxClients', 1, 1);
    const binding = new MemoryFrictionStore(spec, this.#opts.maxPenalties);
    this.#bindings.add(binding);
    return binding;
  }

  /** Drops expired cached values and penalties (also run by the sweep timer). */
  sweep(): void {
    const now = this.#opts.now();
    for (const [key, entry] of this.#values) if (entry.expiresAt <= now) this.#values.delete(key);
    for (const binding of this.#bindings) binding.sweep(now);
  }

  close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#values.clear();
    for (const binding of this.#bindings) binding.clear();
    return Promise.resolve();
  }
}
