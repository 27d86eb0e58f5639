/**
 * `RedisStore`: a {@link Store} shared by every replica through Redis — friction state (one
 * atomic Lua step per decision) and cached values (the shared introspection cache). Every key
 * has a TTL, every command a deadline.
 *
 * @module
 */

import { invalidArg } from '../errors.js';
import { defaultLogger } from '../lib/logger.js';
import { integerOption } from '../lib/option-integer.js';
import { assertKnownKeys, type OptionKeys } from '../lib/option-keys.js';
import type { Logger } from '../types.js';
import { type NodeRedisClient, toRedisClient } from './redis-client.js';
import { type RedisClient, RedisCommands } from './redis-commands.js';
import { RedisFrictionStore } from './redis-friction.js';
import type { FrictionStateStore, FrictionStoreSpec, Store } from './types.js';

/** @default 'mcp-authflow:' */
const DEFAULT_KEY_PREFIX = 'mcp-authflow:';
/** @default 500 */
const DEFAULT_COMMAND_TIMEOUT_MS = 500;
/** @default 1000 */
const DEFAULT_RETRY_INTERVAL_MS = 1000;
/** One hour. @default 3600000 */
const DEFAULT_CLIENT_TTL_MS = 3_600_000;

/** Options of {@link RedisStore}. */
export interface RedisStoreOptions {
  /**
   * A connected client: ioredis 5 or 6 (or iovalkey) as is, node-redis 5 or 6 (`redis`, detected
   * by its `evalSha` and adapted). The caller owns it and closes it.
   */
  readonly client: RedisClient | NodeRedisClient;
  /** Prefix of every key this store writes. @default 'mcp-authflow:' */
  readonly keyPrefix?: string;
  /**
   * Longest wait for one command, ms; beyond it the operation fails with
   * `ERR_STORE_UNAVAILABLE` (friction then follows `onStoreError`). Integer ≥ 1.
   * @default 500
   */
  readonly commandTimeoutMs?: number;
  /**
   * After a failure, commands fail at once for this long before Redis is tried again, ms;
   * 0 tries every time. Integer ≥ 0.
   * @default 1000
   */
  readonly retryIntervalMs?: number;
  /**
   * Idle lifetime of a client's friction state, ms (a state holding a penalty lives at least
   * the registry's `penaltyTtlMs`). Integer ≥ 1.
   * @default 3600000
   */
  readonly clientTtlMs?: number;
  /**
   * Receives `redis_store_unavailable` (warn) once per outage and `redis_store_recovered`
   * (info) on recovery; the error-level record of an outage is the registry's
   * `friction_store_error`. @default the library's default logger
   */
  readonly logger?: Logger;
}

/** Keys of {@link RedisStoreOptions}. */
const REDIS_STORE_OPTIONS: OptionKeys<RedisStoreOptions> = {
  client: true,
  keyPrefix: true,
  commandTimeoutMs: true,
  retryIntervalMs: true,
  clientTtlMs: true,
  logger: true,
};

interface ResolvedRedisStoreOptions {
  readonly client: RedisClient;
  readonly keyPrefix: string;
  readonly commandTimeoutMs: number;
  readonly retryIntervalMs: number;
  readonly clientTtlMs: number;
  readonly logger: Logger;
}

/** Validates {@link RedisStoreOptions} and applies the defaults. @internal */
export function resolveRedisStoreOptions(o: RedisStoreOptions): ResolvedRedisStoreOptions {
  const client = toRedisClient((o as { client?: unknown } | undefined)?.client);
  if (o.keyPrefix !== undefined && typeof o.keyPrefix !== 'string') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', 'The option "keyPrefix" must be a string');
  }
  const logger = o.logger ?? defaultLogger;
  if (typeof logger?.warn !== 'function' || typeof logger.info !== 'function') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', 'The option "logger" must implement Logger');
  }
  return Object.freeze({
    client,
    keyPrefix: o.keyPrefix ?? DEFAULT_KEY_PREFIX,
    commandTimeoutMs: integerOption(
      o.commandTimeoutMs,
      'commandTimeoutMs',
      DEFAULT_COMMAND_TIMEOUT_MS,
      1,
    ),
    retryIntervalMs: integerOption(
      o.retryIntervalMs,
      'retryIntervalMs',
      DEFAULT_RETRY_INTERVAL_MS,
      0,
    ),
    clientTtlMs: integerOption(o.clientTtlMs, 'clientTtlMs', DEFAULT_CLIENT_TTL_MS, 1),
    logger,
  });
}

