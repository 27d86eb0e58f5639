import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FrictionRegistry } from '../../src/friction/registry.js';
import { silentLogger } from '../../src/lib/logger.js';
import { RedisStore } from '../../src/store/redis.js';
import { deleteKeys, describeRedis, redisClient, uniquePrefix } from '../helpers/redis-env.js';
import { decodeStored, encodeStored } from './_state-layout.js';

const KINDS = ['proportional', 'adaptive'] as const;

describeRedis('Redis state layout 3: many tools', () => {
  const prefix = uniquePrefix('layout');
  let client: Redis;
  beforeAll(() => {
    client = redisClient();
  });
  afterAll(async () => {
    await deleteKeys(client, prefix);
    client.disconnect();
  });

  // 70 tools: more than 400 numbers per state, checked for finiteness by a loop instead of one
  // sum expression; 700: more than 4 000, packed and unpacked in two chunks (redis-lua-layout.ts).
  const CASES = KINDS.flatMap((kind) => [70, 700].map((tools) => [kind, tools] as const));
  it.each(CASES)("'%s': %i tools decide exactly as the memory store", async (kind, tools) => {
    const names = Array.from({ length: tools }, (_, i) => `t${i}`);
    let t = 1_700_000_000_000;
    const options = {
      defaultConfig: { controller: kind, windowSize: 50 },
      toolConfigs: Object.fromEntries(names.map((n, i) => [n, { targetRate: 0.01 + i / 100_000 }])),
      toolGroups: { g: { tools: names.slice(0, 30), aggregateTarget: 0.2 } },
      now: () => t,
      logger: silentLogger,
    };
    const store = new RedisStore({ client, keyPrefix: `${prefix}${kind}${tools}:` });
    const onRedis = new FrictionRegistry({ ...options, store });
    const inMemory = new FrictionRegistry(options);
    for (let i = 0; i < 300; i++) {
      t += 50 + (i % 7) * 40;
      const tool = names[(i * 7) % 13]!;
      expect(await onRedis.checkAndRecord('c', tool)).toEqual(
        await inMemory.checkAndRecord('c', tool),
      );
      if (i % 3 === 0) {
        expect(await onRedis.recordUnconfigured('c', 'free')).toEqual(
          await inMemory.recordUnconfigured('c', 'free'),
        );
      }
    }
    expect(await onRedis.getClientStatus('c')).toEqual(await inMemory.getClientStatus('c'));
    const [key] = await client.keys(`${prefix}${kind}${tools}:friction:*`);
    const state = decodeStored((await client.getBuffer(key!))!);
    expect(state.arrays.friction).toHaveLength(tools);
    expect(encodeStored(state).equals((await client.getBuffer(key!))!)).toBe(true);
    // The last number of the state (in the second chunk beyond 4 000 numbers).
    (state.arrays.groupCredit ?? state.arrays.groupEma)![0] = Number.NaN;
    await client.set(key!, encodeStored(state), 'PX', 60_000);
    expect(await onRedis.checkAndRecord('c', 't1')).toMatchObject({
      allowed: false,
      message: 'Friction state invalid; refused',
    });
    await inMemory.close();
    await onRedis.close();
    await store.close();
  });
});
