import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FrictionConfigInput, resolveFrictionConfig } from '../../src/friction/config.js';
import { FrictionController } from '../../src/friction/controller.js';
import { FrictionRegistry } from '../../src/friction/registry.js';
import { assertState, statusState } from '../../src/friction/state-status.js';
import { silentLogger } from '../../src/lib/logger.js';
import { MemoryStore } from '../../src/store/memory.js';
import { RedisStore } from '../../src/store/redis.js';
import { adaptiveStepScript, parseAdaptiveReply } from '../../src/store/redis-adaptive-script.js';
import { STATE_READ_SCRIPT } from '../../src/store/redis-friction-script.js';
import type { FrictionStepMode } from '../../src/store/types.js';
import { deleteKeys, describeRedis, redisClient, uniquePrefix } from '../helpers/redis-env.js';

const TTLS = { clientTtlMs: 3_600_000, penaltyTtlMs: 7_200_000, penaltyMinFriction: 0.1 };

describeRedis("Redis Lua step of controller: 'adaptive'", () => {
  const prefix = uniquePrefix('adaptive');
  let client: Redis;
  beforeAll(() => {
    client = redisClient();
  });
  afterAll(async () => {
    await deleteKeys(client, prefix);
    client.disconnect();
  });

  const TOOLS = ['a', 'b', 'c', 'ünï/"code"', 'free-1', 'free-2'];
  const ceilingArb = fc.record({
    limit: fc.integer({ min: 1, max: 4 }),
    windowMs: fc.constantFrom(1, 700, 5000, 3_600_000),
  });
  const configArb = fc.record({
    windowSize: fc.integer({ min: 1, max: 12 }),
    timeDecayRate: fc.constantFrom(0, 0.001, 0.05, 0.7),
    emaAlpha: fc.constantFrom(0.15, 0.5, 1),
    saturationWindow: fc.integer({ min: 0, max: 3 }),
    saturationThreshold: fc.constantFrom(0.5, 0.9),
    defaultBudget: fc.constantFrom(Number.POSITIVE_INFINITY, 40),
    ceilA: fc.option(ceilingArb, { nil: undefined }),
    ceilG: fc.option(ceilingArb, { nil: undefined }),
    pressureWeight: fc.constantFrom(0, 1),
    adaptive: fc.record({
      minBlockMs: fc.constantFrom(0, 1000, 12_000),
      idleGraceMs: fc.constantFrom(0, 500, 60_000),
      burstCalls: fc.constantFrom(2, 5, 50),
      tolerance: fc.constantFrom(0.01, 0.2),
    }),
  });
  const stepArb = fc.record({
    tool: fc.constantFrom(...TOOLS),
    dt: fc.constantFrom(0, 1, 250, 3000, 120_000, -500),
    record: fc.boolean(),
  });

  it('gives exactly the memory store results and state for random configs and sequences', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(configArb, fc.array(stepArb, { maxLength: 60 }), async (tuning, steps) => {
        const { pressureWeight, ceilA, ceilG, ...rest } = tuning;
        const input: FrictionConfigInput = {
          ...rest,
          controller: 'adaptive',
          toolConfigs: {
            a: { targetRate: 0.1, ceiling: ceilA },
            b: { targetRate: 0.3, hardBlockThreshold: 0.7 },
            'ünï/"code"': { minCost: 1, maxCost: 3 },
          },
          toolGroups: {
            g: { tools: ['a', 'b', 'c'], aggregateTarget: 0.2, pressureWeight, ceiling: ceilG },
          },
        };
        const config = resolveFrictionConfig(input);
        const spec = { config, maxClients: 10, penaltyTtlMs: 60_000, penaltyMinFriction: 0.1 };
        const memory = new MemoryStore().friction(spec);
        const twin = new FrictionController(input);
        const script = adaptiveStepScript(config, TTLS);
        const key = `${prefix}${run++}`;
        let t = 1_700_000_000_000;
        for (const s of steps) {
          t += s.dt;
          const mode: FrictionStepMode = s.record ? 'record' : 'check-and-record';
          const m = await memory.step('client', s.tool, t, mode);
          if (mode === 'record') twin.recordUnconfigured(s.tool, t);
          else twin.checkAndRecord(s.tool, t);
          const reply = await client.eval(script, 1, key, s.tool, String(t), mode);
          const r = parseAdaptiveReply(config, s.tool, reply);
          expect(r.result).toEqual(m.result);
          expect(r.saturated).toEqual(m.saturated);
          if (mode === 'check-and-record') {
            expect((reply as unknown[])[1]).toBe(m.result.allowed ? 1 : 0);
          }
        }
        const raw = (await client.eval(STATE_READ_SCRIPT, 1, key)) as string | null;
        if (steps.length > 0) {
          const state = assertState(config, JSON.parse(raw!));
          expect(state).toEqual(twin.exportState());
          expect(statusState(config, state, t + 5000)).toEqual(
            await memory.status('client', t + 5000),
          );
        }
      }),
      { numRuns: 40 },
    );
  });

  it('blocks a spammer on the same call as the memory store and sets the key TTL', async () => {
    const input = { controller: 'adaptive' as const, toolConfigs: { d: { targetRate: 0.05 } } };
    const config = resolveFrictionConfig(input);
    const script = adaptiveStepScript(config, TTLS);
    const key = `${prefix}spam`;
    let blockedAt = 0;
    for (let i = 1; i <= 100 && blockedAt === 0; i++) {
      const reply = await client.eval(script, 1, key, 'd', String(i * 1000), 'check-and-record');
      const r = parseAdaptiveReply(config, 'd', reply);
      if (!r.result.allowed) {
        blockedAt = i;
        expect(r.result.frictionLevel).toBe('BLOCKED');
        expect(r.result.retryAfterMs).toBeGreaterThan(0);
      }
    }
    expect(blockedAt).toBe(40);
    const ttl = await client.pttl(key);
    expect(ttl).toBeGreaterThan(TTLS.clientTtlMs);
    expect(() => parseAdaptiveReply(config, 'd', [1, 1, 'c', 0, '1'])).toThrow(TypeError);
  });

  it('RedisStore runs it: a registry on Redis decides exactly as one on memory', async () => {
    let run = 0;
    const callArb = fc.record({
      tool: fc.constantFrom('a', 'b', 'free'),
      dt: fc.constantFrom(0, 100, 2000, 90_000),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(callArb, { minLength: 1, maxLength: 80 }), async (calls) => {
        let t = 1_700_000_000_000;
        const options = {
          defaultConfig: { controller: 'adaptive' as const, adaptive: { burstCalls: 4 } },
          toolConfigs: { a: { targetRate: 0.1 }, b: { targetRate: 0.3 } },
          toolGroups: { g: { tools: ['a', 'b'], aggregateTarget: 0.3 } },
          now: () => t,
          logger: silentLogger,
        };
        const store = new RedisStore({ client, keyPrefix: `${prefix}reg${run++}:` });
        const onRedis = new FrictionRegistry({ ...options, store });
        const inMemory = new FrictionRegistry(options);
        for (const { tool, dt } of calls) {
          t += dt;
          if (tool === 'free') {
            await onRedis.recordUnconfigured('c', tool);
            await inMemory.recordUnconfigured('c', tool);
          } else {
            expect(await onRedis.checkAndRecord('c', tool)).toEqual(
              await inMemory.checkAndRecord('c', tool),
            );
          }
        }
        t += 30_000;
        expect(await onRedis.getClientStatus('c')).toEqual(await inMemory.getClientStatus('c'));
        expect(await onRedis.getClientStatus('nobody')).toBeUndefined();
        await inMemory.close();
        await store.close();
      }),
      { numRuns: 25 },
    );
  });
});
