/**
 * Regression: a client whose penalty was restored after an LRU eviction, and that then only
 * retries the blocked tool, must recover once its friction has decayed (DESIGN §3.5: decay is
 * also applied on `check`). Before the fix the restored proportional state had no last-call
 * time, so no decay ever applied and the client stayed blocked for good. The Redis store has no
 * eviction; the same retry-only client must recover there too, while its penalty TTL keeps it.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrictionControllerKind } from '../../src/friction/config.js';
import { FrictionRegistry } from '../../src/friction/registry.js';
import { silentLogger } from '../../src/lib/logger.js';
import { RedisStore } from '../../src/store/redis.js';
import type { Store } from '../../src/store/types.js';
import { deleteKeys, describeRedis, redisClient, uniquePrefix } from '../helpers/redis-env.js';

const T0 = 1_700_000_000_000;
/** Default `timeDecayRate` (per second) and `hardBlockThreshold`. */
const LAMBDA = 0.001;
const HARD = 0.95;
const GAP_MS = 5_000;
const TWO_HOURS_MS = 7_200_000;

interface Clock {
  t: number;
}

function makeRegistry(controller: FrictionControllerKind, clock: Clock, store?: Store) {
  return new FrictionRegistry({
    defaultConfig: { controller },
    toolConfigs: { delete_task: {} },
    maxClients: 2,
    now: () => clock.t,
    logger: silentLogger,
    store,
  });
}

/** Spams `delete_task` every 100 ms until refused; returns the last allowed call's time. */
async function spamUntilBlocked(reg: FrictionRegistry, clock: Clock): Promise<number> {
  let lastAllowed = clock.t;
  for (let i = 0; i < 200; i++) {
    clock.t += 100;
    const r = await reg.checkAndRecord('spammer', 'delete_task');
    if (!r.allowed) {
      expect(r.frictionLevel).toBe('BLOCKED');
      return lastAllowed;
    }
    lastAllowed = clock.t;
  }
  throw new Error('never blocked');
}

/** Retries only `delete_task` (1 s apart for 10 min, then every minute) for up to two hours. */
async function firstAllowedRetry(reg: FrictionRegistry, clock: Clock): Promise<number | null> {
  const start = clock.t;
  while (clock.t - start < TWO_HOURS_MS) {
    clock.t += clock.t - start < 600_000 ? 1_000 : 60_000;
    if ((await reg.checkAndRecord('spammer', 'delete_task')).allowed) return clock.t;
  }
  return null;
}

/** Idle time for friction `f` to fall below the block threshold by decay, ms. */
const decayMs = (f: number, below = HARD) => (1000 * Math.log(f / below)) / LAMBDA;

describe('restored penalty decays while the client only retries the blocked tool', () => {
  it.each(['proportional', 'adaptive'] as const)(
    '%s controller, memory store, after an LRU eviction',
    async (controller) => {
      const clock = { t: T0 };
      const reg = makeRegistry(controller, clock);
      await spamUntilBlocked(reg, clock);
      const captured = (await reg.getClientStatus('spammer'))!.delete_task!.friction;
      expect(captured).toBeGreaterThanOrEqual(HARD);
      for (let i = 0; i < 3; i++) await reg.recordUnconfigured(`sybil-${i}`, 'get_tasks');
      expect(await reg.getClientStatus('spammer')).toBeUndefined();

      clock.t += GAP_MS;
      const restoredAt = clock.t;
      const first = await reg.checkAndRecord('spammer', 'delete_task');
      expect(first).toMatchObject({ allowed: false, frictionLevel: 'BLOCKED' });
      // Decayed once for the time spent evicted, not again from the capture on.
      const restored = captured * Math.exp((-LAMBDA * GAP_MS) / 1000);
      expect(first.friction).toBeCloseTo(restored, 12);
      expect((await reg.getClientStatus('spammer'))!.delete_task!.friction).toBeCloseTo(
        restored,
        12,
      );
      const later = (await reg.getClientStatus('spammer'))!;
      expect(later.delete_task!.level).toBe('BLOCKED');

      const grace = controller === 'adaptive' ? reg.config.adaptive.idleGraceMs : 0;
      const expected = restoredAt + grace + decayMs(restored);
      const allowedAt = await firstAllowedRetry(reg, clock);
      expect(allowedAt).not.toBeNull();
      expect(allowedAt!).toBeGreaterThan(expected);
      expect(allowedAt! - expected).toBeLessThanOrEqual(1_000);
      if (controller === 'proportional') {
        expect(Math.abs(restoredAt + first.retryAfterMs! - expected)).toBeLessThanOrEqual(2);
      } else {
        expect(restoredAt + first.retryAfterMs!).toBeGreaterThanOrEqual(allowedAt! - 1_000);
      }
      await reg.close();
    },
  );
});

describeRedis('retry-only client on the Redis store (no eviction, TTL-kept penalty)', () => {
  const prefix = uniquePrefix('regression-decay');
  let client: Redis;
  beforeAll(() => {
    client = redisClient();
  });
  afterAll(async () => {
    await deleteKeys(client, prefix);
    client.disconnect();
  });

  it.each(['proportional', 'adaptive'] as const)('%s controller', async (controller) => {
    const clock = { t: T0 };
    const keyPrefix = `${prefix}${controller}:`;
    const clientTtlMs = 600_000;
    const store = new RedisStore({ client, keyPrefix, clientTtlMs, logger: silentLogger });
    const reg = makeRegistry(controller, clock, store);
    const lastAllowed = await spamUntilBlocked(reg, clock);
    const blockedFriction = (await reg.getClientStatus('spammer'))!.delete_task!.friction;

    clock.t += GAP_MS;
    const retriedAt = clock.t;
    const first = await reg.checkAndRecord('spammer', 'delete_task');
    expect(first).toMatchObject({ allowed: false, frictionLevel: 'BLOCKED' });
    const allowedAt = await firstAllowedRetry(reg, clock);
    expect(allowedAt).not.toBeNull();
    if (controller === 'proportional') {
      const expected = retriedAt + decayMs(first.friction);
      expect(allowedAt!).toBeGreaterThan(expected);
      expect(allowedAt! - expected).toBeLessThanOrEqual(1_000);
    } else {
      // The gate closed on the spam: it reopens at the hysteresis level, after the idle grace.
      expect(allowedAt!).toBeGreaterThan(lastAllowed + reg.config.adaptive.idleGraceMs);
      // Retries are 1 s apart: the first allowed one is the first at or after the hint.
      const hinted = retriedAt + first.retryAfterMs!;
      expect(allowedAt! - hinted).toBeGreaterThan(-2);
      expect(allowedAt! - hinted).toBeLessThanOrEqual(1_000);
      expect(blockedFriction).toBeGreaterThanOrEqual(HARD);
    }
    const [key] = await client.keys(`${keyPrefix}friction:*:spammer`);
    expect(key).toBeDefined();
    // Blocked retries kept the penalised state (penalty TTL, longer than the idle TTL).
    expect(await client.pttl(key!)).toBeGreaterThan(clientTtlMs);
    await reg.close();
    await store.close();
  });
});
