import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { TokenRejectedError } from '../../src/errors.js';
import { createLoggingMiddleware, normalizePath, requireBearerAuth } from '../../src/node.js';
import { captureLogger } from '../helpers/auth-log-capture.js';

const TOKEN = 'node-token-123';

const verifier = {
  async verifyAccessToken(token: string): Promise<AuthInfo> {
    if (token !== TOKEN) throw new TokenRejectedError('ERR_TOKEN_INACTIVE', 'inactive');
    return { token, clientId: 'node-client', scopes: ['read'], expiresAt: Date.now() / 1000 + 60 };
  },
};

let server: Server | undefined;

afterEach(async () => {
  if (server === undefined) return;
  const closed = once(server, 'close');
  server.close();
  server.closeAllConnections();
  await closed;
  server = undefined;
});

async function start(
  maxBodyBytes?: number,
): Promise<{ url: string; logs: ReturnType<typeof captureLogger> }> {
  const logs = captureLogger();
  const gate = requireBearerAuth({
    verifier,
    serverUrl: 'http://127.0.0.1/mcp',
    toolScopes: { add: ['write'] },
    ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
  });
  const normalize = normalizePath();
  const log = createLoggingMiddleware({ logger: logs });
  server = createServer(async (req, res) => {
    log(req, res);
    normalize(req);
    const passed = await gate(req, res);
    if (passed === undefined) return;
    const auth = (req as { auth?: AuthInfo }).auth;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ url: req.url, body: passed.body, clientId: auth?.clientId }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, logs };
}

function post(url: string, body: string, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body,
  });
}

describe('requireBearerAuth (node:http)', () => {
  it('parses the JSON body, hands it on and sets req.auth', async () => {
    const { url } = await start();
    const res = await post(
      `${url}/mcp/?a=1`,
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      url: '/mcp?a=1',
      body: { jsonrpc: '2.0', id: 1, method: 'ping' },
      clientId: 'node-client',
    });
  });

  it('checks toolScopes from the body it parsed', async () => {
    const { url } = await start();
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'add' },
    });
    const res = await post(`${url}/mcp`, body);
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(await res.json()).toMatchObject({ error: 'insufficient_scope' });
  });

  it('401 without a token (even before a bad body), then a JSON-RPC parse error with one', async () => {
    const { url } = await start();
    const anonymous = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{nope',
    });
    expect(anonymous.status).toBe(401);
    const res = await post(`${url}/mcp`, '{nope');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32700, message: 'Parse error: The request body is not JSON' },
    });
  });

  it('413 for a body over maxBodyBytes, declared or streamed', async () => {
    const { url } = await start(64);
    const big = JSON.stringify({ pad: 'x'.repeat(200) });
    expect((await post(`${url}/mcp`, big)).status).toBe(413);
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${url}/mcp`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(big.slice(0, 100));
      req.end(big.slice(100));
    });
    expect(streamed).toBe(413);
  });

  it('refuses non-JSON media types with 400 and leaves GET bodiless', async () => {
    const { url } = await start();
    const text = await post(`${url}/mcp`, 'hello', { 'content-type': 'text/plain' });
    expect(text.status).toBe(400);
    const get = await fetch(`${url}/mcp`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(get.status).toBe(200);
  });

  it('logs one record per request with the clientId and no token', async () => {
    const { url, logs } = await start();
    await post(`${url}/mcp?token=${TOKEN}`, '{"jsonrpc":"2.0","method":"ping","id":1}');
    await fetch(`${url}/mcp`, { method: 'POST' });
    await expect.poll(() => logs.records.length).toBe(2);
    expect(logs.records.map((r) => [r.record.status, r.record.clientId])).toEqual([
      [200, 'node-client'],
      [401, null],
    ]);
    expect(logs.text()).not.toContain(TOKEN);
  });
});
