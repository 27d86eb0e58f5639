/**
 * Child-process entry of benchmark 6, memory per client (run with `--expose-gc`): heap growth
 * per tracked client of `FrictionRegistry` on the memory store, next to rate-limiter-flexible's
 * `RateLimiterMemory` per key, after a full GC.
 *
 * @module
 */

import { RateLimiterMemory } from 'rate-limiter-flexible';
import { FrictionRegistry } from '../../src/friction/registry.js';
import { silentLogger } from '../../src/lib/logger.js';
import { frictionOptions } from '../friction-throughput.js';
import { serveCommands } from '../lib/child.js';

/** Heap used after two full collections. */
function settledHeap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Result of one measurement. */
export interface MemoryFigures {
  readonly clients: number;
  readonly registryBytesPerClient: number;
  readonly registryClientCount: number;
  readonly rateLimiterBytesPerKey: number;
  readonly rssAfter: number;
}

async function measure(args: { clients: number }): Promise<MemoryFigures> {
  const n = args.clients;
  const registry = new FrictionRegistry({
    ...frictionOptions,
    maxClients: 2 * n,
    logger: silentLogger,
  });
  const base = settledHeap();
  for (let i = 0; i < n; i++) {
    const key = `client-${i}`;
    await registry.checkAndRecord(key, 'create_task');
    await registry.recordUnconfigured(key, 'get_tasks');
  }
  const registryBytes = settledHeap() - base;
  const registryClientCount = registry.clientCount;
  const limiter = new RateLimiterMemory({ points: 1e12, duration: 3600 });
  const base2 = settledHeap();
  for (let i = 0; i < n; i++) await limiter.consume(`client-${i}`);
  const limiterBytes = settledHeap() - base2;
  const result = {
    clients: n,
    registryBytesPerClient: registryBytes / n,
    registryClientCount,
    rateLimiterBytesPerKey: limiterBytes / n,
    rssAfter: process.memoryUsage.rss(),
  };
  await registry.close();
  return result;
}

serveCommands({ measure });
