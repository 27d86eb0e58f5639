import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FrictionRegistry, type OnStoreError } from '../../src/friction/registry.js';
import { RedisStore } from '../../src/store/redis.js';
import { captureLogger } from '../friction/_logger.js';
import { deleteKeys, describeRedis, redisClient, uniquePrefix } from '../helpers/redis-env.js';

// Issue 20, class 3: a script error on ONE client's key (wrong type, corrupt state) must not
// mark the whole RedisStore down. Before the fix an unrelated client failed 25 of 50 decisions,
// and under fail-open a blocked client got calls through while the store was "down".

const TOOL = 'delete_task';
const CONFIG = {
  toolConfigs: { [TOOL]: { targetRate: 0.05, hardBlockThreshold: 0.1 } },
  defaultConfig: { warmupCalls: 0, timeDecayRate: 0 },
};

describeRedis('issue 20 (3): one bad key does not trip the whole store', () => {
  let client: Redis;
  const prefix = uniquePrefix('issue20-key');
  beforeAll(() => {
    client = redisClient();
  });
  afterAll(async () => {
    await deleteKeys(client, prefix);
    client.disconnect();
  });

  function replica(onStoreError: OnStoreError, label: string) {
    const storeLog = captureLogger();
    const store = new RedisStore({
      client,
      keyPrefix: `${prefix}${label}:`,
      retryIntervalMs: 60_000,
      logger: storeLog,
    });
    const registry = new FrictionRegistry({
      ...CONFIG,
      store,
      onStoreError,
      logger: captureLogger(),
    });
    return { store, registry, storeLog };
  }

  /** Makes the corrupt client's state exist, then finds its key (and empties it). */
  async function keyOf(registry: FrictionRegistry, keyPrefix: string): Promise<string> {
    await registry.checkAndRecord('corrupt-client', TOOL);
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await client.scan(
        cursor,
        'MATCH',
        `${keyPrefix}*corrupt-client*`,
        'COUNT',
        1000,
      );
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    expect(keys).toHaveLength(1);
    await client.del(keys[0]!);
    return keys[0]!;
  }

  /** Interleaves 50 decisions of `other` with 50 of the corrupt client; counts outcomes. */
  async function interleave(registry: FrictionRegistry, other: string) {
    let otherFailed = 0;
    let otherAllowed = 0;
    let corruptFailed = 0;
    for (let i = 0; i < 50; i++) {
      const bad = await registry.checkAndRecord('corrupt-client', TOOL);
      if (!bad.allowed) corruptFailed += 1;
      const r = await registry.checkAndRecord(other, TOOL);
      if (r.message.startsWith('Friction store')) otherFailed += 1;
      if (r.allowed) otherAllowed += 1;
    }
    return { otherFailed, otherAllowed, corruptFailed };
  }

  it.each([
    ['wrong type', (key: string) => client.rpush(key, 'x')],
    ['corrupt state', (key: string) => client.set(key, '\xc1garbage', 'PX', 60_000)],
  ])('%s: an unrelated client decides normally (fail-closed)', async (_kind, corrupt) => {
    const { store, registry, storeLog } = replica('fail-closed', `closed-${_kind.length}`);
    await corrupt(await keyOf(registry, `${prefix}closed-${_kind.length}:`));
    const { otherFailed, corruptFailed } = await interleave(registry, 'unrelated');
    expect(corruptFailed).toBe(50);
    expect(otherFailed).toBe(0);
    expect(store.unavailable).toBe(false);
    expect(storeLog.records.some((r) => r.event === 'redis_store_unavailable')).toBe(false);
  });

  it('fail-open: a legitimately blocked client stays blocked beside a corrupt key', async () => {
    const { registry } = replica('fail-open', 'open');
    for (let i = 0; i < 20; i++) await registry.checkAndRecord('spammer', TOOL);
    expect((await registry.checkAndRecord('spammer', TOOL)).allowed).toBe(false);
    await client.rpush(await keyOf(registry, `${prefix}open:`), 'x');
    const { otherFailed, otherAllowed } = await interleave(registry, 'spammer');
    expect(otherFailed).toBe(0);
    expect(otherAllowed).toBe(0);
  });
});
