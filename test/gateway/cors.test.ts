/**
 * Opt-in CORS on the gateway's MCP endpoint, over real HTTP on 127.0.0.1: preflights answered
 * before the gate (and never forwarded), refusals and forwarded answers readable by an allowed
 * origin (the upstream's exposed headers merged, its own CORS replaced), nothing when off.
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../../src/gateway/config/resolve.js';
import { runGateway } from '../../src/gateway/run.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/gateway/server.js';
import { silentLogger } from '../../src/lib/logger.js';
import { freePort } from '../helpers/everything-server.js';
import { TEST_GATEWAY } from './_options.js';
import { type RealTokens, startRealTokens } from './_tokens.js';

const APP = 'https://app.example.com';
const OTHER = 'https://evil.example.com';
const LIST = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
const ADMIN_CALL = JSON.stringify({
  jsonrpc: '2.0',
  id: 2,
  method: 'tools/call',
  params: { name: 'admin', arguments: {} },
});

const PUBLIC_URL = 'http://127.0.0.1:1/mcp';

let tokens: RealTokens;
/** `Bearer` and a real token for the gateways' public URL, scope `read` (not `admin`). */
let bearer: string;
let upstream: Server;
const upstreamSaw: string[] = [];
const gateways: Gateway[] = [];
const urls: Record<'off' | 'list' | 'any', string> = { off: '', list: '', any: '' };

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

