import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningExample, startExampleServer } from '../../examples/protect-mcp-server.js';
import { mcpErrorHandler } from '../../src/express.js';

// Issue 20, class 7: the recommended Express setup must not answer a malformed body with
// Express's default HTML error page (stack and absolute paths when NODE_ENV is not production).

const LEAKS = [
  /<html|<pre/i,
  /\bat \w+ \(/,
  /node_modules/,
  /\/work\//,
  /SyntaxError/,
  /Unexpected token/,
];

function expectNoLeak(text: string): void {
  for (const leak of LEAKS) expect(text).not.toMatch(leak);
}

describe('mcpErrorHandler on the example app (NODE_ENV unset)', () => {
  let running: RunningExample;
  const nodeEnv = process.env.NODE_ENV;
  beforeAll(async () => {
    delete process.env.NODE_ENV;
    running = await startExampleServer({
      introspectionEndpoint: 'http://127.0.0.1:9/introspect',
      authServerUrl: 'http://127.0.0.1:9',
      clientId: 'rs',
      clientSecret: 'secret',
    });
  });
  afterAll(async () => {
    await running.close();
    if (nodeEnv !== undefined) process.env.NODE_ENV = nodeEnv;
  });

  it.each([
    ['{"jsonrpc":"2.0",', 'application/json'],
    ['{bad json}', 'application/json'],
    ['\u00ef\u00bb\u00bf{}', 'application/json; charset=utf-8'],
  ])('malformed body %j → 400, JSON-RPC -32700, no stack or path', async (body, type) => {
    const res = await fetch(running.url, {
      method: 'POST',
      headers: { 'content-type': type, authorization: 'Bearer abc' },
      body,
    });
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(text)).toEqual({
      jsonrpc: '2.0',
      error: { code: -32700, message: 'Parse error' },
      id: null,
    });
    expectNoLeak(text);
  });

  it('normal traffic is unchanged: no token still gets the 401 challenge', async () => {
    const res = await fetch(running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });
});

describe('mcpErrorHandler mapping', () => {
  let url: string;
  let close: () => void;
  beforeAll(async () => {
    const app = express();
    app.use(express.json({ limit: 10 }));
    app.post('/boom', () => {
      throw new Error('secret detail /srv/app/index.js');
    });
    app.post('/late', (_req, res, next) => {
      res.writeHead(200);
      res.write('partial');
      next(new Error('after headers'));
    });
    app.post('/echo', (req, res) => {
      res.json(req.body);
    });
    app.use(mcpErrorHandler());
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  const post = (path: string, body: string, type = 'application/json') =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });

  it('oversize body → 413, -32600', async () => {
    const res = await post('/echo', '{"a":"0123456789"}');
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: -32600, message: 'Invalid Request' } });
  });

  it('unsupported charset → 415, -32600', async () => {
    const res = await post('/echo', '{}', 'application/json; charset=klingon');
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: { code: -32600 } });
  });

  it('a thrown handler error → 500, -32603, its text never sent', async () => {
    const res = await post('/boom', '{}');
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(JSON.parse(text)).toMatchObject({ error: { code: -32603, message: 'Internal error' } });
    expect(text).not.toContain('secret detail');
    expectNoLeak(text);
  });

  it('an error after the headers went out is left to Express', async () => {
    const res = await post('/late', '{}');
    expect(res.status).toBe(200);
    await res.text().catch(() => '');
  });

  it('valid JSON passes untouched', async () => {
    const res = await post('/echo', '{"a":1}');
    expect(await res.json()).toEqual({ a: 1 });
  });
});
