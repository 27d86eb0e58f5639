import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../../src/gateway/config/resolve.js';
import { type RunningGateway, runGateway } from '../../src/gateway/run.js';
import { silentLogger } from '../../src/lib/logger.js';
import { type AuthServer, startAuthServer } from '../helpers/auth-server.js';
import {
  type EverythingServer,
  freePort,
  type RecordingHop,
  startEverythingServer,
  startRecordingHop,
} from '../helpers/everything-server.js';
import { parseWwwAuthenticate } from '../helpers/www-authenticate.js';

let as: AuthServer;
let everything: EverythingServer;
let hop: RecordingHop;
let gateway: RunningGateway;
let publicUrl: string;

const LIMITED = 'get-tiny-image';

async function startGateway(argv: string[]): Promise<RunningGateway> {
  const loaded = loadGatewayConfig(argv, {});
  if (loaded.help) throw new Error('unexpected help');
  return runGateway(loaded.config, {
    logger: process.env.GW_DEBUG
      ? { ...silentLogger, warn: console.warn, error: console.error }
      : silentLogger,
  });
}

beforeAll(async () => {
  as = await startAuthServer({
    scopes: ['read', 'write'],
    jwtResources: (r) => r.endsWith('/mcp'),
  });
  everything = await startEverythingServer();
  hop = await startRecordingHop(everything.url);
  const port = await freePort();
  publicUrl = `http://127.0.0.1:${port}/mcp`;
  const file = join(tmpdir(), `gateway-${port}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      toolConfigs: { [LIMITED]: { targetRate: 0.9, ceiling: { limit: 2, windowMs: 60_000 } } },
    }),
  );
  gateway = await startGateway([
    '--upstream',
    hop.url,
    '--public-url',
    publicUrl,
    '--port',
    String(port),
    '--issuer',
    as.issuer,
    '--allow-localhost',
    '--scopes',
    'read',
    '--tool-scope',
    'get-sum=write',
    '--identity-headers',
    '--upstream-header',
    'X-Upstream-Key: gateway-own-credential',
    '--config',
    file,
  ]);
}, 30_000);

afterAll(async () => {
  await gateway?.close();
  await hop?.close();
  await everything?.close();
  await as?.close();
});

function sdkClient(scope: string) {
  const provider = new ClientCredentialsProvider({
    clientId: as.clients.m2m.clientId,
    clientSecret: as.clients.m2m.clientSecret,
    scope,
    expectedIssuer: as.issuer,
  });
  const client = new Client({ name: 'gateway-e2e', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(publicUrl), {
    authProvider: provider,
  });
  return { client, transport, provider };
}

function textOf(result: Awaited<ReturnType<Client['callTool']>>): string {
  return (result.content as { text?: string }[]).map((c) => c.text ?? '').join('');
}

function post(token: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(publicUrl, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'raw', version: '1.0.0' },
  },
};

describe('the gateway in front of server-everything, with the SDK client', () => {
  it('discovery → token → tools/list → tools/call; the token never reaches the upstream', async () => {
    const { client, transport, provider } = sdkClient('read');
    await client.connect(transport);
    try {
      const token = provider.tokens()?.access_token as string;
      expect(token.split('.')).toHaveLength(3);
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(
        expect.arrayContaining(['echo', 'get-sum', LIMITED]),
      );
      const result = await client.callTool({ name: 'echo', arguments: { message: 'hi' } });
      expect(textOf(result)).toContain('hi');
      expect(transport.sessionId).toEqual(expect.any(String));
      expect(hop.requests.length).toBeGreaterThan(0);
      for (const r of hop.requests) {
        expect(r.headers.authorization).toBeUndefined();
        expect(JSON.stringify(r.headers)).not.toContain(token);
        expect(r.headers['x-upstream-key']).toBe('gateway-own-credential');
        expect(r.headers['x-authflow-client-id']).toBe(as.clients.m2m.clientId);
        expect(r.headers['x-authflow-scopes']).toBe('read');
      }
      expect(hop.requests.some((r) => r.headers['mcp-session-id'] === transport.sessionId)).toBe(
        true,
      );
    } finally {
      await client.close();
    }
  });

  it('serves the protected resource metadata of the public URL and health checks', async () => {
    const origin = new URL(publicUrl).origin;
    const prm = await fetch(`${origin}/.well-known/oauth-protected-resource/mcp`);
    expect(prm.status).toBe(200);
    expect(await prm.json()).toMatchObject({
      resource: publicUrl,
      authorization_servers: [as.issuer],
      scopes_supported: ['read', 'write'],
    });
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    expect((await fetch(`${origin}/readyz`)).status).toBe(200);
    const bare = await fetch(publicUrl, { method: 'POST', body: '{}' });
    expect(bare.status).toBe(401);
  });

  it('drops identity headers the client sends itself', async () => {
    const token = await as.issueToken({ scope: 'read', resource: publicUrl });
    const before = hop.requests.length;
    const res = await post(token, INITIALIZE, {
      'x-authflow-subject': 'admin',
      'x-authflow-scopes': 'read write admin',
      dpop: 'forged',
    });
    expect(res.status).toBe(200);
    const seen = hop.requests.slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers['x-authflow-subject']).not.toBe('admin');
    expect(seen[0]?.headers['x-authflow-scopes']).toBe('read');
    expect(seen[0]?.headers.dpop).toBeUndefined();
  });

  it('streams progress notifications of a long call as they happen', async () => {
    const { client, transport } = sdkClient('read');
    await client.connect(transport);
    try {
      const started = Date.now();
      const progress: number[] = [];
      const result = await client.callTool(
        { name: 'trigger-long-running-operation', arguments: { duration: 1.2, steps: 4 } },
        undefined,
        { onprogress: () => progress.push(Date.now() - started) },
      );
      const total = Date.now() - started;
      expect(textOf(result)).toContain('Long running operation completed');
      expect(progress).toHaveLength(4);
      // Unbuffered: the first event arrives about a step in, long before the call ends.
      expect(progress[0]).toBeLessThan(total - 500);
    } finally {
      await client.close();
    }
  });

  it('a tool needing more scope: 403 step-up, and the call never reached the upstream', async () => {
    const token = await as.issueToken({ scope: 'read', resource: publicUrl });
    const res = await post(token, {
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'get-sum', arguments: { a: 1, b: 2 } },
    });
    expect(res.status).toBe(403);
    const challenge = parseWwwAuthenticate(res.headers.get('www-authenticate') ?? '');
    expect(challenge.params.error).toBe('insufficient_scope');
    expect(challenge.params.scope?.split(' ')).toEqual(expect.arrayContaining(['write']));
    expect(hop.toolCalls()).not.toContain('get-sum');
  });

  it('friction: a refused call gets an isError result with a retry hint, upstream untouched', async () => {
    const { client, transport } = sdkClient('read');
    await client.connect(transport);
    try {
      const before = hop.toolCalls().filter((t) => t === LIMITED).length;
      const results = [];
      for (let i = 0; i < 4; i++)
        results.push(await client.callTool({ name: LIMITED, arguments: {} }));
      const refused = results.filter((r) => r.isError === true);
      expect(refused.length).toBeGreaterThanOrEqual(1);
      expect(textOf(refused[0] as never)).toMatch(/temporarily rate-limited.*before retrying/);
      const reached = hop.toolCalls().filter((t) => t === LIMITED).length - before;
      expect(reached).toBe(results.length - refused.length);
    } finally {
      await client.close();
    }
  });
});

describe('failures mapped at the gateway', () => {
  it('the upstream down → 502', async () => {
    const port = await freePort();
    const deadUpstream = `http://127.0.0.1:${await freePort()}/mcp`;
    const url = `http://127.0.0.1:${port}/mcp`;
    const down = await startGateway([
      '--upstream',
      deadUpstream,
      '--public-url',
      url,
      '--port',
      String(port),
      '--issuer',
      as.issuer,
      '--allow-localhost',
    ]);
    try {
      const token = await as.issueToken({ scope: 'read', resource: url });
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify(INITIALIZE),
      });
      expect(res.status).toBe(502);
      expect(await res.json()).toMatchObject({ error: { code: -32603 } });
    } finally {
      await down.close();
    }
  });

  it('an upstream that never answers → 504 after --upstream-timeout-ms', async () => {
    const silent = createServer(() => {});
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/mcp`;
    const slow = await startGateway([
      ...['--upstream', `http://127.0.0.1:${(silent.address() as AddressInfo).port}/mcp`],
      ...['--public-url', url, '--port', String(port), '--upstream-timeout-ms', '300'],
      ...['--issuer', as.issuer, '--allow-localhost'],
    ]);
    try {
      const token = await as.issueToken({ scope: 'read', resource: url });
      const started = Date.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify(INITIALIZE),
      });
      expect(res.status).toBe(504);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    } finally {
      await slow.close();
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('the authorization server down → 503 with Retry-After', async () => {
    const port = await freePort();
    // Not ending in /mcp: the fixture issues an opaque token, verified by introspection.
    const url = `http://127.0.0.1:${port}/rpc`;
    const intro = await startGateway([
      '--upstream',
      hop.url,
      '--public-url',
      url,
      '--port',
      String(port),
      '--introspection-endpoint',
      as.introspectionEndpoint,
      '--client-id',
      as.clients.basic.clientId,
      '--authorization-server',
      as.issuer,
      '--allow-localhost',
      '--config',
      writeSecret(as.clients.basic.clientSecret),
    ]);
    try {
      const token = await as.issueToken({ scope: 'read', resource: url });
      const call = () =>
        fetch(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
          },
          body: JSON.stringify(INITIALIZE),
        });
      await as.stop();
      const res = await call();
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toEqual(expect.any(String));
    } finally {
      await as.start();
      await intro.close();
    }
  });
});

function writeSecret(secret: string): string {
  const file = join(tmpdir(), `gateway-secret-${process.pid}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify({ clientSecret: secret }), { mode: 0o600 });
  return file;
}
