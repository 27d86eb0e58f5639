import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FrictionRegistry, type FrictionRegistryOptions } from '../../src/friction/registry.js';
import { silentLogger } from '../../src/lib/logger.js';
import { RedisStore } from '../../src/store/redis.js';
import {
  deleteKeys,
  describeRedis,
  REDIS_URL,
  redisClient,
  uniquePrefix,
} from '../helpers/redis-env.js';
import { decodeStored } from '../store/_state-layout.js';

const OPTIONS = {
  defaultConfig: { warmupCalls: 5 },
  toolConfigs: { delete_task: { targetRate: 0.05 } },
} satisfies FrictionRegistryOptions;
const T0 = 1_700_000_000_000;
const CALLS = 60;

interface Call {
  readonly allowed: boolean;
  readonly friction: number;
}

async function spam(call: (i: number, t: number) => Promise<Call>): Promise<Call[]> {
  const out: Call[] = [];
  for (let i = 0; i < CALLS; i++) out.push(await call(i, T0 + i * 250));
  return out;
}

const firstBlocked = (calls: readonly Call[]) => calls.findIndex((c) => !c.allowed);

describeRedis('Redis store shared by replicas', () => {
  const prefix = uniquePrefix('replicas');
  const clients: Redis[] = [];
  let reference: Call[];
  const client = () => {
    const c = redisClient();
    clients.push(c);
    return c;
  };
  const replica = (keyPrefix: string, clock: () => number) =>
    new FrictionRegistry({
      ...OPTIONS,
      store: new RedisStore({ client: client(), keyPrefix, logger: silentLogger }),
      now: clock,
      logger: silentLogger,
    });

  beforeAll(async () => {
    let t = 0;
    const single = new FrictionRegistry({ ...OPTIONS, now: () => t, logger: silentLogger });
    reference = await spam((_, now) => {
      t = now;
      return single.checkAndRecord('spammer', 'delete_task');
    });
    expect(firstBlocked(reference)).toBeGreaterThan(5);
  });

  afterAll(async () => {
    await deleteKeys(clients[0]!, prefix);
    for (const c of clients) c.disconnect();
  });

  it('two registries alternating calls block at the same call as one registry', async () => {
    let t = 0;
    const keyPrefix = `${prefix}alt:`;
    const a = replica(keyPrefix, () => t);
    const b = replica(keyPrefix, () => t);
    const calls = await spam((i, now) => {
      t = now;
      return (i % 2 === 0 ? a : b).checkAndRecord('spammer', 'delete_task');
    });
    expect(firstBlocked(calls)).toBe(firstBlocked(reference));
    calls.forEach((c, i) => {
      expect(c.allowed).toBe(reference[i]!.allowed);
      expect(Math.abs(c.friction - reference[i]!.friction)).toBeLessThan(1e-9);
    });
    const alone = replica(`${prefix}alone:`, () => t);
    expect((await spam(() => alone.checkAndRecord('other', 'delete_task')))[0]!.friction).toBe(0);
  });

  it('records exactly 200 concurrent calls across two registries', async () => {
    const keyPrefix = `${prefix}concurrent:`;
    const opts = { toolConfigs: { delete_task: { hardBlockThreshold: 2 } } };
    const mk = () =>
      new FrictionRegistry({
        ...opts,
        defaultConfig: { controller: 'proportional', windowSize: 500 },
        store: new RedisStore({ client: client(), keyPrefix, logger: silentLogger }),
        logger: silentLogger,
      });
    const [a, b] = [mk(), mk()];
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        (i % 2 === 0 ? a : b).checkAndRecord('c', i % 3 === 0 ? 'get_tasks' : 'delete_task'),
      ),
    );
    expect(results.every((r) => r.allowed)).toBe(true);
    const keys = await clients[0]!.keys(`${keyPrefix}friction:*`);
    expect(keys).toHaveLength(1);
    const state = decodeStored((await clients[0]!.getBuffer(keys[0]!))!);
    expect(state.scalars.n).toBe(200);
    expect(state.scalars.size).toBe(200);
  });

  it('two child processes alternating calls block at the same call', async () => {
    const keyPrefix = `${prefix}procs:`;
    const procs = [startReplica(keyPrefix), startReplica(keyPrefix)];
    try {
      await Promise.all(procs.map((p) => p.next()));
      const calls = await spam(async (i, t) => {
        const p = procs[i % 2]!;
        p.child.stdin.write(`${JSON.stringify({ tool: 'delete_task', t })}\n`);
        return JSON.parse(await p.next()) as Call;
      });
      expect(firstBlocked(calls)).toBe(firstBlocked(reference));
      for (const [i, c] of calls.entries()) {
        expect(Math.abs(c.friction - reference[i]!.friction)).toBeLessThan(1e-9);
      }
    } finally {
      for (const p of procs) p.child.stdin.end();
      await Promise.all(procs.map((p) => p.exited));
    }
  }, 30_000);
});

function startReplica(keyPrefix: string) {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      './scripts/lua-loader.mjs',
      'test/helpers/redis-replica.ts',
      REDIS_URL,
      keyPrefix,
      JSON.stringify(OPTIONS),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const lines: Interface = createInterface({ input: child.stdout });
  const queue: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => {
    const w = waiting.shift();
    if (w) w(line);
    else queue.push(line);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const line = queue.shift();
      if (line !== undefined) return resolve(line);
      const timer = setTimeout(
        () => reject(new Error(`replica silent; stderr: ${stderr}`)),
        20_000,
      );
      waiting.push((l) => {
        clearTimeout(timer);
        resolve(l);
      });
    });
  return { child, next, exited };
}
