/**
 * Issue 11 §8 through the real discovery adapters (Express and `node:http`) against a loopback
 * authorization server we control: a stale copy is served for a bounded time only, failures back
 * off (doubling, capped), one fetch is in flight however many requests wait, every kind of bad
 * answer counts as a failure, and the bounds are user options, validated at startup.
 */

import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerOAuthDiscoveryEndpoints } from '../../src/express.js';
import { createOAuthDiscoveryHandler, type OAuthDiscoveryOptions } from '../../src/node.js';
import { createSafeHttpClient } from '../../src/ssrf/safe-http-client.js';

type Mode = 'up' | 'error' | 'garbage' | 'wrong-issuer' | 'redirect' | 'huge';
const PATH = '/.well-known/oauth-authorization-server';

let as: Server;
let issuer: string;
let mode: Mode = 'up';
let hits = 0;
let version = 0;
const http = createSafeHttpClient({ allowLocalhost: true });

beforeAll(async () => {
  as = createServer((req, res) => {
    if (req.url !== PATH) return res.writeHead(404).end();
    hits += 1;
    const json = { 'content-type': 'application/json' };
    if (mode === 'up') return res.writeHead(200, json).end(JSON.stringify({ issuer, version }));
    if (mode === 'error') return res.writeHead(503).end('down');
    if (mode === 'garbage') return res.writeHead(200, json).end('{"issuer":');
    if (mode === 'wrong-issuer') {
      return res.writeHead(200, json).end(JSON.stringify({ issuer: 'https://evil.example' }));
    }
    if (mode === 'redirect')
      return res.writeHead(302, { location: 'http://169.254.169.254/' }).end();
    return res.writeHead(200, json).end(JSON.stringify({ issuer, pad: 'x'.repeat(200_000) }));
  });
  as.listen(0, '127.0.0.1');
  await once(as, 'listening');
  issuer = `http://127.0.0.1:${(as.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await http.close();
  as.closeAllConnections();
  as.close();
});

afterEach(() => {
  mode = 'up';
});

interface Adapter {
  get(path: string): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

function expressAdapter(options: OAuthDiscoveryOptions): Adapter {
  const app = express();
  registerOAuthDiscoveryEndpoints(app, options);
  return {
    async get(path) {
      const res = await request(app).get(path);
      return { status: res.status, text: res.text };
    },
    close: async () => {},
  };
}

async function nodeAdapter(options: OAuthDiscoveryOptions): Promise<Adapter> {
  const discovery = createOAuthDiscoveryHandler(options);
  const server = createServer(async (req, res) => {
    if (!(await discovery(req, res))) res.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    async get(path) {
      const res = await fetch(`${base}${path}`);
      return { status: res.status, text: await res.text() };
    },
    async close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

const ADAPTERS = {
  express: async (o: OAuthDiscoveryOptions) => expressAdapter(o),
  node: nodeAdapter,
};

function setup(extra: Record<string, unknown> = {}) {
  let t = 0;
  const options: OAuthDiscoveryOptions = {
    serverUrl: 'https://mcp.example.com/mcp',
    authServerPublicUrl: issuer,
    httpClient: http,
    metadataTtlMs: 1_000,
    metadataMaxStaleMs: 10_000,
    metadataFailureBackoffMs: 2_000,
    metadataMaxFailureBackoffMs: 4_000,
    now: () => t,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    ...(extra as object),
  };
  return { options, at: (ms: number) => (t = ms) };
}

describe.each(Object.entries(ADAPTERS))('metadata proxy through the %s adapter', (_name, make) => {
  it('serves a stale copy for metadataMaxStaleMs only, backing off 2 s → 4 s (capped)', async () => {
    const { options, at } = setup();
    const a = await make(options);
    try {
      version += 1;
      const good = await a.get(PATH);
      expect(good.status).toBe(200);
      const before = hits;
      const step = async (ms: number, status: number, fetched: number) => {
        at(ms);
        const res = await a.get(PATH);
        expect([ms, res.status]).toEqual([ms, status]);
        if (status === 200) expect(res.text).toBe(good.text);
        expect([ms, hits - before]).toEqual([ms, fetched]);
      };
      mode = 'error';
      await step(1_500, 200, 1); // expired: refresh fails, stale copy; next try at 3 500
      await step(3_000, 200, 1); // backing off: no fetch
      await step(3_500, 200, 2); // fails again: wait doubles to 4 000 → 7 500
      await step(7_000, 200, 2);
      await step(7_500, 200, 3); // capped at 4 000 → 11 500
      await step(11_000, 502, 3); // stale bound (1 000 + 10 000) passed: no stale copy, no fetch
      await step(11_500, 502, 4); // → 15 500
      await step(15_000, 502, 4);
      mode = 'up';
      version += 1;
      await step(15_499, 502, 4);
      at(15_500);
      const fresh = await a.get(PATH);
      expect(fresh.status).toBe(200);
      expect(JSON.parse(fresh.text).version).toBe(version);
      expect(hits - before).toBe(5);
    } finally {
      await a.close();
    }
  });

  it('cold and down: 20 concurrent requests make one fetch; the failure is then cached', async () => {
    const { options, at } = setup();
    const a = await make(options);
    try {
      mode = 'error';
      const before = hits;
      const answers = await Promise.all(Array.from({ length: 20 }, () => a.get(PATH)));
      expect(answers.map((r) => r.status)).toEqual(Array(20).fill(502));
      expect(hits - before).toBe(1);
      at(1_999);
      for (let i = 0; i < 10; i++) expect((await a.get(PATH)).status).toBe(502);
      expect(hits - before).toBe(1);
      mode = 'up';
      at(2_000);
      expect((await a.get(PATH)).status).toBe(200);
      expect(hits - before).toBe(2);
    } finally {
      await a.close();
    }
  });

  it.each(['garbage', 'wrong-issuer', 'redirect', 'huge'] as const)(
    'a %s answer is a failure that backs off (no fetch storm)',
    async (bad) => {
      const { options, at } = setup({ metadataMaxStaleMs: 0 });
      const a = await make(options);
      try {
        expect((await a.get(PATH)).status).toBe(200);
        mode = bad;
        const before = hits;
        at(1_000);
        const res = await a.get(PATH);
        expect(res.status).toBe(502); // metadataMaxStaleMs: 0 → never a stale copy
        expect(res.text).not.toContain('evil');
        for (let i = 0; i < 5; i++) expect((await a.get(PATH)).status).toBe(502);
        expect(hits - before).toBe(1);
        mode = 'up';
        at(3_000);
        expect((await a.get(PATH)).status).toBe(200);
      } finally {
        await a.close();
      }
    },
  );

  it('refuses bad or unknown back-off options at startup, naming them', async () => {
    const { options } = setup();
    const bad: [Record<string, unknown>, string][] = [
      [{ metadataMaxStaleMs: -1 }, 'metadataMaxStaleMs'],
      [{ metadataMaxStaleMs: 1.5 }, 'metadataMaxStaleMs'],
      [{ metadataMaxStaleMs: '60000' }, 'metadataMaxStaleMs'],
      [{ metadataFailureBackoffMs: 0 }, 'metadataFailureBackoffMs'],
      [{ metadataFailureBackoffMs: Number.POSITIVE_INFINITY }, 'metadataFailureBackoffMs'],
      [{ metadataMaxFailureBackoffMs: 1_999 }, 'metadataMaxFailureBackoffMs'],
      [{ metadataStaleMs: 5 }, 'metadataStaleMs'],
      [{ metadataBackoffMs: 5 }, 'metadataBackoffMs'],
    ];
    for (const [extra, name] of bad) {
      await expect(make({ ...options, ...extra } as never), name).rejects.toThrow(TypeError);
      await expect(make({ ...options, ...extra } as never), name).rejects.toThrow(name);
    }
  });
});

describe('metadata proxy defaults', () => {
  it('a first back-off above the default cap raises the cap to it', async () => {
    let t = 0;
    const a = expressAdapter({
      serverUrl: 'https://mcp.example.com/mcp',
      authServerPublicUrl: issuer,
      httpClient: http,
      metadataFailureBackoffMs: 600_000,
      now: () => t,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    mode = 'error';
    const before = hits;
    expect((await a.get(PATH)).status).toBe(502);
    t = 599_999;
    expect((await a.get(PATH)).status).toBe(502);
    expect(hits - before).toBe(1);
    mode = 'up';
    t = 600_000;
    expect((await a.get(PATH)).status).toBe(200);
  });
});
