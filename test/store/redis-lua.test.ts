import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FrictionConfigInput, resolveFrictionConfig } from '../../src/friction/config.js';
import { silentLogger } from '../../src/lib/logger.js';
import { MemoryStore } from '../../src/store/memory.js';
import { RedisStore } from '../../src/store/redis.js';
import { LUA_PRELUDE } from '../../src/store/redis-lua-lib.js';
import type { FrictionStepMode } from '../../src/store/types.js';
import { deleteKeys, describeRedis, redisClient, uniquePrefix } from '../helpers/redis-env.js';

describeRedis('Redis Lua controller equivalence', () => {
  const prefix = uniquePrefix('lua');
  let client: Redis;
  beforeAll(() => {
    client = redisClient();
  });
  afterAll(async () => {
    await deleteKeys(client, prefix);
    client.disconnect();
  });

  it('fexp is bit-identical to Math.exp (100 000 arguments)', async () => {
    let seed = 12345;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const xs = [0, -0, 1, -1, 0.5, -0.5, 1e-300, -745.2, -744, 709, 0.34657359, -1.0397];
    for (let i = 0; xs.length < 100_000; i++) {
      if (i % 3 === 0) xs.push((rnd() - 0.5) * 1400);
      else if (i % 3 === 1) xs.push((rnd() - 0.5) * 10 ** -Math.floor(rnd() * 12));
      else xs.push((-rnd() * Math.floor(rnd() * 10 ** (1 + Math.floor(rnd() * 8)))) / 1000);
    }
    const script = `${LUA_PRELUDE}
local out = {}
for i = 1, #ARGV do out[i] = num(fexp(tonumber(ARGV[i]))) end
return out`;
    let mismatches = 0;
    for (let b = 0; b < xs.length; b += 5000) {
      const chunk = xs.slice(b, b + 5000);
      const args = chunk.map((x) => (Object.is(x, -0) ? '-0' : String(x)));
      const res = (await client.eval(script, 0, ...args)) as string[];
      res.forEach((s, i) => {
        if (!Object.is(Number(s), Math.exp(chunk[i]!))) mismatches++;
      });
    }
    expect(mismatches).toBe(0);
  });

  const TOOLS = ['a', 'b', 'c', 'ünï/"code"', 'free-1', 'free-2'];
  const ceilingArb = fc.record({
    limit: fc.integer({ min: 1, max: 4 }),
    windowMs: fc.constantFrom(1, 700, 5000, 3_600_000),
  });
  const configArb = fc.record({
    windowSize: fc.integer({ min: 1, max: 12 }),
    warmupCalls: fc.integer({ min: 0, max: 6 }),
    timeDecayRate: fc.constantFrom(0, 0.001, 0.05, 0.7),
    emaAlpha: fc.constantFrom(0.15, 0.5, 1),
    adjustmentRate: fc.constantFrom(0.08, 0.3),
    deadZone: fc.constantFrom(0, 0.01),
    saturationWindow: fc.integer({ min: 0, max: 3 }),
    saturationThreshold: fc.constantFrom(0.5, 0.9),
    defaultBudget: fc.constantFrom(Number.POSITIVE_INFINITY, 40),
    ceilA: fc.option(ceilingArb, { nil: undefined }),
    ceilG: fc.option(ceilingArb, { nil: undefined }),
    controller: fc.constantFrom('proportional' as const, 'adaptive' as const),
  });
  const stepArb = fc.record({
    tool: fc.constantFrom(...TOOLS),
    dt: fc.constantFrom(0, 1, 250, 3000, 120_000, -500),
    record: fc.boolean(),
  });

  it('gives exactly the memory store frictions for random configs and sequences', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(configArb, fc.array(stepArb, { maxLength: 60 }), async (tuning, steps) => {
        const { ceilA, ceilG, ...rest } = tuning;
        const input: FrictionConfigInput = {
          ...rest,
          toolConfigs: {
            a: { targetRate: 0.1, ceiling: ceilA },
            b: { targetRate: 0.3, hardBlockThreshold: 0.7 },
            'ünï/"code"': { minCost: 1, maxCost: 3 },
          },
          toolGroups: { g: { tools: ['a', 'b', 'c'], aggregateTarget: 0.2, ceiling: ceilG } },
        };
        const spec = {
          config: resolveFrictionConfig(input),
          maxClients: 10,
          penaltyTtlMs: 60_000,
          penaltyMinFriction: 0.1,
        };
        const memory = new MemoryStore().friction(spec);
        const store = new RedisStore({
          client,
          keyPrefix: `${prefix}${run++}:`,
          logger: silentLogger,
        });
        const redis = store.friction(spec);
        let t = 1_700_000_000_000;
        for (const s of steps) {
          t += s.dt;
          const mode: FrictionStepMode = s.record ? 'record' : 'check-and-record';
          const m = await memory.step('client', s.tool, t, mode);
          const r = await redis.step('client', s.tool, t, mode);
          expect(r.result).toEqual(m.result);
          expect(r.saturated).toEqual(m.saturated);
        }
        expect(await redis.status('client', t + 5000)).toEqual(
          await memory.status('client', t + 5000),
        );
        await store.close();
      }),
      { numRuns: 40 },
    );
  });
});
