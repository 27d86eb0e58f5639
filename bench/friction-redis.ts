/**
 * Benchmark 5 (Redis), friction decisions per second on a real Redis: `FrictionRegistry` on the
 * `RedisStore` next to rate-limiter-flexible's `RateLimiterRedis.consume()` (same ioredis
 * client kind, same keys, alternated), one decision at a time and 64 in flight. Commands are
 * counted at the client (every ioredis command goes through `sendCommand`), giving the Redis
 * round trips per decision.
 *
 * The Redis store is loaded at run time from a module URL (it may not exist yet); without it, or
 * without a reachable Redis, the rows are reported as not available.
 *
 * @module
 */

import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { FrictionRegistry } from '../src/friction/registry.js';
import { silentLogger } from '../src/lib/logger.js';
import {
  type Call,
  CLIENTS,
  clientKeys,
  frictionOptions,
  type RateTable,
  sequence,
  WORKLOAD_SIZE,
  workload,
} from './friction-throughput.js';
import { asyncRate, rounds } from './lib/timing.js';

/** Result of {@link runFrictionRedis}. */
export type RedisFigures =
  | { readonly available: false; readonly reason: string }
  | {
      readonly available: true;
      readonly redisVersion: string;
      /** Decisions per second (median), by contender. */
      readonly rates: RateTable;
      /** Redis commands sent per decision, by contender family. */
      readonly commandsPerDecision: {
        readonly registryRedis: number;
        readonly rateLimiterRedis: number;
      };
      /** Redis server µs per decision (`INFO commandstats`), by contender family. */
      readonly serverUsPerDecision: {
        readonly registryRedis: number;
        readonly rateLimiterRedis: number;
      };
    };

interface StoreModule {
  readonly RedisStore: new (options: {
    client: unknown;
    keyPrefix?: string;
  }) => {
    close(): Promise<void>;
  };
}

/** Counts commands sent by `client` (monkey-patches its `sendCommand`). */
function countCommands(client: Redis): { read(): number } {
  let count = 0;
  const send = client.sendCommand.bind(client);
  client.sendCommand = ((...args: Parameters<Redis['sendCommand']>) => {
    count += 1;
    return send(...args);
  }) as Redis['sendCommand'];
  return { read: () => count };
}

async function connect(url: string): Promise<Redis | string> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return client;
  } catch (err) {
    client.disconnect();
    return `Redis not reachable at ${url} (${(err as Error).message})`;
  }
}

async function deleteKeys(client: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  for (let i = 0; i < 10_000; i++) {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await client.unlink(...keys);
    cursor = next;
    if (cursor === '0') return;
  }
}

/** Total calls and µs over every command type, from `INFO commandstats`. */
async function serverCommandTime(client: Redis): Promise<{ calls: number; usec: number }> {
  const text = await client.info('commandstats');
  let calls = 0;
  let usec = 0;
  for (const m of text.matchAll(/calls=(\d+),usec=(\d+)/g)) {
    calls += Number(m[1]);
    usec += Number(m[2]);
  }
  return { calls, usec };
}

/** Per operation, over `n` operations run one at a time. */
export interface PerOperation {
  /** Commands sent by the client. */
  readonly commands: number;
  /** Redis server time (all commands, `INFO commandstats` delta), µs; other clients add noise. */
  readonly serverUs: number;
}

async function perOperation(
  client: Redis,
  counter: { read(): number },
  op: () => Promise<unknown>,
): Promise<PerOperation> {
  const n = 500;
  const t0 = await serverCommandTime(client);
  const before = counter.read();
  for (let i = 0; i < n; i++) await op();
  const commands = (counter.read() - before) / n;
  const t1 = await serverCommandTime(client);
  return { commands, serverUs: (t1.usec - t0.usec) / n };
}

/**
 * Runs the Redis contenders (`count` rounds of `budgetMs` each).
 *
 * @param url - Redis URL.
 * @param storeModuleUrl - URL of the compiled `mcp-authflow-resource/redis` entry, if any.
 */
export async function runFrictionRedis(
  url: string,
  storeModuleUrl: string | undefined,
  budgetMs: number,
  count: number,
): Promise<RedisFigures> {
  if (storeModuleUrl === undefined) {
    return { available: false, reason: 'src/redis.ts does not exist (Redis store not landed)' };
  }
  const client = await connect(url);
  if (typeof client === 'string') return { available: false, reason: client };
  const prefix = `bench-${process.pid}-${Date.now()}:`;
  const mod = (await import(storeModuleUrl)) as StoreModule;
  const store = new mod.RedisStore({ client, keyPrefix: `${prefix}f:` });
  const registry = new FrictionRegistry({
    ...frictionOptions,
    maxClients: 10 * CLIENTS,
    store: store as never,
    logger: silentLogger,
  });
  const limiter = new RateLimiterRedis({
    storeClient: client,
    keyPrefix: `${prefix}rlf`,
    points: 1e12,
    duration: 3600,
  });
  const counter = countCommands(client);
  const mix: readonly Call[] = workload(0.2);
  const nextDecision = sequence();
  const nextConsume = sequence();
  const decide = () => {
    const i = nextDecision();
    const call = mix[i & (WORKLOAD_SIZE - 1)]!;
    const key = clientKeys[i % CLIENTS]!;
    return call.limited
      ? registry.checkAndRecord(key, call.tool)
      : registry.recordUnconfigured(key, call.tool);
  };
  const consume = () => limiter.consume(clientKeys[nextConsume() % CLIENTS]!);
  try {
    const info = await client.info('server');
    const redisVersion = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
    const rates = await rounds(
      [
        { name: 'registryRedis', run: () => asyncRate(decide, budgetMs) },
        { name: 'rateLimiterRedis', run: () => asyncRate(consume, budgetMs) },
        { name: 'registryRedis64', run: () => asyncRate(decide, budgetMs, 64) },
        { name: 'rateLimiterRedis64', run: () => asyncRate(consume, budgetMs, 64) },
      ],
      count,
    );
    const registryOp = await perOperation(client, counter, decide);
    const limiterOp = await perOperation(client, counter, consume);
    return {
      available: true,
      redisVersion,
      rates,
      commandsPerDecision: {
        registryRedis: registryOp.commands,
        rateLimiterRedis: limiterOp.commands,
      },
      serverUsPerDecision: {
        registryRedis: registryOp.serverUs,
        rateLimiterRedis: limiterOp.serverUs,
      },
    };
  } finally {
    await registry.close();
    await store.close();
    await deleteKeys(client, `${prefix}*`).catch(() => {});
    client.disconnect();
  }
}
