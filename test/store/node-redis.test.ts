/**
 * node-redis (`redis` 6) behind `RedisStore`: the store contract suite on real Redis (RESP2 and
 * RESP3), one `EVALSHA` per friction decision, decisions identical to an ioredis-backed store,
 * and the shared introspection cache over it.
 */
import type { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFrictionConfig } from '../../src/friction/config.js';
import { silentLogger } from '../../src/lib/logger.js';
import { RedisStore } from '../../src/store/redis.js';
import type { NodeRedisClient } from '../../src/store/redis-client.js';
import { createSharedIntrospectionCache } from '../../src/verify/redis-cache.js';
import {
  deleteKeys,
  describeRedis,
  REDIS_URL,
  redisClient,
  uniquePrefix,
} from '../helpers/redis-env.js';
import { runStoreContract } from './contract.js';

type NodeRedis = ReturnType<typeof createClient>;

describeRedis('RedisStore on node-redis', () => {
  const prefix = uniquePrefix('node-redis');
  let resp2: NodeRedis;
  let resp3: NodeRedis;
  let ioredis: Redis;
  let n = 0;
  beforeAll(async () => {
    resp2 = createClient({ url: REDIS_URL });
    resp3 = createClient({ url: REDIS_URL, RESP: 3 });
    await Promise.all([resp2.connect(), resp3.connect()]);
    ioredis = redisClient();
  });
  afterAll(async () => {
    await deleteKeys(ioredis, prefix);
    ioredis.disconnect();
    await Promise.all([resp2.close(), resp3.close()]);
  });
  const store = (client: NodeRedisClient | Redis) =>
    new RedisStore({ client, keyPrefix: `${prefix}${n++}:`, logger: silentLogger });

  const harness = (resp: () => NodeRedis) => ({
    create: () => store(resp()),
    injectedClock: false,
    evictsClients: false,
  });
  runStoreContract(
    'RedisStore (node-redis, RESP2)',
    harness(() => resp2),
    'proportional',
  );
  runStoreContract(
    'RedisStore (node-redis, RESP2)',
    harness(() => resp2),
    'adaptive',
  );
  runStoreContract(
    'RedisStore (node-redis, RESP3)',
    harness(() => resp3),
    'adaptive',
  );

  describe('against ioredis', () => {
    it.each(['proportional', 'adaptive'] as const)(
      'gives bit-identical %s decisions, one EVALSHA each',
      async (controller) => {
        const spec = {
          config: resolveFrictionConfig({
            controller,
            warmupCalls: 0,
            toolConfigs: { delete_task: { targetRate: 0.05 } },
          }),
          maxClients: 100,
          penaltyTtlMs: 60_000,
          penaltyMinFriction: 0.1,
        };
        const calls: string[] = [];
        const counted = new Proxy(resp2, {
          get(target, name, receiver) {
            const value = Reflect.get(target, name, receiver) as unknown;
            if (typeof value !== 'function') return value;
            return (...args: unknown[]) => {
              calls.push(String(name));
              return (value as (...a: unknown[]) => unknown).apply(target, args);
            };
          },
        });
        const viaNodeRedis = store(counted).friction(spec);
        const viaIoredis = store(ioredis).friction(spec);
        for (let i = 0; i < 60; i++) {
          const now = 1_000_000 + i * 300;
          const tool = i % 4 === 3 ? 'get_tasks' : 'delete_task';
          const mode = i % 4 === 3 ? 'record' : 'check-and-record';
          calls.length = 0;
          const a = await viaNodeRedis.step('client', tool, now, mode);
          // The first step may load the script (NOSCRIPT, then EVAL); then one EVALSHA each.
          if (i > 0) expect(calls).toEqual(['evalSha']);
          const b = await viaIoredis.step('client', tool, now, mode);
          expect(a).toEqual(b);
        }
        expect(await viaNodeRedis.status('client', 1_100_000)).toEqual(
          await viaIoredis.status('client', 1_100_000),
        );
      },
    );
  });

  it('backs the shared introspection cache', async () => {
    const cache = createSharedIntrospectionCache({ store: store(resp2), localTtlMs: 0 });
    const entry = { claims: { active: true, client_id: 'c', scope: 'a b' }, cachedUntilMs: 9e12 };
    expect(await cache.get('k')).toBeUndefined();
    await cache.set('k', entry, 60_000);
    expect(await cache.get('k')).toEqual(entry);
    await cache.delete('k');
    expect(await cache.get('k')).toBeUndefined();
  });

  it('fails with ERR_STORE_UNAVAILABLE on a closed client', async () => {
    const closed = createClient({ url: REDIS_URL });
    const s = store(closed);
    await expect(s.get('k')).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    expect(s.unavailable).toBe(true);
    await s.close();
  });
});
