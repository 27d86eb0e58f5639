import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafeHttpClient } from '../../src/ssrf/safe-http-client.js';
import {
  client,
  fakeLookup,
  GET,
  hello,
  listen,
  server,
  text,
  useHttpFixtures,
} from './_http-fixtures.js';

useHttpFixtures();

describe('createSafeHttpClient: limits and failures', () => {
  it('times out a server that sends headers and then stalls', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
    });
    const started = Date.now();
    await expect(
      client().request(`http://127.0.0.1:${s.port}/`, { ...GET, timeoutMs: 200 }),
    ).rejects.toMatchObject({ code: 'ERR_HTTP_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('times out a server that never answers', async () => {
    const s = await server(() => {});
    await expect(
      client().request(`http://127.0.0.1:${s.port}/`, { ...GET, timeoutMs: 200 }),
    ).rejects.toMatchObject({ code: 'ERR_HTTP_TIMEOUT' });
  });

  it('times out a DNS lookup that never answers', async () => {
    const never = (() => {}) as unknown as LookupFunction;
    const c = client({ lookup: never, connectTimeoutMs: 100 });
    await expect(c.request('https://auth.example.com/', GET)).rejects.toMatchObject({
      code: 'ERR_HTTP_TIMEOUT',
    });
  });

  it.each([
    ['with content-length', true],
    ['chunked, without content-length', false],
  ])('refuses a 10 MB body over a 64 KiB cap (%s)', async (_name, withLength) => {
    const size = 10 * 1024 * 1024;
    const s = await server((_req, res) => {
      if (withLength) res.setHeader('content-length', String(size));
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let sent = 0;
      const pump = (): void => {
        while (sent < size && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => {});
      pump();
    });
    await expect(client().request(`http://127.0.0.1:${s.port}/`, GET)).rejects.toMatchObject({
      code: 'ERR_HTTP_RESPONSE_TOO_LARGE',
    });
  });

  it('does not mistake the content-length of a HEAD answer for a body', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-length': String(10 << 20) }).end();
    });
    const head = await client().request(`http://127.0.0.1:${s.port}/`, {
      ...GET,
      method: 'HEAD',
      maxResponseBytes: 1024,
    });
    expect([head.status, head.body.byteLength]).toEqual([200, 0]);
  });

  it('refuses a body one byte over the cap', async () => {
    const s = await server((_req, res) => res.end(Buffer.alloc(1025, 1)));
    await expect(
      client().request(`http://127.0.0.1:${s.port}/`, { ...GET, maxResponseBytes: 1024 }),
    ).rejects.toMatchObject({ code: 'ERR_HTTP_RESPONSE_TOO_LARGE' });
  });

  it('reports a server that destroys the socket as a network error', async () => {
    const s = await server((req) => req.socket.destroy());
    const err = await client()
      .request(`http://127.0.0.1:${s.port}/`, GET)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ERR_HTTP_NETWORK', name: 'AuthflowError' });
    expect((err as Error).cause).toBeInstanceOf(Error);
  });

  it('reports a refused connection and an unknown name as network errors', async () => {
    const s = await server(hello);
    const { port } = s;
    await s.close();
    const c = client({ lookup: fakeLookup({}) });
    await expect(c.request(`http://127.0.0.1:${port}/`, GET)).rejects.toMatchObject({
      code: 'ERR_HTTP_NETWORK',
    });
    await expect(c.request('https://nowhere.example/', GET)).rejects.toMatchObject({
      code: 'ERR_HTTP_NETWORK',
    });
    const empty = client({ lookup: fakeLookup({ 'empty.example': [] }) });
    await expect(empty.request('https://empty.example/', GET)).rejects.toMatchObject({
      code: 'ERR_HTTP_NETWORK',
    });
  });

  it("maps the caller's abort to a network error and its timeout signal to a timeout", async () => {
    const s = await server(() => {});
    const c = client();
    const controller = new AbortController();
    const aborted = c.request(`http://127.0.0.1:${s.port}/`, { ...GET, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(aborted).rejects.toMatchObject({ code: 'ERR_HTTP_NETWORK' });
    await expect(
      c.request(`http://127.0.0.1:${s.port}/`, { ...GET, signal: AbortSignal.timeout(50) }),
    ).rejects.toMatchObject({ code: 'ERR_HTTP_TIMEOUT' });
  });

  it('fails requests made after close()', async () => {
    const s = await server(hello);
    const c = createSafeHttpClient();
    await c.close();
    await expect(c.request(`http://127.0.0.1:${s.port}/`, GET)).rejects.toMatchObject({
      code: 'ERR_HTTP_NETWORK',
    });
  });
});

