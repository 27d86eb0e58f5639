import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FrictionRegistry, type OnStoreError } from '../../src/friction/registry.js';
import { RedisStore } from '../../src/store/redis.js';
import { captureLogger } from '../friction/_logger.js';
import { describeRedis, redisClient } from '../helpers/redis-env.js';
import {
  type DedicatedRedis,
  hasRedisServer,
  startDedicatedRedis,
} from '../helpers/redis-server.js';

const TOOLS = { toolConfigs: { delete_task: {} } };

describeRedis('Redis outage: a dedicated redis-server stopped mid-run', () => {
  let server: DedicatedRedis | undefined;
  let client: Redis;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);

  beforeAll(async () => {
    if (!hasRedisServer() && process.env.CI !== 'true') {
      console.warn('\n⚠️  redis-server is not on PATH: the outage test is SKIPPED\n');
      return;
    }
    server = await startDedicatedRedis();
    client = redisClient(server.url, { retryStrategy: () => 50 });
    process.on('unhandledRejection', onUnhandled);
  });

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    client?.disconnect();
    await server?.stop();
  });

  function replica(onStoreError: OnStoreError) {
    const storeLog = captureLogger();
    const registryLog = captureLogger();
    const store = new RedisStore({
      client,
      keyPrefix: `outage:${onStoreError}:`,
      commandTimeoutMs: 200,
      retryIntervalMs: 100,
      logger: storeLog,
    });
    const registry = new FrictionRegistry({ ...TOOLS, store, onStoreError, logger: registryLog });
    return { registry, storeLog, registryLog };
  }

  const storeEvents = (log: ReturnType<typeof captureLogger>) =>
    log.records.map((r) => r.event).filter((e) => e !== undefined);

  it('fails closed or open as configured, never crashes, and recovers after a restart', async (ctx) => {
    if (server === undefined) return ctx.skip();
    const closed = replica('fail-closed');
    const open = replica('fail-open');
    expect((await closed.registry.checkAndRecord('c', 'delete_task')).allowed).toBe(true);
    expect((await open.registry.checkAndRecord('c', 'delete_task')).allowed).toBe(true);

    await server.stop();
    for (let i = 0; i < 5; i++) {
      const c = await closed.registry.checkAndRecord('c', 'delete_task');
      expect(c).toMatchObject({ allowed: false, frictionLevel: 'BLOCKED' });
      expect(c.message).toBe('Friction store unavailable');
      const o = await open.registry.checkAndRecord('c', 'delete_task');
      expect(o).toMatchObject({ allowed: true, message: expect.stringContaining('fail-open') });
      await closed.registry.recordUnconfigured('c', 'get_tasks');
      await expect(closed.registry.getClientStatus('c')).rejects.toMatchObject({
        code: 'ERR_STORE_UNAVAILABLE',
      });
    }
    expect(storeEvents(closed.storeLog)).toEqual(['redis_store_unavailable']);
    expect(storeEvents(open.storeLog)).toEqual(['redis_store_unavailable']);
    // One error line per outage: the registry's; the store's own record is a warning.
    const errors = () =>
      [...closed.registryLog.records, ...closed.storeLog.records].filter(
        (r) => r.level === 'error',
      );
    expect(errors()).toEqual([
      expect.objectContaining({
        event_type: 'friction_store_error',
        on_store_error: 'fail-closed',
      }),
    ]);
    expect(open.registryLog.records.filter((r) => r.level === 'error')).toHaveLength(1);
    expect(closed.storeLog.records[0]).toMatchObject({ level: 'warn' });

    await server.start();
    let recovered = false;
    for (let i = 0; i < 100 && !recovered; i++) {
      const r = await closed.registry.checkAndRecord('c', 'delete_task');
      recovered = r.allowed;
      if (!recovered) await new Promise((res) => setTimeout(res, 50));
    }
    expect(recovered).toBe(true);
    expect(storeEvents(closed.storeLog)).toEqual([
      'redis_store_unavailable',
      'redis_store_recovered',
    ]);
    expect(errors()).toHaveLength(1);
    const recoveries = closed.registryLog.records.filter(
      (r) => r.event_type === 'friction_store_recovered',
    );
    expect(recoveries).toEqual([expect.objectContaining({ level: 'warn' })]);
    // 5 × (check + record) while down, plus the refused probes while Redis restarted.
    expect(recoveries[0]!.failed_decisions).toBeGreaterThanOrEqual(10);
    expect(unhandled).toEqual([]);
  }, 30_000);
});
