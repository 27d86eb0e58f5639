/**
 * Friction decisions per second: the memory store and the Redis store, same run, same
 * configuration (the 11 production tools + one group). Also times the state codec inside Redis
 * Lua (cmsgpack, as used, against JSON with exact `%.17g` numbers and plain cjson).
 *
 * Run:
 * `REDIS_URL=redis://127.0.0.1:6379 npx tsx --import ./scripts/lua-loader.mjs bench/redis-store.ts`
 *
 * @module
 */

import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { resolveFrictionConfig } from '../src/friction/config.js';
import { silentLogger } from '../src/lib/logger.js';
import { MemoryStore } from '../src/store/memory.js';
import { RedisStore } from '../src/store/redis.js';
import { STATE_READ_SCRIPT } from '../src/store/redis-friction-script.js';
import { LUA_PRELUDE } from '../src/store/redis-lua-lib.js';
import type { FrictionStateStore, FrictionStoreSpec } from '../src/store/types.js';

const WRITES = ['create_task', 'update_task', 'delete_task', 'archive_task', 'assign_task'];
const READS = ['get_tasks', 'get_task', 'search_tasks', 'list_projects', 'get_project', 'whoami'];
const TOOLS = [...WRITES, ...READS];

const spec: FrictionStoreSpec = {
  config: resolveFrictionConfig({
    toolConfigs: Object.fromEntries(TOOLS.map((t) => [t, { hardBlockThreshold: 2 }])),
    toolGroups: { mutations: { tools: WRITES, aggregateTarget: 0.2 } },
  }),
  maxClients: 10_000,
  penaltyTtlMs: 3_600_000,
  penaltyMinFriction: 0.1,
};

async function rate(
  store: FrictionStateStore,
  calls: number,
  concurrency: number,
  clients: number,
): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < calls) {
      const i = next++;
      await store.step(
        `client-${i % clients}`,
        TOOLS[i % TOOLS.length]!,
        1e12 + i,
        'check-and-record',
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return calls / ((performance.now() - t0) / 1000);
}

async function codecs(redis: Redis, f: FrictionStateStore & { keyOf(k: string): string }) {
  await f.step('codec', 'get_tasks', 1e12, 'check-and-record');
  for (let i = 1; i < 100; i++) await f.step('codec', TOOLS[i % 11]!, 1e12 + i, 'record');
  const state = (await redis.eval(STATE_READ_SCRIPT, 1, f.keyOf('codec'))) as string;
  const loop = (body: string) => `${LUA_PRELUDE}
local s = cjson.decode(ARGV[1])
local packed = cmsgpack.pack(s)
local t0 = redis.call('TIME')
for r = 1, 2000 do ${body} end
local t1 = redis.call('TIME')
return tostring(((t1[1] - t0[1]) * 1e6 + (t1[2] - t0[2])) / 2000)`;
  const exact = `local x = cjson.decode(ARGV[1]); local out = {}
    for k, v in pairs(x) do if type(v) == 'table' then out[k] = numArray(v) else out[k] = tostring(v) end end`;
  const variants = {
    'cmsgpack (used)': 'local x = cmsgpack.unpack(packed); local y = cmsgpack.pack(x)',
    'JSON, exact %.17g': exact,
    'cjson (14 digits, inexact)': 'local x = cjson.decode(ARGV[1]); local y = cjson.encode(x)',
  };
  const bytes = await redis.strlen(f.keyOf('codec'));
  const out: Record<string, string> = {
    'state bytes (msgpack / JSON)': `${bytes} / ${state.length}`,
  };
  for (const [name, body] of Object.entries(variants)) {
    out[name] = `${Number(await redis.eval(loop(body), 0, state)).toFixed(1)} µs`;
  }
  return out;
}

async function main(): Promise<void> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redis = new Redis(url);
  const keyPrefix = `mcp-authflow-bench:${process.pid}:`;
  const memory = new MemoryStore().friction(spec);
  const store = new RedisStore({ client: redis, keyPrefix, logger: silentLogger });
  const onRedis = store.friction(spec);
  await rate(onRedis, 2000, 16, 100);
  await rate(memory, 100_000, 1, 100);
  const rows = [
    ['memory store, sequential', await rate(memory, 500_000, 1, 100)],
    ['Redis, 1 in flight', await rate(onRedis, 5000, 1, 100)],
    ['Redis, 16 in flight', await rate(onRedis, 20_000, 16, 100)],
    ['Redis, 64 in flight', await rate(onRedis, 40_000, 64, 1000)],
  ] as const;
  for (const [name, r] of rows)
    console.log(`${name.padEnd(28)} ${Math.round(r).toLocaleString('en')} decisions/s`);
  console.log(await codecs(redis, onRedis));
  const keys = await redis.keys(`${keyPrefix}*`);
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  await store.close();
  redis.disconnect();
}

await main();
