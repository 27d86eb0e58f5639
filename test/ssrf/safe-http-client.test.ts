import { describe, expect, it } from 'vitest';
import {
  client,
  clientSocketCount,
  fakeLookup,
  GET,
  hello,
  server,
  text,
  useHttpFixtures,
} from './_http-fixtures.js';

useHttpFixtures();

describe('createSafeHttpClient: normal requests', () => {
  it('performs GET and POST and returns status, lower-cased headers and body', async () => {
    const s = await server(hello);
    const c = client();
    const got = await c.request(`http://127.0.0.1:${s.port}/a?b=1`, GET);
    expect(got.status).toBe(200);
    expect(got.headers['x-echo-method']).toBe('GET');
    expect(got.headers['set-cookie']).toBe('a=1, b=2');
    expect(text(got.body)).toBe('hello GET /a?b=1 ');
    const posted = await c.request(`http://127.0.0.1:${s.port}/t`, {
      ...GET,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'token=abc',
    });
    expect(text(posted.body)).toBe('hello POST /t token=abc');
    const head = await c.request(`http://127.0.0.1:${s.port}/`, { ...GET, method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.byteLength).toBe(0);
  });

  it('reuses one pooled keep-alive connection for sequential requests', async () => {
    const s = await server(hello);
    const c = client();
    for (let i = 0; i < 5; i++) {
      await c.request(`http://127.0.0.1:${s.port}/${i}`, GET);
      // Let undici mark the connection idle before the next request is dispatched.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(s.requests).toBe(5);
    expect(s.connections).toBe(1);
  });

  it('reaches localhost through the injected lookup, falling back across addresses', async () => {
    const s = await server(hello);
    const asked: string[] = [];
    const c = client({ lookup: fakeLookup({ localhost: ['::1', '127.0.0.1'] }, asked) });
    const got = await c.request(`http://localhost:${s.port}/`, GET);
    expect(got.status).toBe(200);
    expect(asked).toEqual(['localhost']);
  });

  it('accepts an IPv4-mapped loopback answer for localhost', async () => {
    const s = await server(hello);
    const c = client({ lookup: fakeLookup({ localhost: ['::ffff:127.0.0.1'] }) });
    expect((await c.request(`http://localhost:${s.port}/`, GET)).status).toBe(200);
  });

  it('returns a redirect as it is, never following it', async () => {
    const s = await server((_req, res) => {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    });
    const got = await client().request(`http://127.0.0.1:${s.port}/`, GET);
    expect(got.status).toBe(302);
    expect(got.headers.location).toBe('http://169.254.169.254/latest/meta-data/');
    expect(s.requests).toBe(1);
  });

  it('accepts a body of exactly maxResponseBytes', async () => {
    const s = await server((_req, res) => res.end(Buffer.alloc(1024, 1)));
    const got = await client().request(`http://127.0.0.1:${s.port}/`, {
      ...GET,
      maxResponseBytes: 1024,
    });
    expect(got.body.byteLength).toBe(1024);
  });
});

describe('createSafeHttpClient: SSRF refusals', () => {
  it.each([
    ['10.0.0.1'],
    ['169.254.169.254'],
    ['0.0.0.0'],
    ['::ffff:10.0.0.1'],
    ['::ffff:0.0.0.0'],
    ['fe80::1'],
    ['fd00:ec2::254'],
    ['::'],
  ])('refuses a name resolving to %s before any socket is opened', async (address) => {
    const s = await server(hello);
    const c = client({ lookup: fakeLookup({ 'auth.example.com': [address] }) });
    for (const url of [`https://auth.example.com:${s.port}/`, 'https://auth.example.com/x']) {
      await expect(c.request(url, GET)).rejects.toMatchObject({ code: 'ERR_SSRF_BLOCKED' });
    }
    expect(clientSocketCount()).toBe(0);
    expect(s.connections).toBe(0);
  });

  it.each([['169.254.169.254'], ['0.0.0.0'], ['fe80::1'], ['127.0.0.1']])(
    'refuses a service name resolving to %s (no loopback for names)',
    async (address) => {
      const s = await server(hello);
      const c = client({ lookup: fakeLookup({ backend: [address] }), allowPrivateNetwork: true });
      await expect(c.request(`http://backend:${s.port}/`, GET)).rejects.toMatchObject({
        code: 'ERR_SSRF_BLOCKED',
      });
      expect(clientSocketCount()).toBe(0);
      expect(s.connections).toBe(0);
    },
  );

  it('refuses when any one of several answers is forbidden', async () => {
    const s = await server(hello);
    const mixed = fakeLookup({
      localhost: ['127.0.0.1', '10.0.0.1'],
      backend: ['10.0.0.2', '169.254.169.254'],
    });
    const c = client({ lookup: mixed });
    await expect(c.request(`http://localhost:${s.port}/`, GET)).rejects.toMatchObject({
      code: 'ERR_SSRF_BLOCKED',
    });
    await expect(c.request(`http://backend:${s.port}/`, GET)).rejects.toMatchObject({
      code: 'ERR_SSRF_BLOCKED',
    });
    expect(clientSocketCount()).toBe(0);
    expect(s.connections).toBe(0);
  });

  it.each([
    ['http://0.0.0.0:PORT/'],
    ['http://[::]:PORT/'],
    ['http://[::ffff:0.0.0.0]:PORT/'],
    ['http://2130706433:PORT/'],
    ['http://0x7f.0.0.1:PORT/'],
    ['http://127.1:PORT/'],
    ['http://10.0.0.1:PORT/'],
    ['http://localhost.:PORT/'],
    ['data:text/plain,hello'],
    ['file:///etc/passwd'],
    ['ftp://127.0.0.1:PORT/'],
  ])('refuses %s even though a server listens', async (template) => {
    const s = await server(hello);
    const c = client({ lookup: fakeLookup({}) });
    await expect(c.request(template.replace('PORT', String(s.port)), GET)).rejects.toMatchObject({
      code: 'ERR_SSRF_BLOCKED',
      name: 'SsrfBlockedError',
    });
    expect(clientSocketCount()).toBe(0);
    expect(s.connections).toBe(0);
  });

  it('refuses loopback when allowLocalhost is false', async () => {
    const s = await server(hello);
    const c = client({ allowLocalhost: false, lookup: fakeLookup({ localhost: ['127.0.0.1'] }) });
    for (const url of [`http://127.0.0.1:${s.port}/`, `http://localhost:${s.port}/`]) {
      await expect(c.request(url, GET)).rejects.toMatchObject({ code: 'ERR_SSRF_BLOCKED' });
    }
    expect(clientSocketCount()).toBe(0);
    expect(s.connections).toBe(0);
  });
});
