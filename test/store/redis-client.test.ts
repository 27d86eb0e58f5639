import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { resolveFrictionConfig } from '../../src/friction/config.js';
import { silentLogger } from '../../src/lib/logger.js';
import { RedisStore } from '../../src/store/redis.js';
import {
  fromNodeRedis,
  type NodeRedisClient,
  type NodeRedisEvalOptions,
  toRedisClient,
} from '../../src/store/redis-client.js';

/** A node-redis look-alike recording each command with its arguments. */
class FakeNodeRedis extends EventEmitter implements NodeRedisClient {
  calls: unknown[][] = [];
  noScript = false;
  value: unknown = null;
  evalSha(sha: string, options: NodeRedisEvalOptions): Promise<unknown> {
    this.calls.push(['evalSha', sha, options]);
    if (this.noScript) return Promise.reject(new Error('NOSCRIPT No matching script.'));
    return Promise.resolve([1]);
  }
  eval(script: string, options: NodeRedisEvalOptions): Promise<unknown> {
    this.calls.push(['eval', script.length > 0, options]);
    return Promise.resolve([2]);
  }
  get(key: string): Promise<unknown> {
    this.calls.push(['get', key]);
    return Promise.resolve(this.value);
  }
  set(key: string, value: string, options: unknown): Promise<unknown> {
    this.calls.push(['set', key, value, options]);
    return Promise.resolve('OK');
  }
  del(key: string): Promise<number> {
    this.calls.push(['del', key]);
    return Promise.resolve(1);
  }
}

describe('toRedisClient', () => {
  it.each([undefined, null, 'redis://x', {}, { get() {}, set() {} }, { evalSha() {} }])(
    'rejects %o naming the accepted clients',
    (client) => {
      const make = () => new RedisStore({ client: client as never });
      expect(make).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
      expect(make).toThrow(/"client".*ioredis 5 or 6.*node-redis 5 or 6/);
    },
  );

  it('keeps an ioredis-shaped client as is', () => {
    const client = { evalsha() {}, eval() {}, get() {}, set() {}, del() {}, evalSha() {} };
    expect(toRedisClient(client)).toBe(client);
  });

  it('adapts a node-redis client to one command per call', async () => {
    const fake = new FakeNodeRedis();
    const client = toRedisClient(fake);
    expect(client).not.toBe(fake);
    expect(await client.evalsha('sha', 1, 'k1', 'a1', 'a2')).toEqual([1]);
    expect(await client.eval('return 1', 2, 'k1', 'k2')).toEqual([2]);
    expect(await client.set('k', 'v', 'PX', 250)).toBe('OK');
    expect(await client.del('k')).toBe(1);
    expect(fake.calls).toEqual([
      ['evalSha', 'sha', { keys: ['k1'], arguments: ['a1', 'a2'] }],
      ['eval', true, { keys: ['k1', 'k2'], arguments: [] }],
      ['set', 'k', 'v', { expiration: { type: 'PX', value: 250 } }],
      ['del', 'k'],
    ]);
  });

  it('reads null, undefined and Buffer replies as the store expects', async () => {
    const fake = new FakeNodeRedis();
    const client = fromNodeRedis(fake);
    expect(await client.get('k')).toBeNull();
    fake.value = undefined;
    expect(await client.get('k')).toBeNull();
    fake.value = Buffer.from('vé');
    expect(await client.get('k')).toBe('vé');
  });

  it('passes error listeners through, and works without on/off', () => {
    const fake = new FakeNodeRedis();
    const client = fromNodeRedis(fake);
    const listener = () => {};
    client.on?.('error', listener);
    expect(fake.listenerCount('error')).toBe(1);
    client.off?.('error', listener);
    expect(fake.listenerCount('error')).toBe(0);
    const bare = fromNodeRedis({
      evalSha: fake.evalSha.bind(fake),
      eval: fake.eval.bind(fake),
      get: fake.get.bind(fake),
      set: fake.set.bind(fake),
      del: fake.del.bind(fake),
    });
    expect(() => bare.on?.('error', listener)).not.toThrow();
    expect(() => bare.off?.('error', listener)).not.toThrow();
  });

  it('falls back from EVALSHA to EVAL on NOSCRIPT through the store', async () => {
    const fake = new FakeNodeRedis();
    fake.noScript = true;
    const store = new RedisStore({ client: fake, logger: silentLogger });
    expect(fake.listenerCount('error')).toBe(1);
    const friction = store.friction({
      config: resolveFrictionConfig({ toolConfigs: { x: {} } }),
      maxClients: 10,
      penaltyTtlMs: 1000,
      penaltyMinFriction: 0.1,
    });
    await friction.status('c', 1).catch(() => undefined);
    expect(fake.calls.map((c) => c[0])).toEqual(['evalSha', 'eval']);
    expect(fake.calls[0]?.[2]).toEqual(fake.calls[1]?.[2]);
    await store.close();
    expect(fake.listenerCount('error')).toBe(0);
  });
});
