/**
 * The Redis client contract of the Redis store and the guarded command runner: a bounded time
 * per command, a short fail-fast window while Redis is down, `EVALSHA` with the `NOSCRIPT` →
 * `EVAL` fallback, and one log record per outage (`redis_store_unavailable`, warn) and one on
 * recovery (`redis_store_recovered`, info). They are below error level on purpose: the error
 * line of an outage belongs to the consumer that knows its consequence (the friction registry
 * logs `friction_store_error`; the introspection cache falls back to the authorization server).
 *
 * @module
 */

import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { AuthflowError } from '../errors.js';
import type { Logger } from '../types.js';

/**
 * The few commands the Redis store uses, typed structurally so that an ioredis client (5.x)
 * fits as is and another client (node-redis) can be adapted with a small wrapper.
 *
 * > [!WARNING]
 * > ioredis emits `'error'` events while it reconnects. The store attaches its own listener
 * > (when the client has `on`) and logs the first error of each outage through its logger.
 */
export interface RedisClient {
  /** `EVALSHA sha numKeys ...keysAndArgs`. */
  evalsha(sha: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  /** `EVAL script numKeys ...keysAndArgs`. */
  eval(script: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  /** `GET key`. */
  get(key: string): Promise<string | null>;
  /** `SET key value PX ttlMs [NX]` (ioredis answers `'OK'`, or `null` when NX found the key). */
  set(key: string, value: string, mode: 'PX', ttlMs: number, condition?: 'NX'): Promise<unknown>;
  /** `DEL key`. */
  del(key: string): Promise<number>;
  /** Event subscription (ioredis is an `EventEmitter`); used for `'error'` only. */
  on?(event: 'error', listener: (err: Error) => void): unknown;
  /** Removes a listener added with `on`. */
  off?(event: 'error', listener: (err: Error) => void): unknown;
}

/** A Lua script with its SHA-1 (what `EVALSHA` names it by). @internal */
export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

/** Wraps Lua source with its SHA-1 digest. @internal */
export function luaScript(source: string): LuaScript {
  return Object.freeze({ source, sha: createHash('sha1').update(source).digest('hex') });
}

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Reply-error prefixes that mean the server as a whole cannot serve (loading, busy, read-only
 * replica, out of memory, failed persistence, cluster or auth trouble): these mark the store
 * down like a lost connection.
 *
 * @see https://redis.io/docs/latest/develop/reference/protocol-spec/#simple-errors
 */
const STORE_WIDE_REPLIES: ReadonlySet<string> = new Set([
  'LOADING',
  'BUSY',
  'MASTERDOWN',
  'READONLY',
  'OOM',
  'MISCONF',
  'CLUSTERDOWN',
  'TRYAGAIN',
  'NOAUTH',
  'NOPERM',
  'WRONGPASS',
  'NOREPLICAS',
  'MOVED',
  'ASK',
]);

/**
 * The prefix of a reply error about the data of one key (`WRONGTYPE`, a script's runtime
 * error on a corrupt value: `ERR …`), or `undefined` for a transport failure or a store-wide
 * reply. Redis answered, so the connection is fine: only that operation fails (issue 20).
 * ioredis names reply errors `ReplyError`, node-redis `ErrorReply`.
 */
export function dataErrorKind(err: unknown): string | undefined {
  if (!(err instanceof Error) || (err.name !== 'ReplyError' && err.name !== 'ErrorReply')) {
    return undefined;
  }
  const space = err.message.indexOf(' ');
  const prefix = space === -1 ? err.message : err.message.slice(0, space);
  return STORE_WIDE_REPLIES.has(prefix) ? undefined : prefix.slice(0, 32);
}

function isNoScript(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('NOSCRIPT');
}

const TIMED_OUT = Symbol('timed out');

/** Shortest time between two `redis_store_data_error` records, ms. */
const DATA_ERROR_LOG_INTERVAL_MS = 1000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(TIMED_OUT), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/** Settings of {@link RedisCommands}. @internal */
export interface RedisCommandSettings {
  readonly commandTimeoutMs: number;
  readonly retryIntervalMs: number;
  readonly logger: Logger;
}

/**
 * Runs commands with a deadline and tracks Redis health. While Redis is down, commands fail at
 * once for `retryIntervalMs` after the last failure (so a dead Redis costs no latency per
 * request); the next command after that probes it.
 *
 * @internal
 */
export class RedisCommands {
  readonly client: RedisClient;
  readonly #settings: RedisCommandSettings;
  #down = false;
  #downSince = 0;
  #lastFailure = 0;
  #lastDataErrorLog = Number.NEGATIVE_INFINITY;
  #suppressedDataErrors = 0;
  readonly #onError = (err: Error) => this.#fail('connection', err);

  constructor(client: RedisClient, settings: RedisCommandSettings) {
    this.client = client;
    this.#settings = settings;
    client.on?.('error', this.#onError);
  }

  /** Whether the last command (or the connection) failed. */
  get down(): boolean {
    return this.#down;
  }

  /** Detaches the error listener. */
  detach(): void {
    this.client.off?.('error', this.#onError);
  }

  /**
   * Runs `fn` against the client within the deadline.
   *
   * @throws `AuthflowError` `ERR_STORE_UNAVAILABLE` on error, timeout or while failing fast.
   *   A reply error about one key's data ({@link dataErrorKind}) fails this operation only: the
   *   store is not marked down.
   */
  async run<T>(op: string, fn: (client: RedisClient) => Promise<T>): Promise<T> {
    const { commandTimeoutMs, retryIntervalMs } = this.#settings;
    if (this.#down && performance.now() - this.#lastFailure < retryIntervalMs) {
      throw new AuthflowError('ERR_STORE_UNAVAILABLE', 'Redis store unavailable');
    }
    let result: T | typeof TIMED_OUT;
    try {
      result = await withTimeout(fn(this.client), commandTimeoutMs);
    } catch (err) {
      const kind = dataErrorKind(err);
      if (kind === undefined) this.#fail(op, err);
      else this.#dataError(op, kind);
      throw new AuthflowError('ERR_STORE_UNAVAILABLE', `Redis ${op} failed`, { cause: err });
    }
    if (result === TIMED_OUT) {
      this.#fail(op, new AuthflowError('ERR_HTTP_TIMEOUT', 'timed out'));
      throw new AuthflowError(
        'ERR_STORE_UNAVAILABLE',
        `Redis ${op} timed out after ${commandTimeoutMs} ms`,
      );
    }
    this.#recovered();
    return result;
  }

  /** Runs a Lua script by SHA, sending its source when Redis does not know it (`NOSCRIPT`). */
  evalScript(script: LuaScript, keys: readonly string[], args: readonly string[]) {
    return this.run('script', async (c) => {
      try {
        return await c.evalsha(script.sha, keys.length, ...keys, ...args);
      } catch (err) {
        if (!isNoScript(err)) throw err;
        return c.eval(script.source, keys.length, ...keys, ...args);
      }
    });
  }

  #fail(op: string, err: unknown): void {
    const now = performance.now();
    this.#lastFailure = now;
    if (this.#down) return;
    this.#down = true;
    this.#downSince = now;
    this.#settings.logger.warn({
      event: 'redis_store_unavailable',
      op,
      error: err instanceof Error ? err.name : typeof err,
      code: errorCode(err),
    });
  }

  /** Logs `redis_store_data_error` (warn) at most once per second, with the suppressed count. */
  #dataError(op: string, kind: string): void {
    const now = performance.now();
    if (now - this.#lastDataErrorLog < DATA_ERROR_LOG_INTERVAL_MS) {
      this.#suppressedDataErrors++;
      return;
    }
    this.#lastDataErrorLog = now;
    const suppressed = this.#suppressedDataErrors;
    this.#suppressedDataErrors = 0;
    this.#settings.logger.warn({ event: 'redis_store_data_error', op, kind, suppressed });
  }

  #recovered(): void {
    if (!this.#down) return;
    this.#down = false;
    this.#settings.logger.info({
      event: 'redis_store_recovered',
      down_ms: Math.round(performance.now() - this.#downSince),
    });
  }
}
