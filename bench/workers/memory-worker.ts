/**
 * Child-process entry of benchmark 6, memory per client (run with `--expose-gc`): heap growth
 * per tracked client of `FrictionRegistry` on the memory store (both controllers), next to rate-limiter-flexible's
 * `RateLimiterMemory` per key, after a full GC.
 *
 * @module
 */

import { RateLimiterMemory } from 'rate-limiter-flexible';
import { FrictionRegistry } from '../../src/friction/registry.js';
import { silentLogger } from '../../src/lib/logger.js';
import { frictionOptions } from '../friction-throughput.js';
import { serveCommands } from '../lib/child.js';

/**
 * Heap used plus `ArrayBuffer` backing stores (typed arrays larger than 64 bytes live outside
 * the V8 heap) after two full collections.
 */
function settledHeap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Result of one measurement. */
export interface MemoryFigures {
  readonly clients: number;
  /** Default (`'adaptive'`) controller. */
  readonly registryBytesPerClient: number;
  readonly registryClientCount: number;
  /** The `'proportional'` controller. */
  readonly proportionalBytesPerClient: number;
  readonly rateLimiterBytesPerKey: number;
  readonly rssAfter: number;
}

/** Heap growth per client of a registry with `n` clients (one limited and one read call each). */
async function perClient(n: number, controller: 'adaptive' | 'proportional') {
  const registry = new FrictionRegistry({
    ...frictionOptions,
    defaultConfig: { controller },
    maxClients: 2 * n,
    logger: silentLogger,
  });
  const base = settledHeap();
  for (let i = 0; i < n; i++) {
    const key = `client-${i}`;
    await registry.checkAndRecord(key, 'create_task');
    await registry.recordUnconfigured(key, 'get_tasks');
  }
  const bytes = settledHeap() - base;
  const count = registry.clientCount;
  await registry.close();
  return { bytesPerClient: bytes / n, count };
}

async function measure(args: { clients: number }): Promise<MemoryFigures> {
  const n = args.clients;
  const adaptive = await perClient(n, 'adaptive');
  const proportional = await perClient(n, 'proportional');
  const limiter = new RateLimiterMemory({ points: 1e12, duration: 3600 });
  const base2 = settledHeap();
  for (let i = 0; i < n; i++) await limiter.consume(`client-${i}`);
  const limiterBytes = settledHeap() - base2;
  const result = {
    clients: n,
    registryBytesPerClient: adaptive.bytesPerClient,
    registryClientCount: adaptive.count,
    proportionalBytesPerClient: proportional.bytesPerClient,
    rateLimiterBytesPerKey: limiterBytes / n,
    rssAfter: process.memoryUsage.rss(),
  };
  return result;
}

serveCommands({ measure });
