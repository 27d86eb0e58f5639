/**
 * A/B of two Redis state layouts under the Redis friction bench's workload (64 in flight,
 * 1 000 clients, 20 % limited calls, the default adaptive controller), alternating with
 * `RateLimiterRedis.consume`: ops/s wall-clock and Redis server µs per call from
 * `INFO commandstats` deltas (`evalsha` for the registry; every command for the limiter).
 * The baseline is another revision's `src` unpacked beside this file:
 * `mkdir -p bench/_old && git archive <rev> src | tar -x -C bench/_old`, then
 * `npx tsx --import ./scripts/lua-loader.mjs bench/redis-layout-ab.ts [rounds]` (env:
 * `REDIS_URL`, default `redis://127.0.0.1:6379`; `CONTROLLER=proportional`). Other clients of the
 * server add noise; `cpuUsPerOp` (Redis main-thread CPU from `INFO cpu`) is not inflated by
 * preemption the way `INFO commandstats` µs are.
 *
 * @module
 */
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import {
  CLIENTS,
  clientKeys,
  frictionOptions,
  sequence,
  WORKLOAD_SIZE,
  workload,
} from './friction-throughput.js';

const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
async function stats(): Promise<Record<string, { calls: number; usec: number }>> {
  const text = await client.info('commandstats');
  const out: Record<string, { calls: number; usec: number }> = {};
  for (const m of text.matchAll(/cmdstat_(\w+):calls=(\d+),usec=(\d+)/g))
    out[m[1]!] = { calls: +m[2]!, usec: +m[3]! };
  return out;
}
/** Redis main-thread CPU seconds (user + sys), from `INFO cpu`: not inflated by preemption. */
async function cpu(): Promise<number> {
  const text = await client.info('cpu');
  const get = (k: string) => Number(new RegExp(`${k}:([\\d.]+)`).exec(text)?.[1] ?? 0);
  return get('used_cpu_user_main_thread') + get('used_cpu_sys_main_thread');
}
async function run(label: string, op: () => Promise<unknown>, cmd: string, ms: number) {
  const c0 = await cpu();
  const s0 = await stats();
  const t0 = performance.now();
  let n = 0;
  const end = t0 + ms;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (performance.now() < end) {
        await op();
        n++;
      }
    }),
  );
  const dt = (performance.now() - t0) / 1000;
  const s1 = await stats();
  const c1 = await cpu();
  const cs = cmd.split(',');
  let calls = 0,
    usec = 0;
  for (const c of cs) {
    calls += (s1[c]?.calls ?? 0) - (s0[c]?.calls ?? 0);
    usec += (s1[c]?.usec ?? 0) - (s0[c]?.usec ?? 0);
  }
  return {
    label,
    opsPerS: Math.round(n / dt),
    usPerCall: +(usec / calls).toFixed(1),
    usPerOp: +(usec / n).toFixed(1),
    cpuUsPerOp: +(((c1 - c0) * 1e6) / n).toFixed(1),
  };
}
const prefix = `ab-${process.pid}:`;
/** `CONTROLLER=proportional` for the other controller (default `'adaptive'`). */
const CONTROLLER = process.env.CONTROLLER === 'proportional' ? 'proportional' : 'adaptive';
const OLD = './_old/src/';
const mods = { old: await import(`${OLD}redis.js`), new: await import('../src/redis.js') };
const regMods = {
  old: await import(`${OLD}friction/registry.js`),
  new: await import('../src/friction/registry.js'),
};
const { silentLogger } = await import('../src/lib/logger.js');
const regs: Record<string, () => Promise<unknown>> = {};
for (const v of ['old', 'new'] as const) {
  const store = new mods[v].RedisStore({ client, keyPrefix: `${prefix}${v}:` });
  const reg = new regMods[v].FrictionRegistry({
    ...frictionOptions,
    defaultConfig: { controller: CONTROLLER },
    maxClients: 10 * CLIENTS,
    store: store as never,
    logger: silentLogger,
  });
  const mix = workload(0.2);
  const next = sequence();
  regs[v] = () => {
    const i = next();
    const call = mix[i & (WORKLOAD_SIZE - 1)]!;
    const key = clientKeys[i % CLIENTS]!;
    return call.limited
      ? reg.checkAndRecord(key, call.tool)
      : reg.recordUnconfigured(key, call.tool);
  };
}
const limiter = new RateLimiterRedis({
  storeClient: client,
  keyPrefix: `${prefix}rlf`,
  points: 1e12,
  duration: 3600,
});
const nc = sequence();
const rl = () => limiter.consume(clientKeys[nc() % CLIENTS]!);
const rounds = Number(process.argv[2] ?? 3);
for (let r = 0; r < rounds; r++) {
  console.log(
    JSON.stringify([
      await run('old', regs.old!, 'evalsha', 2000),
      await run('new', regs.new!, 'evalsha', 2000),
      await run('rlr', rl, 'evalsha,incrby,set,pexpire,eval', 2000),
    ]),
  );
}
const keys = await client.keys(`${prefix}*`);
for (let i = 0; i < keys.length; i += 500) await client.unlink(...keys.slice(i, i + 500));
client.disconnect();
process.exit(0);
