/**
 * Real Redis for the Redis suites: `REDIS_URL` (default `redis://127.0.0.1:6379`), a unique key
 * prefix per run, cleanup, and the gate that skips loudly when Redis is unreachable — or fails
 * under `CI=true` (DESIGN §4).
 *
 * @module
 */

import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import { describe, it } from 'vitest';

/** The Redis the suites use. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether something accepts TCP connections at `REDIS_URL` (1 s limit). */
export function redisReachable(url = REDIS_URL): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname || '127.0.0.1', port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Checked once per test file (top-level await). */
export const REDIS_AVAILABLE = await redisReachable();

/**
 * Registers `fn` as a suite when Redis is reachable. Otherwise: under `CI=true` a failing test,
 * else a loud warning and a skipped suite.
 */
export function describeRedis(name: string, fn: () => void): void {
  if (REDIS_AVAILABLE) {
    fn();
    return;
  }
  const message = `Redis is not reachable at ${REDIS_URL}: the "${name}" suite needs it`;
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs a reachable Redis under CI', () => {
        throw new Error(message);
      });
    });
    return;
  }
  console.warn(`\n⚠️  ${message}; SKIPPED (set REDIS_URL or start redis-server)\n`);
  describe.skip(name, fn);
}

/** A key prefix unique to this run and call. */
export function uniquePrefix(label: string): string {
  return `mcp-authflow-test:${label}:${process.pid}:${randomBytes(4).toString('hex')}:`;
}

/** A client for `REDIS_URL` (or another URL). */
export function redisClient(url = REDIS_URL, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, ...options });
}

/** Deletes every key under `prefix` (bounded SCAN loop). */
export async function deleteKeys(client: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  for (let i = 0; i < 10_000; i++) {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) deleted += await client.del(...keys);
    cursor = next;
    if (cursor === '0') break;
  }
  return deleted;
}
