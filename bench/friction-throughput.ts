/**
 * Benchmark 5 (in memory), friction decisions per second: `FrictionController` alone (11
 * configured tools + one group), `FrictionRegistry` on the memory store (1 000 clients; the
 * default `'adaptive'` controller and the `'proportional'` one), and
 * rate-limiter-flexible's `RateLimiterMemory.consume()` on the same keys, alternated in one run.
 *
 * Workload: 20 % of calls go to one of the 11 limited tools (`checkAndRecord`), 80 % to a read
 * tool (`recordUnconfigured`), seeded; the clock advances 1 ms per call.
 *
 * @module
 */

import { RateLimiterMemory } from 'rate-limiter-flexible';
import { FrictionController } from '../src/friction/controller.js';
import { FrictionRegistry } from '../src/friction/registry.js';
import { silentLogger } from '../src/lib/logger.js';
import { MUTATION_GROUP, MUTATION_TOOLS } from '../test/friction/_fixtures.js';
import { mulberry32 } from './lib/prng.js';
import { asyncRate, type RoundFigures, rounds, syncRate } from './lib/timing.js';

/** One call of the workload. */
export interface Call {
  readonly tool: string;
  readonly limited: boolean;
}

/** Calls in a workload cycle (power of two). */
export const WORKLOAD_SIZE = 4096;
/** Distinct client keys of the registry and limiter runs. */
export const CLIENTS = 1000;

/**
 * The seeded workload: `mutationShare` of calls to a random limited tool, the rest `get_tasks`.
 */
export function workload(mutationShare: number, seed = 7): readonly Call[] {
  const rand = mulberry32(seed);
  const names = Object.keys(MUTATION_TOOLS);
  return Array.from({ length: WORKLOAD_SIZE }, () =>
    rand() < mutationShare
      ? { tool: names[Math.floor(rand() * names.length)]!, limited: true }
      : { tool: 'get_tasks', limited: false },
  );
}

/** Client keys `client-0` … */
export const clientKeys: readonly string[] = Array.from({ length: CLIENTS }, (_, i) => `c-${i}`);

/**
 * A call counter that keeps going across rounds, so every round continues each client's call
 * sequence instead of replaying its first calls (which would skew a client's tool mix).
 */
export function sequence(): () => number {
  let next = 0;
  return () => next++;
}

/** Friction options shared by every contender. */
export const frictionOptions = {
  toolConfigs: MUTATION_TOOLS,
  toolGroups: { mutations: MUTATION_GROUP },
};

/** Result of {@link runFrictionMemory}: decisions per second (median) and raw rounds. */
export type RateTable = Record<string, RoundFigures>;

/** Runs the in-memory contenders for `count` rounds of `budgetMs` each. */
export async function runFrictionMemory(budgetMs: number, count: number): Promise<RateTable> {
  const mix = workload(0.2);
  const allLimited = workload(1);
  let clock = Date.now();
  const now = () => clock;
  const controller = new FrictionController({ ...frictionOptions, now });
  const controllerAll = new FrictionController({ ...frictionOptions, now });
  const controllerProp = new FrictionController({
    ...frictionOptions,
    controller: 'proportional',
    now,
  });
  const registry = new FrictionRegistry({
    ...frictionOptions,
    maxClients: 10 * CLIENTS,
    now,
    logger: silentLogger,
  });
  const proportional = new FrictionRegistry({
    ...frictionOptions,
    defaultConfig: { controller: 'proportional' },
    maxClients: 10 * CLIENTS,
    now,
    logger: silentLogger,
  });
  const limiter = new RateLimiterMemory({ points: 1e12, duration: 3600 });
  const [a, b, c, d, e, f] = [
    sequence(),
    sequence(),
    sequence(),
    sequence(),
    sequence(),
    sequence(),
  ];
  const decide = (reg: FrictionRegistry, next: () => number) => {
    const i = next();
    clock += 1;
    const call = mix[i & (WORKLOAD_SIZE - 1)]!;
    const key = clientKeys[i % CLIENTS]!;
    return call.limited
      ? reg.checkAndRecord(key, call.tool)
      : reg.recordUnconfigured(key, call.tool);
  };
  const step = (c: FrictionController, call: Call) => {
    clock += 1;
    return call.limited
      ? c.checkAndRecord(call.tool, clock)
      : c.recordUnconfigured(call.tool, clock);
  };
  const table = await rounds(
    [
      {
        name: 'controller',
        run: () => syncRate(() => step(controller, mix[a() & (WORKLOAD_SIZE - 1)]!), budgetMs),
      },
      {
        name: 'controllerProportional',
        run: () => syncRate(() => step(controllerProp, mix[f() & (WORKLOAD_SIZE - 1)]!), budgetMs),
      },
      {
        name: 'controllerAllLimited',
        run: () =>
          syncRate(() => step(controllerAll, allLimited[b() & (WORKLOAD_SIZE - 1)]!), budgetMs),
      },
      { name: 'registryMemory', run: () => asyncRate(() => decide(registry, c), budgetMs) },
      {
        name: 'registryMemoryProportional',
        run: () => asyncRate(() => decide(proportional, e), budgetMs),
      },
      {
        name: 'rateLimiterMemory',
        run: () => asyncRate(() => limiter.consume(clientKeys[d() % CLIENTS]!), budgetMs),
      },
    ],
    count,
  );
  await registry.close();
  await proportional.close();
  return table;
}
