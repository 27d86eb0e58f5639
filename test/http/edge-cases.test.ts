import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { requireBearerAuth as fetchGate } from '../../src/adapters/fetch/bearer.js';
import { createDiscoveryResponder } from '../../src/discovery/endpoints.js';
import { createBearerGate } from '../../src/http/bearer.js';
import { authErrorResponse } from '../../src/http/challenge.js';
import { resolveCors } from '../../src/http/cors.js';
import { checkToolCalls, decodeRoutingHeader } from '../../src/http/json-rpc.js';
import { buildRequestLogRecord, resolveLoggingOptions } from '../../src/http/logging.js';
import { maskHeaders } from '../../src/http/mask.js';
import { maskBody } from '../../src/http/mask-body.js';
import { readBodyBytes } from '../../src/http/node-io.js';
import { stripTrailingSlashes } from '../../src/http/path.js';
import { createLoggingMiddleware, normalizePath } from '../../src/node.js';

const verifier = { verifyAccessToken: async () => ({ token: 't', clientId: 'c', scopes: [] }) };

afterEach(() => {
  vi.restoreAllMocks();
});

describe('routing headers', () => {
  it('decodes the base64 form and refuses what does not decode to UTF-8', () => {
    expect(decodeRoutingHeader(' plain ')).toBe('plain');
    expect(decodeRoutingHeader(`=?base64?${Buffer.from('tööl').toString('base64')}?=`)).toBe(
      'tööl',
    );
    expect(decodeRoutingHeader('=?base64?/w==?=')).toBeNull();
    expect(checkToolCalls(undefined, { method: 'tools/call', name: '=?base64?/w==?=' })).toEqual({
      ok: false,
      id: null,
    });
  });

  it('Mcp-Name alone is compared with the body; a batch must match every message', () => {
    const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'a' } };
    expect(checkToolCalls(call, { name: 'a' })).toEqual({ ok: true, tools: ['a'] });
    expect(checkToolCalls(call, { name: 'b' }).ok).toBe(false);
    expect(checkToolCalls([call, call], { method: 'tools/call', name: 'a' }).ok).toBe(true);
    expect(checkToolCalls([call, 5], { method: 'tools/call', name: 'a' }).ok).toBe(false);
    expect(checkToolCalls({ ...call, params: {} }, { method: 'tools/call', name: 'a' }).ok).toBe(
      false,
    );
    const read = { jsonrpc: '2.0', id: 2, method: 'resources/read', params: { uri: 'x://y' } };
    expect(checkToolCalls(read, { method: 'resources/read', name: 'x://y' })).toEqual({
      ok: true,
      tools: [],
    });
  });
});

describe('odd inputs', () => {
  it('the gate and the responders refuse non-object options', () => {
    expect(() => createBearerGate(null as never)).toThrow(TypeError);
    expect(() => createBearerGate({ verifier, toolScopes: [] as never })).toThrow('toolScopes');
    expect(() => createDiscoveryResponder(null as never)).toThrow(TypeError);
    expect(() => resolveCors({ maxAgeSeconds: -1 })).toThrow('cors.maxAgeSeconds');
    expect(() => resolveLoggingOptions(null as never)).toThrow(TypeError);
    expect(() => resolveLoggingOptions({ now: 1 as never })).toThrow('now');
  });

  it('an SDK InvalidTokenError without a message gets a generic description', () => {
    expect(authErrorResponse(new InvalidTokenError('')).description).toBe('Invalid access token');
  });

  it('the default request logger writes one JSON line to stdout', () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const options = resolveLoggingOptions();
    const input = {
      method: 'GET',
      url: '/x',
      status: 200,
      durationMs: 1,
      headers: {},
      clientId: undefined,
    };
    options.logger.info(buildRequestLogRecord(input, options));
    for (const level of ['debug', 'warn', 'error'] as const) options.logger[level]({ level });
    expect(write).toHaveBeenCalledTimes(4);
    expect(JSON.parse(String(write.mock.calls[0]?.[0]))).toMatchObject({
      level: 'info',
      path: '/x',
    });
  });

  it('masks repeated headers, nested and deep bodies, and secret-looking strings', () => {
    expect(maskHeaders({ 'set-cookie': ['a=1', 'b=2'], accept: ['x'] }, true)).toEqual({
      'set-cookie': ['[REDACTED]', '[REDACTED]'],
      accept: ['x'],
    });
    expect(maskBody([{ refresh_token: 'r', id: 1 }], true)).toEqual([
      { refresh_token: '[REDACTED]', id: 1 },
    ]);
    let deep: unknown = { secret: 's' };
    for (let i = 0; i < 10; i++) deep = { next: deep };
    expect(JSON.stringify(maskBody(deep, true))).not.toContain('"s"');
    expect(maskBody('grant_type=x&code=abc', true)).toBe('[REDACTED]');
    expect(maskBody('hello', true)).toBe('[REDACTED]');
  });

  it('stripTrailingSlashes keeps the root and an empty target', () => {
    expect(stripTrailingSlashes('///?q')).toBe('/?q');
    expect(stripTrailingSlashes('')).toBe('');
  });

  it('the fetch gate ignores bodies of GET and refuses non-JSON POSTs', async () => {
    const gate = fetchGate({ verifier, toolScopes: { a: ['x'] } });
    const get = new Request('https://h/mcp', { headers: { authorization: 'Bearer t' } });
    expect(await gate(get)).toMatchObject({ authInfo: { clientId: 'c' }, parsedBody: undefined });
    const text = new Request('https://h/mcp', {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'text/plain' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'a' } }),
    });
    expect(((await gate(text)) as Response).status).toBe(400);
  });
});

describe('node:http odd requests', () => {
  let close: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('readBodyBytes rejects when the client aborts mid-body', async () => {
    const seen: Promise<unknown>[] = [];
    const server = createServer((req: IncomingMessage) => {
      seen.push(readBodyBytes(req, 1_000_000));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    close = async () => {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    };
    const port = (server.address() as AddressInfo).port;
    const req = httpRequest({
      port,
      host: '127.0.0.1',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    req.on('error', () => {});
    req.write('{"a":');
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    req.destroy();
    await expect(seen[0]).rejects.toThrow();
  });

  it('normalizePath and the logger tolerate a request without url or method', () => {
    const logs: unknown[] = [];
    const log = createLoggingMiddleware({ logger: { ...console, info: (r) => logs.push(r) } });
    const req = { headers: {} } as IncomingMessage;
    normalizePath()(req);
    const listeners: Record<string, () => void> = {};
    const res = { statusCode: 204, once: (e: string, f: () => void) => (listeners[e] = f) };
    log(req, res as never);
    listeners.finish?.();
    listeners.close?.();
    expect(logs).toMatchObject([{ method: 'GET', path: '/', status: 204 }]);
  });
});
