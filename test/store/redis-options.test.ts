import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { resolveFrictionConfig } from '../../src/friction/config.js';
import { silentLogger } from '../../src/lib/logger.js';
import { RedisStore } from '../../src/store/redis.js';
import type { RedisClient } from '../../src/store/redis-commands.js';
import { captureLogger } from '../friction/_logger.js';

/** A deliberately faulty client: each command runs `behaviour`. */
class FaultyClient extends EventEmitter implements RedisClient {
  calls: string[] = [];
  constructor(readonly behaviour: (cmd: string) => Promise<unknown>) {
    super();
  }
  evalsha(): Promise<unknown> {
    this.calls.push('evalsha');
    return this.behaviour('evalsha');
  }
  eval(): Promise<unknown> {
    this.calls.push('eval');
    return this.behaviour('eval');
  }
  get(): Promise<string | null> {
    this.calls.push('get');
    return this.behaviour('get') as Promise<string | null>;
  }
  set(): Promise<unknown> {
    this.calls.push('set');
    return this.behaviour('set');
  }
  del(): Promise<number> {
    this.calls.push('del');
    return this.behaviour('del') as Promise<number>;
  }
}

const never = () => new Promise<never>(() => {});
const spec = {
  config: resolveFrictionConfig({ controller: 'proportional', toolConfigs: { x: {} } }),
  maxClients: 10,
  penaltyTtlMs: 1000,
  penaltyMinFriction: 0.1,
};

