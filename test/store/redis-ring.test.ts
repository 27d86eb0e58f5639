import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveFrictionConfig } from '../../src/friction/config.js';
import { FrictionRegistry } from '../../src/friction/registry.js';
import { silentLogger } from '../../src/lib/logger.js';
import { RedisStore } from '../../src/store/redis.js';
import { ringWidth } from '../../src/store/redis-lua-lib.js';
import { deleteKeys, describeRedis, redisClient, uniquePrefix } from '../helpers/redis-env.js';
import { decodeStored } from './_state-layout.js';

const KINDS = ['proportional', 'adaptive'] as const;

describeRedis('Redis state layout: the window ring as a byte string', () => {
  const prefix = uniquePrefix('ring');
  let client: Redis;
  beforeAll(() => {
    client = redisClient();
  });
  afterAll(async () => {
    await deleteKeys(client, prefix);
    client.disconnect();
  });

  it('uses one byte per slot while slot values fit, two beyond', () => {
    const cfg = (windowSize: number) =>
      resolveFrictionConfig({ windowSize, toolConfigs: { a: {}, b: {} } });
    expect(ringWidth(cfg(252))).toBe(1);
    expect(ringWidth(cfg(253))).toBe(2);
  });

  // Slot values above 255 (many distinct unconfigured tools in a 400-call window) take the
  // two-byte ring; decisions and the status stay those of the memory store.
  it.each(KINDS)("'%s': a two-byte ring decides exactly as the memory store", async (kind) => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let t = 1_700_000_000_000;
    const options = {
      defaultConfig: { controller: kind, windowSize: 400 },
      toolConfigs: { a: { targetRate: 0.1 }, b: { targetRate: 0.3 } },
      toolGroups: { g: { tools: ['a', 'b'], aggregateTarget: 0.3 } },
      now: () => t,
      logger: silentLogger,
    };
    const store = new RedisStore({ client, keyPrefix: `${prefix}${kind}:` });
    const onRedis = new FrictionRegistry({ ...options, store });
    const inMemory = new FrictionRegistry(options);
    expect(ringWidth(onRedis.config)).toBe(2);
    for (let i = 0; i < 900; i++) {
      t += Math.floor(rand() * 400);
      const x = rand();
      if (x < 0.15) {
        const tool = x < 0.05 ? 'a' : 'b';
        expect(await onRedis.checkAndRecord('c', tool)).toEqual(
          await inMemory.checkAndRecord('c', tool),
        );
      } else {
        const tool = `free-${i % 450}`;
        expect(await onRedis.recordUnconfigured('c', tool)).toEqual(
          await inMemory.recordUnconfigured('c', tool),
        );
      }
    }
    const [key] = await client.keys(`${prefix}${kind}:friction:*`);
    expect(decodeStored((await client.getBuffer(key!))!).others.length).toBeGreaterThan(300);
    t += 30_000;
    expect(await onRedis.getClientStatus('c')).toEqual(await inMemory.getClientStatus('c'));
    await inMemory.close();
    await onRedis.close();
    await store.close();
  });
});
