import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveFrictionConfig } from '../../src/friction/config.js';
import { FrictionRegistry, type FrictionRegistryOptions } from '../../src/friction/registry.js';
import { silentLogger } from '../../src/lib/logger.js';
import { RedisStore } from '../../src/store/redis.js';
import { configFingerprint } from '../../src/store/redis-friction.js';
import { captureLogger } from '../friction/_logger.js';
import { deleteKeys, describeRedis, redisClient, uniquePrefix } from '../helpers/redis-env.js';
import { decodeStored, encodeStored, type StoredState } from './_state-layout.js';

const KINDS = ['proportional', 'adaptive'] as const;
type Kind = (typeof KINDS)[number];

describeRedis('Redis store guards: ceilings, corrupt state, clocks, keyBy', () => {
  const prefix = uniquePrefix('guards');
  const clients: Redis[] = [];
  let admin: Redis;
  const client = () => {
    const c = redisClient();
    clients.push(c);
    return c;
  };
  beforeAll(() => {
    admin = client();
  });
  afterAll(async () => {
    await deleteKeys(admin, prefix);
    for (const c of clients) c.disconnect();
  });

  const options = (controller: Kind, extra: Partial<FrictionRegistryOptions> = {}) => ({
    defaultConfig: { controller, windowSize: 8 },
    toolConfigs: { delete_task: { targetRate: 0.05, ceiling: { limit: 5, windowMs: 60_000 } } },
    logger: silentLogger,
    ...extra,
  });
  const replica = (keyPrefix: string, controller: Kind, extra: Partial<FrictionRegistryOptions>) =>
    new FrictionRegistry({
      ...options(controller, extra),
      store: new RedisStore({ client: client(), keyPrefix, logger: silentLogger }),
    });
  const keyOf = (keyPrefix: string, controller: Kind, clientKey: string, keyBy = 'clientId') => {
    const o = options(controller);
    const config = resolveFrictionConfig({ ...o.defaultConfig, toolConfigs: o.toolConfigs });
    return `${keyPrefix}friction:${configFingerprint(config, keyBy)}:${clientKey}`;
  };

  it.each(KINDS)("'%s': two replicas sharing Redis admit exactly the ceiling", async (kind) => {
    const keyPrefix = `${prefix}ceil-${kind}:`;
    const t0 = Date.now() - 3_600_000;
    let t = t0;
    const a = replica(keyPrefix, kind, { now: () => t });
    const bAt = replica(keyPrefix, kind, { now: () => t });
    const out: boolean[] = [];
    for (let i = 0; i < 40; i++) {
      t = t0 + i * 100;
      await (i % 2 === 0 ? a : bAt).recordUnconfigured('c', 'read');
      const r = await (i % 2 === 0 ? a : bAt).checkAndRecord('c', 'delete_task');
      out.push(r.allowed);
      if (!r.allowed) {
        expect(r.message).toBe("Ceiling reached: 5 calls per 60000 ms for tool 'delete_task'");
        expect(r.retryAfterMs).toBeLessThanOrEqual(60_000);
      }
    }
    expect(out.filter(Boolean)).toHaveLength(5);
    expect(out.slice(0, 5).every(Boolean)).toBe(true);
    // The key lives at least as long as the ceiling window, whatever the client TTL.
    expect(await admin.pttl(keyOf(keyPrefix, kind, 'c'))).toBeGreaterThan(59_000);
  });

  it.each(KINDS)(
    "'%s': a replica whose clock runs an hour ahead cannot decay a penalty",
    async (kind) => {
      const keyPrefix = `${prefix}skew-${kind}:`;
      const o = { toolConfigs: { delete_task: { targetRate: 0.05 } } };
      const now = Date.now();
      const honest = replica(keyPrefix, kind, { ...o, now: () => now });
      let blocked = false;
      for (let i = 0; i < 400 && !blocked; i++) {
        blocked = !(await honest.checkAndRecord('c', 'delete_task')).allowed;
      }
      expect(blocked).toBe(true);
      const ahead = replica(keyPrefix, kind, { ...o, now: () => now + 3_600_000 });
      const admitted = [];
      for (let i = 0; i < 17; i++)
        admitted.push((await ahead.checkAndRecord('c', 'delete_task')).allowed);
      expect(admitted.filter(Boolean)).toHaveLength(0);
      // A clock that is behind is used as it is (no error, the penalty holds).
      const behind = replica(keyPrefix, kind, { ...o, now: () => now - 3_600_000 });
      expect((await behind.checkAndRecord('c', 'delete_task')).allowed).toBe(false);
    },
  );

  // The stored layout (`redis-lua-layout.ts`): a header fixing the layout and its dimensions,
  // exact doubles, the ring bytes (slot + 1; 0 = empty), the other tools.
  const corruptions: [string, (s: StoredState) => void][] = [
    ['another version', (s) => (s.header.tag = 'FR2')],
    ['a short ring', (s) => (s.ring = s.ring.subarray(0, 1))],
    ['a missing array', (s) => delete s.arrays.ema],
    ['a NaN in a numeric array', (s) => (s.arrays.friction![0] = Number.NaN)],
    ['an infinite number', (s) => (s.arrays.ema![0] = Number.POSITIVE_INFINITY)],
    ['a NaN last call time', (s) => (s.scalars.lastT = Number.NaN)],
    ['counts that disagree with the window', (s) => (s.scalars.size = 3)],
    ['a ring slot without a tool', (s) => (s.ring[0] = 8)],
    ['a head outside the window', (s) => (s.scalars.head = 8)],
    ['a negative spent budget', (s) => (s.scalars.spent = -1)],
    [
      'no ceiling buckets',
      (s) => {
        s.header.c = 0;
        delete s.arrays.ceilLevel;
        delete s.arrays.ceilAt;
      },
    ],
    ['a short credit', (s) => (s.arrays.credit = [])],
    ['the other controller', (s) => (s.header.kind = s.header.kind === 'a' ? 'p' : 'a')],
  ];

  it('the test codec reads and writes a stored state byte for byte', async () => {
    for (const kind of KINDS) {
      const keyPrefix = `${prefix}codec-${kind}:`;
      const reg = replica(keyPrefix, kind, {});
      await reg.checkAndRecord('c', 'delete_task');
      await reg.recordUnconfigured('c', 'read');
      const raw = (await admin.getBuffer(keyOf(keyPrefix, kind, 'c')))!;
      const state = decodeStored(raw);
      expect(state.others).toEqual(['read']);
      expect(state.scalars.size).toBe(2);
      expect(encodeStored(state).equals(raw)).toBe(true);
    }
  });

  for (const kind of KINDS) {
    it.each(corruptions)(
      `'${kind}': a state with %s is refused and logged, never replaced`,
      async (name, corrupt) => {
        if (kind === 'proportional' && name === 'a short credit') return;
        const keyPrefix = `${prefix}corrupt-${kind}-${name.replaceAll(' ', '-')}:`;
        const logger = captureLogger();
        const reg = replica(keyPrefix, kind, { logger, onStoreError: 'fail-open' });
        expect((await reg.checkAndRecord('c', 'delete_task')).allowed).toBe(true);
        const key = keyOf(keyPrefix, kind, 'c');
        const state = decodeStored((await admin.getBuffer(key))!);
        corrupt(state);
        await admin.set(key, encodeStored(state), 'PX', 60000);
        const stored = await admin.getBuffer(key);
        const r = await reg.checkAndRecord('c', 'delete_task');
        expect(r).toMatchObject({ allowed: false, message: 'Friction state invalid; refused' });
        expect((await reg.checkAndRecord('c', 'read')).allowed).toBe(true);
        expect((await admin.getBuffer(key))!.equals(stored!)).toBe(true);
        expect(logger.records.map((x) => x.event_type)).toContain('friction_state_invalid');
        // Another client is unaffected: one bad key does not trip the store.
        expect((await reg.checkAndRecord('other', 'delete_task')).allowed).toBe(true);
      },
    );

    it(`'${kind}': undecodable bytes and a key of another type are refused too`, async () => {
      const keyPrefix = `${prefix}garbage-${kind}:`;
      const reg = replica(keyPrefix, kind, { onStoreError: 'fail-open' });
      await admin.set(keyOf(keyPrefix, kind, 'bytes'), '\xff\x00{not state');
      await admin.hset(keyOf(keyPrefix, kind, 'hash'), 'a', '1');
      for (const c of ['bytes', 'hash']) {
        expect((await reg.checkAndRecord(c, 'delete_task')).allowed).toBe(false);
      }
    });
  }

  it('apps keying by client and by subject on one prefix never share a state', async () => {
    const keyPrefix = `${prefix}keyby:`;
    expect(keyOf(keyPrefix, 'adaptive', 'x')).not.toBe(
      keyOf(keyPrefix, 'adaptive', 'x', 'subject'),
    );
    const byClient = replica(keyPrefix, 'adaptive', {});
    const bySubject = replica(keyPrefix, 'adaptive', { keyBy: 'subject' });
    for (let i = 0; i < 5; i++) await byClient.checkAndRecord('x', 'delete_task');
    expect((await byClient.checkAndRecord('x', 'delete_task')).allowed).toBe(false);
    expect((await bySubject.checkAndRecord('x', 'delete_task')).allowed).toBe(true);
    const fn = replica(keyPrefix, 'adaptive', { keyBy: (a) => a.clientId });
    expect((await fn.checkAndRecord('x', 'delete_task')).allowed).toBe(true);
  });

  it('a spent budget keeps the key for the penalty TTL', async () => {
    const keyPrefix = `${prefix}budget:`;
    const store = new RedisStore({ client: client(), keyPrefix, clientTtlMs: 1000 });
    const reg = new FrictionRegistry({
      defaultConfig: { controller: 'proportional', defaultBudget: 100 },
      toolConfigs: { t: {} },
      store,
      logger: silentLogger,
    });
    await reg.checkAndRecord('c', 't');
    const key = `${keyPrefix}friction:${configFingerprint(reg.config)}:c`;
    expect(await admin.pttl(key)).toBeGreaterThan(3_000_000);
  });
});
