import express from 'express';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createAuthorizationServerMetadataSource,
  synthesizeAuthorizationServerMetadata,
} from '../../src/discovery/authorization-server.js';
import { registerOAuthDiscoveryEndpoints } from '../../src/express.js';
import { createSafeHttpClient } from '../../src/ssrf/safe-http-client.js';
import { captureLogger } from '../helpers/auth-log-capture.js';
import { type AuthServer, startAuthServer } from '../helpers/auth-server.js';
import { type FaultyServer, json, startFaultyServer } from '../helpers/faulty-server.js';

const http = createSafeHttpClient();
let faulty: FaultyServer;

beforeAll(async () => {
  faulty = await startFaultyServer();
});

afterAll(async () => {
  await faulty.close();
  await http.close();
});

afterEach(() => {
  faulty.handle((_req, res) => json(res, 404, {}));
});

function serveMetadata(issuer: string, onRequest: (path: string) => void = () => {}): void {
  faulty.handle((req, res) => {
    onRequest(req.url ?? '');
    if (req.url === '/.well-known/oauth-authorization-server') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{ "issuer": "${issuer}",  "token_endpoint": "${issuer}/token" }`);
    } else json(res, 404, {});
  });
}

describe('createAuthorizationServerMetadataSource', () => {
  it('fetches lazily, keeps the exact bytes, caches for ttlMs, one fetch in flight', async () => {
    let now = 0;
    const paths: string[] = [];
    serveMetadata(faulty.url, (p) => paths.push(p));
    const source = createAuthorizationServerMetadataSource({
      issuer: faulty.url,
      httpClient: http,
      ttlMs: 1000,
      now: () => now,
    });
    expect(paths).toEqual([]);
    const results = await Promise.all(Array.from({ length: 5 }, () => source.get()));
    expect(paths).toEqual(['/.well-known/oauth-authorization-server']);
    expect(new TextDecoder().decode(results[0]?.body)).toContain('"issuer": ');
    expect(results.every((r) => r === results[0])).toBe(true);
    now = 999;
    await source.get();
    expect(paths).toHaveLength(1);
    now = 1000;
    await source.get();
    expect(paths).toHaveLength(2);
  });

  it('falls back to OpenID Connect discovery (all oidc-provider publishes)', async () => {
    const paths: string[] = [];
    faulty.handle((req, res) => {
      paths.push(req.url ?? '');
      if (req.url === '/tenant/.well-known/openid-configuration') {
        json(res, 200, { issuer: `${faulty.url}/tenant` });
      } else json(res, 404, {});
    });
    const source = createAuthorizationServerMetadataSource({
      issuer: `${faulty.url}/tenant/`,
      httpClient: http,
    });
    expect((await source.get()).document.issuer).toBe(`${faulty.url}/tenant`);
    expect(paths).toEqual([
      '/.well-known/oauth-authorization-server/tenant',
      '/tenant/.well-known/openid-configuration',
    ]);
  });

  it('refuses a document for another issuer, non-JSON and non-objects', async () => {
    const source = () =>
      createAuthorizationServerMetadataSource({ issuer: faulty.url, httpClient: http });
    serveMetadata('https://evil.example');
    await expect(source().get()).rejects.toMatchObject({ code: 'ERR_METADATA_INVALID' });
    faulty.handle((_req, res) => res.end('<html>'));
    await expect(source().get()).rejects.toMatchObject({ code: 'ERR_METADATA_INVALID' });
    faulty.handle((_req, res) => json(res, 200, [1]));
    await expect(source().get()).rejects.toMatchObject({ code: 'ERR_METADATA_INVALID' });
    faulty.handle((_req, res) => json(res, 500, {}));
    await expect(source().get()).rejects.toMatchObject({ code: 'ERR_METADATA_UNAVAILABLE' });
  });

  it('serves the stale document (and warns) when a refresh fails', async () => {
    let now = 0;
    const logger = captureLogger();
    serveMetadata(faulty.url);
    const source = createAuthorizationServerMetadataSource({
      issuer: faulty.url,
      httpClient: http,
      ttlMs: 10,
      now: () => now,
      logger,
    });
    const first = await source.get();
    faulty.handle((_req, res) => json(res, 503, {}));
    now = 50;
    expect(await source.get()).toBe(first);
    expect(logger.records).toMatchObject([
      {
        level: 'warn',
        record: { event: 'metadata_refresh_failed', code: 'ERR_METADATA_UNAVAILABLE' },
      },
    ]);
  });

  it('synthesizeAuthorizationServerMetadata normalises the issuer', () => {
    expect(synthesizeAuthorizationServerMetadata('https://a.example/x/', ['r'])).toMatchObject({
      issuer: 'https://a.example/x',
      authorization_endpoint: 'https://a.example/x/authorize',
      scopes_supported: ['r'],
    });
  });
});

describe("'proxy' mode against the real authorization server", () => {
  let as: AuthServer;

  beforeAll(async () => {
    as = await startAuthServer();
  });

  afterAll(async () => {
    await as.close();
  });

  function proxyApp() {
    const a = express();
    registerOAuthDiscoveryEndpoints(a, {
      serverUrl: 'http://127.0.0.1:9/mcp',
      authServerPublicUrl: as.issuer,
      httpClient: http,
    });
    return a;
  }

  it('serves the real document verbatim at all three URLs, with CORS', async () => {
    const direct = await fetch(`${as.issuer}/.well-known/openid-configuration`);
    const original = await direct.text();
    const a = proxyApp();
    for (const path of [
      '/.well-known/oauth-authorization-server',
      '/.well-known/oauth-authorization-server/mcp',
      '/.well-known/openid-configuration',
    ]) {
      const res = await request(a).get(path);
      expect(res.status, path).toBe(200);
      expect(res.text, path).toBe(original);
      expect(res.headers['access-control-allow-origin']).toBe('*');
    }
    expect(JSON.parse(original).issuer).toBe(as.issuer);
  });

  it('502 with a JSON error when nothing is cached and the server is down; cached copy survives', async () => {
    const cold = proxyApp();
    const warm = proxyApp();
    expect((await request(warm).get('/.well-known/openid-configuration')).status).toBe(200);
    await as.stop();
    try {
      const res = await request(cold).get('/.well-known/oauth-authorization-server');
      expect(res.status).toBe(502);
      expect(res.body).toEqual({
        error: 'temporarily_unavailable',
        error_description: expect.any(String),
      });
      expect(res.headers['cache-control']).toBe('no-store');
      expect((await request(warm).get('/.well-known/openid-configuration')).status).toBe(200);
      expect((await request(cold).get('/.well-known/oauth-protected-resource')).status).toBe(200);
    } finally {
      await as.start();
    }
    // The failure is cached for the back-off (5 s by default): no fetch storm once it is back.
    expect((await request(cold).get('/.well-known/oauth-authorization-server')).status).toBe(502);
  });
});