/**
 * The shared store: friction state and cached values in Redis, under `keyPrefix`.
 *
 * - Friction: each decision is one `EVALSHA` of a Lua script running the controller step of
 *   the memory store over the same state (same call sequence → bit-identical frictions), so
 *   replicas sharing Redis never lose an update. States expire after `clientTtlMs` idle
 *   (`penaltyTtlMs` while penalised) instead of being evicted; `maxClients` does not apply.
 * - Values: `SET … PX`, so an entry disappears on its own.
 * - Failures: every command has a deadline (`commandTimeoutMs`); an unreachable Redis gives
 *   `ERR_STORE_UNAVAILABLE`, logged (warn) once per outage with a recovery record. The registry
 *   then applies `onStoreError` and logs the outage at error level, once; the introspection
 *   cache falls back to the authorization server. A reply error about one key's data
 *   (`WRONGTYPE`, a script error on a corrupt state) fails that operation only, logged as
 *   `redis_store_data_error` (warn, at most once a second): the store is not marked down, so
 *   other clients' decisions go on. Store-wide replies (`LOADING`, `BUSY`, `READONLY`, `OOM`,
 *   `MISCONF`, …) count as an outage.
 *
 * > [!WARNING]
 * > The store attaches an `'error'` listener to the client (when it has `on`), so ioredis
 * > connection errors are logged through `logger` rather than printed as unhandled events.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { RedisStore } from 'mcp-authflow-resource/redis';
 * const store = new RedisStore({ client: new Redis(process.env.REDIS_URL!) });
 * const registry = new FrictionRegistry({ store, toolConfigs: { delete_task: {} } });
 * ```
 * @see https://redis.io/docs/latest/develop/interact/programmability/eval-intro/
 */
export class RedisStore implements Store {
  readonly shared = true;
  /** The resolved key prefix. */
  readonly keyPrefix: string;
  readonly #opts: ResolvedRedisStoreOptions;
  readonly #cmds: RedisCommands;
  #closed = false;

  /**
   * @param options - The client, key prefix, deadlines and TTLs.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the bad option.
   */
  constructor(options: RedisStoreOptions) {
    assertKnownKeys(options, REDIS_STORE_OPTIONS, 'RedisStore');
    this.#opts = resolveRedisStoreOptions(options);
    this.keyPrefix = this.#opts.keyPrefix;
    this.#cmds = new RedisCommands(this.#opts.client, this.#opts);
  }

  /** Whether the last command failed (Redis considered down until a command succeeds). */
  get unavailable(): boolean {
    return this.#cmds.down;
  }

  /** @throws `AuthflowError` `ERR_STORE_UNAVAILABLE` when Redis cannot answer. */
  async get(key: string): Promise<string | undefined> {
    const value = await this.#cmds.run('get', (c) => c.get(this.#valueKey(key)));
    return value ?? undefined;
  }

  /**
   * @throws TypeError `ERR_INVALID_ARG_VALUE` for a non-positive TTL; `AuthflowError`
   *   `ERR_STORE_UNAVAILABLE` when Redis cannot answer.
   */
  async set(key: string, value: string, ttlMs: number): Promise<void> {
    if (typeof ttlMs !== 'number' || !(ttlMs > 0) || !Number.isFinite(ttlMs)) {
      throw invalidArg('ERR_INVALID_ARG_VALUE', 'The argument "ttlMs" must be > 0');
    }
    const px = Math.ceil(ttlMs);
    await this.#cmds.run('set', (c) => c.set(this.#valueKey(key), value, 'PX', px));
  }

  /**
   * One `SET key 1 NX PX ttlMs`: `true` when the key was absent.
   *
   * @throws TypeError `ERR_INVALID_ARG_VALUE` for a non-positive TTL; `AuthflowError`
   *   `ERR_STORE_UNAVAILABLE` when Redis cannot answer.
   */
  async setIfAbsent(key: string, ttlMs: number): Promise<boolean> {
    if (typeof ttlMs !== 'number' || !(ttlMs > 0) || !Number.isFinite(ttlMs)) {
      throw invalidArg('ERR_INVALID_ARG_VALUE', 'The argument "ttlMs" must be > 0');
    }
    const px = Math.ceil(ttlMs);
    const reply = await this.#cmds.run('set', (c) =>
      c.set(this.#valueKey(key), '1', 'PX', px, 'NX'),
    );
    return reply === 'OK';
  }

  /** @throws `AuthflowError` `ERR_STORE_UNAVAILABLE` when Redis cannot answer. */
  async delete(key: string): Promise<void> {
    await this.#cmds.run('del', (c) => c.del(this.#valueKey(key)));
  }

  /**
   * Binds friction state for one configuration (keys include a fingerprint of it, so replicas
   * running different configurations do not share states). Both controllers,
   * `'proportional'` and `'adaptive'`, run as one atomic script per decision.
   */
  friction(spec: FrictionStoreSpec): FrictionStateStore & { keyOf(clientKey: string): string } {
    return new RedisFrictionStore(this.#cmds, spec, this.keyPrefix, this.#opts.clientTtlMs);
  }

  /** Detaches from the client (which stays open: the caller owns it). Idempotent. */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#cmds.detach();
    }
    return Promise.resolve();
  }

  #valueKey(key: string): string {
    return `${this.keyPrefix}v:${key}`;
  }
}
