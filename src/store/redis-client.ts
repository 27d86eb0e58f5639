/**
 * Which Redis clients the Redis store accepts, and the adapter that gives a node-redis client
 * the store's {@link RedisClient} shape. ioredis (5, 6) and its Valkey fork iovalkey already
 * have that shape; node-redis (`redis` 5, 6, or `@redis/client`) names its commands differently
 * (`evalSha(sha, { keys, arguments })`, `set(key, value, { expiration })`) and is adapted here:
 * each store command is still exactly one Redis command (one round trip per friction decision).
 *
 * @module
 */

import { invalidArg } from '../errors.js';
import type { RedisClient } from './redis-commands.js';

/** The `keys` and `arguments` of a node-redis `EVAL` / `EVALSHA` call. */
export interface NodeRedisEvalOptions {
  /** The script's `KEYS`. */
  keys: string[];
  /** The script's `ARGV`. */
  arguments: string[];
}

/**
 * The few node-redis commands the Redis store uses, typed structurally (the library needs no
 * node-redis types): a connected `createClient()` of `redis` 5 or 6 fits as is, in RESP2 or
 * RESP3. The store detects it by its `evalSha` method and adapts it.
 *
 * @see https://github.com/redis/node-redis
 */
export interface NodeRedisClient {
  /** `EVALSHA sha numKeys ...keys ...args`. */
  evalSha(sha: string, options: NodeRedisEvalOptions): Promise<unknown>;
  /** `EVAL script numKeys ...keys ...args`. */
  eval(script: string, options: NodeRedisEvalOptions): Promise<unknown>;
  /** `GET key`. */
  get(key: string): Promise<unknown>;
  /** `SET key value PX ttlMs [NX]`. */
  set(
    key: string,
    value: string,
    options: { expiration: { type: 'PX'; value: number }; condition?: 'NX' },
  ): Promise<unknown>;
  /** `DEL key`. */
  del(key: string): Promise<number>;
  /** Event subscription (the client is an `EventEmitter`); used for `'error'` only. */
  on?(event: 'error', listener: (err: Error) => void): unknown;
  /** Removes a listener added with `on`. */
  off?(event: 'error', listener: (err: Error) => void): unknown;
}

const IOREDIS_METHODS = ['evalsha', 'eval', 'get', 'set', 'del'] as const;
const NODE_REDIS_METHODS = ['evalSha', 'eval', 'get', 'set', 'del'] as const;

function hasMethods(value: object, methods: readonly string[]): boolean {
  return methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function');
}

function evalOptions(numKeys: number, keysAndArgs: string[]): NodeRedisEvalOptions {
  return { keys: keysAndArgs.slice(0, numKeys), arguments: keysAndArgs.slice(numKeys) };
}

/** Gives a node-redis client the {@link RedisClient} shape, one command per call. @internal */
export function fromNodeRedis(client: NodeRedisClient): RedisClient {
  return {
    evalsha: (sha, numKeys, ...keysAndArgs) =>
      client.evalSha(sha, evalOptions(numKeys, keysAndArgs)),
    eval: (script, numKeys, ...keysAndArgs) =>
      client.eval(script, evalOptions(numKeys, keysAndArgs)),
    // A client with a Buffer type mapping answers a Buffer: the store keeps strings.
    get: async (key) => {
      const value = await client.get(key);
      return value === null || value === undefined ? null : String(value);
    },
    set: (key, value, _mode, ttlMs, condition) =>
      client.set(key, value, {
        expiration: { type: 'PX', value: ttlMs },
        ...(condition === undefined ? {} : { condition }),
      }),
    del: (key) => client.del(key),
    on: (event, listener) => client.on?.(event, listener),
    off: (event, listener) => client.off?.(event, listener),
  };
}

/**
 * Checks the store's `client` option and adapts a node-redis client.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` naming the accepted clients.
 * @internal
 */
export function toRedisClient(value: unknown): RedisClient {
  if (typeof value === 'object' && value !== null) {
    if (hasMethods(value, IOREDIS_METHODS)) return value as RedisClient;
    if (hasMethods(value, NODE_REDIS_METHODS)) return fromNodeRedis(value as NodeRedisClient);
  }
  throw invalidArg(
    'ERR_INVALID_ARG_TYPE',
    'The option "client" must be a connected Redis client: ioredis 5 or 6 (or iovalkey), ' +
      'node-redis 5 or 6 (`redis`), or an object with evalsha, eval, get, set and del',
  );
}