describe('createSafeHttpClient: https', () => {
  let dir: string;
  let cert: string;
  let key: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'safe-http-'));
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'],
        ...['-nodes', '-days', '1', '-subj', '/CN=localhost'],
        ...['-addext', 'subjectAltName=DNS:localhost'],
        ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      ],
      { stdio: 'pipe' },
    );
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    key = readFileSync(join(dir, 'key.pem'), 'utf8');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('connects to the checked address while verifying the certificate for the name', async () => {
    const names: (string | false | null)[] = [];
    const tlsServer = https.createServer({ cert, key }, (req, res) => {
      names.push((req.socket as TLSSocket).servername);
      res.end('secure');
    });
    const s = await listen(tlsServer);
    const asked: string[] = [];
    const c = client({ ca: [cert], lookup: fakeLookup({ localhost: ['127.0.0.1'] }, asked) });
    const got = await c.request(`https://localhost:${s.port}/`, GET);
    expect(text(got.body)).toBe('secure');
    expect(names).toEqual(['localhost']);
    expect(asked).toEqual(['localhost']);
    const untrusted = client({ lookup: fakeLookup({ localhost: ['127.0.0.1'] }) });
    await expect(untrusted.request(`https://localhost:${s.port}/`, GET)).rejects.toMatchObject({
      code: 'ERR_HTTP_NETWORK',
    });
  });
});

describe('createSafeHttpClient: options', () => {
  it.each([
    [{ allowLocalhost: 'yes' }, 'ERR_INVALID_ARG_TYPE', 'allowLocalhost'],
    [{ allowPrivateNetwork: 1 }, 'ERR_INVALID_ARG_TYPE', 'allowPrivateNetwork'],
    [{ lookup: 'dns' }, 'ERR_INVALID_ARG_TYPE', 'lookup'],
    [{ keepAliveTimeoutMs: 0 }, 'ERR_INVALID_ARG_VALUE', 'keepAliveTimeoutMs'],
    [{ connectTimeoutMs: '5' }, 'ERR_INVALID_ARG_TYPE', 'connectTimeoutMs'],
    [{ connectTimeoutMs: 1.5 }, 'ERR_INVALID_ARG_VALUE', 'connectTimeoutMs'],
    [{ ca: [1] }, 'ERR_INVALID_ARG_TYPE', 'ca'],
  ])('rejects %j at creation', (options, code, name) => {
    expect(() => createSafeHttpClient(options as never)).toThrow(
      expect.objectContaining({ name: 'TypeError', code, message: expect.stringContaining(name) }),
    );
  });

  it('rejects a non-object options argument', () => {
    for (const options of [null, 'strict', 5]) {
      expect(() => createSafeHttpClient(options as never)).toThrow(
        expect.objectContaining({
          code: 'ERR_INVALID_ARG_TYPE',
          message: expect.stringContaining('options'),
        }),
      );
    }
  });

  it.each([
    [{ ...GET, method: 'PUT' }, 'ERR_INVALID_ARG_VALUE'],
    [{ ...GET, timeoutMs: -1 }, 'ERR_INVALID_ARG_VALUE'],
    [{ ...GET, maxResponseBytes: Number.NaN }, 'ERR_INVALID_ARG_VALUE'],
    [{ ...GET, body: Buffer.from('x') }, 'ERR_INVALID_ARG_TYPE'],
    [{ ...GET, signal: {} }, 'ERR_INVALID_ARG_TYPE'],
    [null, 'ERR_INVALID_ARG_TYPE'],
  ])('rejects the request init %j', async (init, code) => {
    const c = client();
    await expect(c.request('https://example.com/', init as never)).rejects.toMatchObject({
      name: 'TypeError',
      code,
    });
  });
});
