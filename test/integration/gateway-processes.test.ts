import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthServer, startAuthServer } from '../helpers/auth-server.js';
import {
  type EverythingServer,
  freePort,
  startEverythingServer,
} from '../helpers/everything-server.js';
import { type GatewayProcess, startGatewayProcess } from '../helpers/gateway-process.js';
import {
  deleteKeys,
  describeRedis,
  REDIS_URL,
  redisClient,
  uniquePrefix,
} from '../helpers/redis-env.js';

let as: AuthServer;
let everything: EverythingServer;
const processes: GatewayProcess[] = [];

beforeAll(async () => {
  as = await startAuthServer({
    scopes: ['read', 'write'],
    jwtResources: (r) => r.endsWith('/mcp'),
  });
  everything = await startEverythingServer();
}, 60_000);

afterAll(async () => {
  for (const p of processes) await p.kill();
  await everything?.close();
  await as?.close();
});

/** Settings shared by every gateway here, through the environment as an operator would. */
function env(): Record<string, string> {
  return {
    AUTHFLOW_UPSTREAM: everything.url,
    AUTHFLOW_ISSUER: as.issuer,
    AUTHFLOW_ALLOW_LOCALHOST: 'true',
    AUTHFLOW_SCOPES: 'read',
    AUTHFLOW_LOG_LEVEL: 'info',
  };
}

async function gatewayAt(publicUrl: string, extra: string[] = []): Promise<GatewayProcess> {
  const port = new URL(publicUrl).port;
  const started = await startGatewayProcess(
    ['--port', port, '--public-url', publicUrl, ...extra],
    env(),
  );
  processes.push(started);
  return started;
}

async function connect(url: string): Promise<Client> {
  const provider = new ClientCredentialsProvider({
    clientId: as.clients.m2m.clientId,
    clientSecret: as.clients.m2m.clientSecret,
    scope: 'read',
    expectedIssuer: as.issuer,
  });
  const client = new Client({ name: 'gateway-process', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { authProvider: provider }));
  return client;
}

describe('the gateway process', () => {
  it('SIGTERM with a call in flight: the call finishes, then the process exits 0', async () => {
    const url = `http://127.0.0.1:${await freePort()}/mcp`;
    const gateway = await gatewayAt(url);
    const client = await connect(url);
    let signalled = false;
    const result = await client.callTool(
      { name: 'trigger-long-running-operation', arguments: { duration: 1.5, steps: 3 } },
      undefined,
      {
        onprogress: () => {
          if (signalled) return;
          signalled = true;
          gateway.child.kill('SIGTERM');
        },
      },
    );
    expect(signalled).toBe(true);
    expect(JSON.stringify(result.content)).toContain('Long running operation completed');
    expect(await gateway.exited).toBe(0);
    expect(gateway.logs.some((l) => l.includes('"gateway_stopped"'))).toBe(true);
    await expect(fetch(new URL('/healthz', url))).rejects.toThrow();
    await client.close().catch(() => {});
  }, 120_000);

  it('exits 2 naming the field for a bad value', async () => {
    await expect(startGatewayProcess(['--port', '70000'], env())).rejects.toThrow(
      /exited 2[\s\S]*--port: must be a whole number from 0 to 65535/,
    );
  }, 120_000);
});

describeRedis('two gateway processes sharing Redis', () => {
  const prefix = uniquePrefix('gateway');

  afterAll(async () => {
    const redis = redisClient();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('limit one client together', async () => {
    const file = join(tmpdir(), `gateway-shared-${process.pid}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        redis: REDIS_URL,
        redisKeyPrefix: prefix,
        // A one-hour window: GCRA admits one more call every windowMs / limit, so a slow run must
        // never earn a fourth call back while the eight calls are made.
        toolConfigs: { echo: { targetRate: 0.9, ceiling: { limit: 3, windowMs: 3_600_000 } } },
      }),
    );
    const urls = [0, 1].map(() => '');
    for (const i of [0, 1]) urls[i] = `http://127.0.0.1:${await freePort()}/mcp`;
    await Promise.all(urls.map((u) => gatewayAt(u, ['--config', file])));
    const clients = await Promise.all(urls.map((u) => connect(u)));
    try {
      const refusedBy = [0, 0];
      let allowed = 0;
      for (let i = 0; i < 8; i++) {
        const which = i % 2;
        const result = await (clients[which] as Client).callTool({
          name: 'echo',
          arguments: { message: `m${i}` },
        });
        if (result.isError === true) refusedBy[which] = (refusedBy[which] as number) + 1;
        else allowed += 1;
      }
      // Each replica alone would allow its 4 calls (3 under its own ceiling): shared, 3 in all.
      expect(allowed).toBe(3);
      expect(refusedBy.every((n) => n > 0)).toBe(true);
    } finally {
      for (const c of clients) await c.close().catch(() => {});
    }
  }, 120_000);
});
