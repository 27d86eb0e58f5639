/**
 * A replica process for the Redis integration tests: a `FrictionRegistry` on a `RedisStore`.
 * Reads one JSON command per stdin line (`{ "tool", "t" }`, `t` = the clock for this call) and
 * answers one JSON line `{ "allowed", "friction" }`. Run with `node --import tsx`; argv: Redis
 * URL, key prefix, JSON registry options.
 *
 * @module
 */

import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { FrictionRegistry } from '../../src/friction/registry.js';
import { silentLogger } from '../../src/lib/logger.js';
import { RedisStore } from '../../src/store/redis.js';

const [url, keyPrefix, options] = process.argv.slice(2);
const client = new Redis(url!, { maxRetriesPerRequest: 1 });
const store = new RedisStore({ client, keyPrefix: keyPrefix!, logger: silentLogger });
let now = 0;
const registry = new FrictionRegistry({
  ...JSON.parse(options!),
  store,
  now: () => now,
  logger: silentLogger,
});

const lines = createInterface({ input: process.stdin });
lines.on('line', async (line) => {
  const { tool, t } = JSON.parse(line) as { tool: string; t: number };
  now = t;
  const r = await registry.checkAndRecord('spammer', tool);
  process.stdout.write(`${JSON.stringify({ allowed: r.allowed, friction: r.friction })}\n`);
});
lines.on('close', () => {
  void store.close().then(() => client.quit());
});
process.stdout.write('ready\n');