describe('RedisStore options', () => {
  const client = new FaultyClient(() => Promise.resolve(null));
  it.each([
    [{}, 'ERR_INVALID_ARG_TYPE', 'client'],
    [{ client: { get() {} } }, 'ERR_INVALID_ARG_TYPE', 'client'],
    [{ client, keyPrefix: 1 }, 'ERR_INVALID_ARG_TYPE', 'keyPrefix'],
    [{ client, commandTimeoutMs: 0 }, 'ERR_INVALID_ARG_VALUE', 'commandTimeoutMs'],
    [{ client, commandTimeoutMs: '5' }, 'ERR_INVALID_ARG_TYPE', 'commandTimeoutMs'],
    [{ client, retryIntervalMs: -1 }, 'ERR_INVALID_ARG_VALUE', 'retryIntervalMs'],
    [{ client, clientTtlMs: 1.5 }, 'ERR_INVALID_ARG_VALUE', 'clientTtlMs'],
    [{ client, logger: {} }, 'ERR_INVALID_ARG_TYPE', 'logger'],
  ])('rejects %o', (options, code, name) => {
    expect(() => new RedisStore(options as never)).toThrow(name);
    expect(() => new RedisStore(options as never)).toThrow(expect.objectContaining({ code }));
  });

  it('defaults the key prefix and binds both controllers under distinct keys', () => {
    const store = new RedisStore({ client });
    expect(store.keyPrefix).toBe('mcp-authflow:');
    expect(store.shared).toBe(true);
    const adaptive = (burstCalls?: number) => ({
      ...spec,
      config: resolveFrictionConfig({
        controller: 'adaptive',
        adaptive: { burstCalls },
        toolConfigs: { x: {} },
      }),
    });
    const keys = [spec, adaptive(), adaptive(5)].map((s) => store.friction(s).keyOf('c'));
    expect(new Set(keys).size).toBe(3);
    expect(keys.every((k) => k.startsWith('mcp-authflow:friction:') && k.endsWith(':c'))).toBe(
      true,
    );
  });

  it('turns a malformed adaptive reply into ERR_STORE_UNAVAILABLE, a bad state into ERR_FRICTION_STATE_INVALID', async () => {
    const replies: unknown[] = [[1, 1, 'c'], '{"v":1}'];
    const c = new FaultyClient(() => Promise.resolve(replies.shift()));
    const store = new RedisStore({ client: c, logger: silentLogger });
    const config = resolveFrictionConfig({ controller: 'adaptive', toolConfigs: { x: {} } });
    const f = store.friction({ ...spec, config });
    const unavailable = { code: 'ERR_STORE_UNAVAILABLE' };
    await expect(f.step('a', 'x', 0, 'check-and-record')).rejects.toMatchObject(unavailable);
    await expect(f.status('a', 0)).rejects.toMatchObject({ code: 'ERR_FRICTION_STATE_INVALID' });
    expect(c.calls).toEqual(['evalsha', 'evalsha']);
  });

  it('refuses a non-positive TTL without a round trip', async () => {
    const c = new FaultyClient(() => Promise.resolve('OK'));
    const store = new RedisStore({ client: c, logger: silentLogger });
    await expect(store.set('k', 'v', 0)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    expect(c.calls).toEqual([]);
  });
});

describe('RedisStore failures', () => {
  it('bounds a hung command by commandTimeoutMs', async () => {
    const c = new FaultyClient(never);
    const store = new RedisStore({ client: c, commandTimeoutMs: 20, logger: silentLogger });
    const started = performance.now();
    await expect(store.get('k')).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    await expect(store.friction(spec).step('a', 'x', 0, 'check-and-record')).rejects.toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
    });
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('logs once per outage, fails fast while down, and logs the recovery', async () => {
    let healthy = false;
    const c = new FaultyClient(() =>
      healthy ? Promise.resolve('v') : Promise.reject(new Error('ECONNREFUSED')),
    );
    const logger = captureLogger();
    const store = new RedisStore({ client: c, logger, retryIntervalMs: 60_000 });
    for (let i = 0; i < 5; i++) {
      await expect(store.get('k')).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    }
    expect(c.calls).toHaveLength(1);
    expect(store.unavailable).toBe(true);
    c.emit('error', new Error('reconnect failed'));
    expect(logger.records.map((r) => r.event)).toEqual(['redis_store_unavailable']);
    expect(logger.records[0]).toMatchObject({ level: 'warn', op: 'get', error: 'Error' });

    const probing = new RedisStore({ client: c, logger, retryIntervalMs: 0 });
    healthy = true;
    expect(await probing.get('k')).toBe('v');
    healthy = false;
    await expect(probing.get('k')).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    await expect(probing.get('k')).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    healthy = true;
    expect(await probing.get('k')).toBe('v');
    const events = logger.records.map((r) => `${r.level}:${String(r.event)}`);
    expect(events.slice(1)).toEqual(['warn:redis_store_unavailable', 'info:redis_store_recovered']);
  });

  it('listens for client errors until closed', async () => {
    const c = new FaultyClient(() => Promise.resolve(null));
    const logger = captureLogger();
    const store = new RedisStore({ client: c, logger });
    expect(c.listenerCount('error')).toBe(1);
    c.emit('error', new Error('boom'));
    c.emit('error', new Error('boom'));
    expect(logger.records).toHaveLength(1);
    await store.close();
    await store.close();
    expect(c.listenerCount('error')).toBe(0);
  });

  it('falls back from EVALSHA to EVAL on NOSCRIPT only', async () => {
    const c = new FaultyClient((cmd) =>
      cmd === 'evalsha'
        ? Promise.reject(new Error('NOSCRIPT No matching script'))
        : Promise.resolve([1, 1, '0', 'c', '0', '0', '0.05', '0', '0']),
    );
    const store = new RedisStore({ client: c, logger: silentLogger });
    const out = await store.friction(spec).step('a', 'x', 0, 'check-and-record');
    expect(c.calls).toEqual(['evalsha', 'eval']);
    expect(out.result).toMatchObject({ allowed: true, friction: 0, effectiveTarget: 0.05 });
    expect(out.events).toEqual([{ type: 'created', clientKey: 'a', totalClients: 1 }]);

    const broken = new FaultyClient(() => Promise.reject(new Error('ERR syntax')));
    const s2 = new RedisStore({ client: broken, logger: silentLogger });
    await expect(s2.friction(spec).step('a', 'x', 0, 'record')).rejects.toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
    });
    expect(broken.calls).toEqual(['evalsha']);
  });

  it('refuses malformed script replies and states', async () => {
    const replies: unknown[] = [
      'nope',
      [0, 1, '0', 'c', '0', '0', '0', '0', '0', 9, '1', '1'],
      '{',
    ];
    const c = new FaultyClient(() => Promise.resolve(replies.shift()));
    const store = new RedisStore({ client: c, logger: silentLogger });
    const f = store.friction(spec);
    await expect(f.step('a', 'x', 0, 'record')).rejects.toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
    });
    await expect(f.step('a', 'x', 0, 'record')).rejects.toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
    });
    await expect(f.status('a', 0)).rejects.toMatchObject({ code: 'ERR_FRICTION_STATE_INVALID' });
  });
});
