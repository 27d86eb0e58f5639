/**
 * Child-process entry of the friction benchmarks (compiled by `bench/lib/build.ts`): runs the
 * in-memory and Redis decision-rate contenders on the parent's command.
 *
 * @module
 */

import { runFrictionRedis } from '../friction-redis.js';
import { runFrictionMemory } from '../friction-throughput.js';
import { serveCommands } from '../lib/child.js';

serveCommands({
  memory: (args: { budgetMs: number; rounds: number }) =>
    runFrictionMemory(args.budgetMs, args.rounds),
  redis: (args: { url: string; storeModuleUrl?: string; budgetMs: number; rounds: number }) =>
    runFrictionRedis(args.url, args.storeModuleUrl, args.budgetMs, args.rounds),
});
