/**
 * Redis server time per call of the friction step script, cut short at each stage (the script's
 * constants and tables, its functions, the arguments and `TIME`, `GET`, decode with the checks,
 * the step, then the full script with its write), under the Redis friction bench's workload
 * (1 000 clients, 20 % limited calls, 64 in flight, the wall clock), for both controllers. Each
 * figure is `commandstats µs per EVALSHA / Redis main-thread CPU µs per call` (`INFO
 * commandstats` and `INFO cpu` deltas; the CPU figure includes reading the request and writing
 * the reply). Other clients of the server add noise: run it on a Redis of its own, e.g.
 * `redis-server --port 6390 --save ''`, then
 * `npx tsx --import ./scripts/lua-loader.mjs bench/redis-script-profile.ts [redis-url] [ms]`.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { resolveFrictionConfig } from '../src/friction/config.js';
import { adaptiveStepScript } from '../src/store/redis-adaptive-script.js';
import { proportionalStepScript } from '../src/store/redis-friction-script.js';
import {
  CLIENTS,
  clientKeys,
  frictionOptions,
  WORKLOAD_SIZE,
  workload,
} from './friction-throughput.js';

const url = process.argv[2] ?? 'redis://127.0.0.1:6390';
const ms = Number(process.argv[3] ?? 1500);
const client = new Redis(url);
const ttl = { clientTtlMs: 3_600_000, penaltyTtlMs: 0, penaltyMinFriction: 0.5 };

async function evalsha(): Promise<{ calls: number; usec: number }> {
  const text = await client.info('commandstats');
  const m = /cmdstat_evalsha:calls=(\d+),usec=(\d+)/.exec(text);
  return { calls: Number(m?.[1] ?? 0), usec: Number(m?.[2] ?? 0) };
}

/** Stage variants: the full script with its end cut at a stage. */
function variants(full: string): Record<string, string> {
  const commit = full.indexOf('local ok, ');
  const head = full.slice(0, commit);
  const step = head.indexOf('local function step()');
  const pre = head.slice(0, step);
  const cut = (m: string) => `${full.slice(0, full.indexOf(m))}return 1`;
  return {
    none: 'return 1',
    prelude: cut('local INDEX'),
    config: cut('local function fresh()'),
    funcs: cut('local key, name, mode'),
    args: cut('local function loadState'),
    get: `${pre}return redis.call('GET', KEYS[1]) and 1 or 0`,
    decode: full.includes('decodeState')
      ? `${pre}local raw = redis.call('GET', KEYS[1]); if raw then decodeState(raw) end return 1`
      : `${pre}local raw = redis.call('GET', KEYS[1]); if raw then cmsgpack.unpack(raw) end return 1`,
    validate: `${pre}local s = loadState(KEYS[1]); return 1`,
    step: `${head}local ok, a, b = pcall(step)\nif not ok then return {'corrupt'} end\nreturn b or a[2]`,
    full,
  };
}

const prefix = `profile-${process.pid}:`;
let controllerNow = '';
const mix = workload(0.2);
let seq = 0;
let now = Date.now();
/** Redis main-thread CPU seconds (user + sys), from `INFO cpu`: not inflated by preemption. */
async function cpu(): Promise<number> {
  const text = await client.info('cpu');
  const get = (k: string) => Number(new RegExp(`${k}:([\\d.]+)`).exec(text)?.[1] ?? 0);
  return get('used_cpu_user_main_thread') + get('used_cpu_sys_main_thread');
}

async function run(sha: string, n64 = 64): Promise<{ perCall: number; cpu: number }> {
  const c0 = await cpu();
  const s0 = await evalsha();
  const end = performance.now() + ms;
  let ops = 0;
  await Promise.all(
    Array.from({ length: n64 }, async () => {
      while (performance.now() < end) {
        const i = seq++;
        const call = mix[i & (WORKLOAD_SIZE - 1)]!;
        now = Date.now();
        const mode = call.limited ? 'check-and-record' : 'record';
        const r = await client.evalsha(
          sha,
          1,
          `${prefix}${controllerNow}:${clientKeys[i % CLIENTS]}`,
          call.tool,
          String(now),
          mode,
        );
        if (Array.isArray(r) && r[0] === 'corrupt') throw new Error('corrupt');
        ops++;
      }
    }),
  );
  const s1 = await evalsha();
  const c1 = await cpu();
  return { perCall: (s1.usec - s0.usec) / (s1.calls - s0.calls), cpu: ((c1 - c0) * 1e6) / ops };
}

for (const controller of ['adaptive', 'proportional'] as const) {
  controllerNow = controller;
  const cfg = resolveFrictionConfig({ ...frictionOptions, controller } as never);
  const full =
    controller === 'adaptive' ? adaptiveStepScript(cfg, ttl) : proportionalStepScript(cfg, ttl);
  const vs = variants(full);
  const shas: Record<string, string> = {};
  for (const [k, v] of Object.entries(vs)) {
    shas[k] = createHash('sha1').update(v).digest('hex');
    await client.script('LOAD', v);
  }
  for (let w = 0; w < 3; w++) await run(shas.full!);
  const out: Record<string, string> = {};
  for (const k of Object.keys(vs)) {
    const r = await run(shas[k]!);
    out[k] = `${r.perCall.toFixed(1)}/${r.cpu.toFixed(1)}`;
  }
  console.log(controller, JSON.stringify(out));
}
const keys = await client.keys(`${prefix}*`);
for (let i = 0; i < keys.length; i += 500) await client.unlink(...keys.slice(i, i + 500));
client.disconnect();