function send(url: string, method: string, headers: Record<string, string>, body?: string) {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

const preflight = (url: string, origin: string) =>
  send(url, 'OPTIONS', {
    origin,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'authorization, content-type, mcp-session-id',
  });

const post = (url: string, headers: Record<string, string>, body = LIST) =>
  send(
    url,
    'POST',
    {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body,
  );

const corsNames = (headers: IncomingHttpHeaders) =>
  Object.keys(headers).filter((name) => name.startsWith('access-control-'));

const listOf = (value: string | string[] | undefined) =>
  String(value ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');

async function start(corsOrigin: GatewayOptions['corsOrigin']): Promise<string> {
  const { port: upstreamPort } = upstream.address() as AddressInfo;
  const gateway = createGateway({
    upstreamUrl: `http://127.0.0.1:${upstreamPort}/mcp`,
    publicUrl: PUBLIC_URL,
    verifier: tokens.verifier(PUBLIC_URL),
    ...TEST_GATEWAY,
    toolScopes: { admin: ['admin'] },
    dpop: undefined,
    corsOrigin,
    logger: silentLogger,
  });
  gateways.push(gateway);
  const { port } = await gateway.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${port}/mcp`;
}

beforeAll(async () => {
  tokens = await startRealTokens();
  bearer = `Bearer ${await tokens.bearer(PUBLIC_URL)}`;
  upstream = createServer((req, res) => {
    upstreamSaw.push(req.method ?? '');
    req.resume();
    const own =
      req.headers['x-upstream-cors'] === undefined
        ? {}
        : {
            'access-control-allow-origin': 'https://upstream.example.com',
            'access-control-allow-credentials': 'true',
            'access-control-expose-headers': 'X-Up',
            vary: 'Accept-Encoding',
          };
    res.writeHead(200, {
      'content-type': 'application/json',
      'mcp-session-id': 's-1',
      'x-up': 'yes',
      ...own,
    });
    res.end('{"jsonrpc":"2.0","id":1,"result":{"tools":[]}}');
  });
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  urls.off = await start(undefined);
  urls.list = await start([APP, 'http://localhost:5173']);
  urls.any = await start('*');
});

afterAll(async () => {
  for (const gateway of gateways) await gateway.close();
  upstream.closeAllConnections();
  upstream.close();
  await tokens?.close();
});

describe('gateway CORS: preflight', () => {
  it('an allowed origin gets 204 with the methods and headers an MCP client sends', async () => {
    const before = upstreamSaw.length;
    const got = await preflight(urls.list, APP);
    expect(got.status).toBe(204);
    expect(got.headers['access-control-allow-origin']).toBe(APP);
    expect(listOf(got.headers.vary)).toContain('origin');
    expect(listOf(got.headers['access-control-allow-methods'])).toEqual(
      expect.arrayContaining(['get', 'post', 'delete', 'options']),
    );
    expect(listOf(got.headers['access-control-allow-headers'])).toEqual(
      expect.arrayContaining([
        'authorization',
        'content-type',
        'accept',
        'dpop',
        'mcp-session-id',
        'mcp-protocol-version',
        'mcp-method',
        'mcp-name',
        'last-event-id',
      ]),
    );
    expect(Number(got.headers['access-control-max-age'])).toBeGreaterThan(0);
    expect(got.headers['access-control-allow-credentials']).toBeUndefined();
    expect(upstreamSaw.length).toBe(before);
  });

  it('with "*", any origin gets "*" (no Vary needed)', async () => {
    const got = await preflight(urls.any, OTHER);
    expect(got.status).toBe(204);
    expect(got.headers['access-control-allow-origin']).toBe('*');
    expect(got.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('an origin not listed gets 403 without CORS headers, and the upstream sees nothing', async () => {
    const before = upstreamSaw.length;
    const got = await preflight(urls.list, OTHER);
    expect(got.status).toBe(403);
    expect(corsNames(got.headers)).toEqual([]);
    expect(upstreamSaw.length).toBe(before);
  });

  it('off: a preflight reaches the gate as before (401, no CORS headers)', async () => {
    const got = await preflight(urls.off, APP);
    expect(got.status).toBe(401);
    expect(corsNames(got.headers)).toEqual([]);
  });
});

describe('gateway CORS: responses', () => {
  it('the 401 challenge is readable: WWW-Authenticate exposed to the allowed origin', async () => {
    const got = await post(urls.list, { origin: APP });
    expect(got.status).toBe(401);
    expect(got.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(got.headers['access-control-allow-origin']).toBe(APP);
    expect(listOf(got.headers.vary)).toContain('origin');
    expect(listOf(got.headers['access-control-expose-headers'])).toEqual(
      expect.arrayContaining(['www-authenticate', 'mcp-session-id', 'mcp-protocol-version']),
    );
    expect(got.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('the 403 step-up refusal is readable too', async () => {
    const got = await post(urls.any, { origin: OTHER, authorization: bearer }, ADMIN_CALL);
    expect(got.status).toBe(403);
    expect(got.headers['access-control-allow-origin']).toBe('*');
    expect(listOf(got.headers['access-control-expose-headers'])).toContain('www-authenticate');
  });

  it('a forwarded answer: the gateway’s CORS wins, the exposed lists and Vary are merged', async () => {
    const got = await post(urls.list, {
      origin: 'http://localhost:5173',
      authorization: bearer,
      'x-upstream-cors': '1',
    });
    expect(got.status).toBe(200);
    expect(got.headers['mcp-session-id']).toBe('s-1');
    expect(got.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(listOf(got.headers['access-control-expose-headers'])).toEqual(
      expect.arrayContaining(['x-up', 'www-authenticate', 'mcp-session-id', 'dpop-nonce']),
    );
    expect(listOf(got.headers.vary)).toEqual(expect.arrayContaining(['accept-encoding', 'origin']));
    expect(got.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('an origin not listed is still served, without CORS headers (the upstream’s dropped too)', async () => {
    const got = await post(urls.list, {
      origin: OTHER,
      authorization: bearer,
      'x-upstream-cors': '1',
    });
    expect(got.status).toBe(200);
    expect(got.headers['access-control-allow-origin']).toBeUndefined();
    expect(got.headers['access-control-allow-credentials']).toBeUndefined();
    expect(listOf(got.headers.vary)).toContain('origin');
  });

  it('off by default: no CORS headers on the MCP endpoint at all', async () => {
    for (const got of [
      await post(urls.off, { origin: APP }),
      await post(urls.off, { origin: APP, authorization: bearer }),
    ]) {
      expect(corsNames(got.headers)).toEqual([]);
      expect(listOf(got.headers.vary)).not.toContain('origin');
    }
  });
});

describe('gateway CORS: from the command line', () => {
  it('--cors-origin reaches the running gateway, normalised as a browser sends Origin', async () => {
    const loaded = loadGatewayConfig(
      [
        ...['--upstream', 'http://127.0.0.1:1/mcp', '--issuer', 'http://127.0.0.1:2'],
        ...[
          '--allow-localhost',
          '--port',
          String(await freePort()),
          '--cors-origin',
          'HTTPS://App.Example.com:443',
        ],
      ],
      {},
    );
    if (loaded.help) throw new Error('help');
    const running = await runGateway(loaded.config, { logger: silentLogger });
    try {
      const got = await preflight(`${running.origin}/mcp`, APP);
      expect(got.status).toBe(204);
      expect(got.headers['access-control-allow-origin']).toBe(APP);
    } finally {
      await running.close();
    }
  });
});
