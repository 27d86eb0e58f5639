import type { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { silentLogger } from '../../src/lib/logger.js';
import { RedisStore } from '../../src/store/redis.js';
import { deleteKeys, describeRedis, redisClient, uniquePrefix } from '../helpers/redis-env.js';
import { runStoreContract } from './contract.js';

describeRedis('RedisStore contract', () => {
  const prefix = uniquePrefix('contract');
  let client: Redis;
  let n = 0;
  beforeAll(() => {
    client = redisClient();
  });
  afterAll(async () => {
    await deleteKeys(client, prefix);
    client.disconnect();
  });
  const harness = {
    create: () => new RedisStore({ client, keyPrefix: `${prefix}${n++}:`, logger: silentLogger }),
    injectedClock: false,
    evictsClients: false,
  };
  runStoreContract('RedisStore', harness, 'proportional');
  runStoreContract('RedisStore', harness, 'adaptive');
});
