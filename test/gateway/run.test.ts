import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayConfigError } from '../../src/gateway/config/error.js';
import { type GatewayConfig, loadGatewayConfig } from '../../src/gateway/config/resolve.js';
import { createJsonLogger } from '../../src/gateway/logger.js';
import { runGateway } from '../../src/gateway/run.js';
import { silentLogger } from '../../src/lib/logger.js';
import { freePort } from '../helpers/everything-server.js';
import { describeRedis, REDIS_URL, uniquePrefix } from '../helpers/redis-env.js';

async function config(extra: string[]): Promise<GatewayConfig> {
  const port = await freePort();
  const loaded = loadGatewayConfig(
    [
      ...['--upstream', 'http://127.0.0.1:1/mcp', '--issuer', 'http://127.0.0.1:2'],
      ...['--allow-localhost', '--port', String(port), ...extra],
    ],
    {},
  );
  if (loaded.help) throw new Error('help');
  return loaded.config;
}

async function refusal(extra: string[]): Promise<string> {
  try {
    const running = await runGateway(await config(extra), { logger: silentLogger });
    await running.close();
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayConfigError);
    return (err as GatewayConfigError).field;
  }
  throw new Error('started');
}

describe('runGateway', () => {
  it('starts, answers /healthz and stops', async () => {
    const running = await runGateway(await config([]), { logger: silentLogger });
    const res = await fetch(`${running.origin}/healthz`);
    expect(await res.json()).toEqual({ status: 'ok' });
    await running.close();
    await expect(fetch(`${running.origin}/healthz`)).rejects.toThrow();
  });

  it('refuses what only fails when used, naming the field', async () => {
    const file = join(tmpdir(), `gateway-run-${process.pid}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        toolConfigs: { rm: { targetRate: 0.5, ceiling: { limit: -1, windowMs: 0 } } },
      }),
    );
    expect(await refusal(['--config', file])).toBe('toolConfigs');
    expect(await refusal(['--redis', `redis://127.0.0.1:${await freePort()}`])).toBe('--redis');
    const stdio = loadGatewayConfig(['--stdio', 'srv', '--issuer', 'https://as'], {});
    if (stdio.help) throw new Error('help');
    await expect(runGateway(stdio.config, { logger: silentLogger })).rejects.toMatchObject({
      field: '--stdio',
    });
  });
});

describeRedis('runGateway with --redis', () => {
  it('connects, shares friction through Redis, and quits on close', async () => {
    const running = await runGateway(
      await config([
        ...['--redis', REDIS_URL, '--redis-key-prefix', uniquePrefix('gateway-run')],
        ...['--friction', 'rm=0.5'],
      ]),
      { logger: silentLogger },
    );
    expect((await fetch(`${running.origin}/readyz`)).status).toBe(200);
    await running.close();
  });
});

describe('createJsonLogger', () => {
  it('writes one JSON line per record at or above its level', () => {
    const lines: string[] = [];
    const logger = createJsonLogger('warn', (line) => lines.push(line));
    logger.debug({ event: 'a' });
    logger.info({ event: 'b' });
    logger.warn({ event: 'c' });
    logger.error({ event: 'd' });
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ level: 'warn', event: 'c', time: expect.any(String) }),
      expect.objectContaining({ level: 'error', event: 'd' }),
    ]);
  });
});
