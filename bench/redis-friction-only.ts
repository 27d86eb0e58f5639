/**
 * Runs only the Redis friction benchmark (`bench/friction-redis.ts`, the parameters of
 * `npm run bench`: 3 rounds of 1 000 ms; `FrictionRegistry` on `RedisStore` beside
 * `RateLimiterRedis.consume`, alternated, one at a time and 64 in flight) and prints one JSON
 * line: the 64-in-flight medians and their ratio (wall-clock and per CPU-second of this process),
 * Redis server µs per decision and commands per decision. `STORE_SRC` names the `src` directory
 * of the store to load (default `src`; another revision's, unpacked as in
 * `bench/redis-layout-ab.ts`, for a before/after), `REDIS_URL` the server:
 * `npx tsx --import ./scripts/lua-loader.mjs bench/redis-friction-only.ts`.
 *
 * @module
 */
import { pathToFileURL } from 'node:url';
import { runFrictionRedis } from './friction-redis.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const mod = pathToFileURL(`${process.cwd()}/${process.env.STORE_SRC ?? 'src'}/redis.ts`).href;
const f = await runFrictionRedis(url, mod, 1000, 3);
if (!f.available) throw new Error(f.reason);
const ours = f.rates.registryRedis64!;
const theirs = f.rates.rateLimiterRedis64!;
console.log(
  JSON.stringify({
    registryRedis64: Math.round(ours.median),
    rateLimiterRedis64: Math.round(theirs.median),
    ratio64: +(ours.median / theirs.median).toFixed(3),
    cpuRatio64: +(ours.cpuMedian / theirs.cpuMedian).toFixed(3),
    serverUs: f.serverUsPerDecision,
    commands: f.commandsPerDecision,
  }),
);
process.exit(0);
