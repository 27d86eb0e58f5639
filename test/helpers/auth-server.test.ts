import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntrospectionTokenVerifier } from '../../src/verify/introspection/verifier.js';
import { captureLogger } from './auth-log-capture.js';
import { runPkceFlow } from './auth-pkce.js';
import { type AuthServer, startAuthServer } from './auth-server.js';

const RESOURCE = 'https://mcp.example.com/mcp';
let as: AuthServer;

beforeAll(async () => {
  as = await startAuthServer({ accessTokenTtlSeconds: 120 });
});

afterAll(async () => {
  await as.close();
});

describe('fixture authorization server', () => {
  it('serves discovery with introspection, registration and S256', async () => {
    const res = await fetch(`${as.issuer}/.well-known/openid-configuration`);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer: as.issuer,
      token_endpoint: as.tokenEndpoint,
      introspection_endpoint: as.introspectionEndpoint,
      code_challenge_methods_supported: ['S256'],
    });
    expect(doc.registration_endpoint).toBeTypeOf('string');
    expect(doc.scopes_supported).toEqual(expect.arrayContaining(['read', 'tasks:write', 'openid']));
  });

  it('honours accessTokenTtlSeconds', async () => {
    const token = await as.issueToken({ resource: RESOURCE });
    const verifier = new IntrospectionTokenVerifier({
      introspectionEndpoint: as.introspectionEndpoint,
      serverUrl: RESOURCE,
      ...as.clients.basic,
      logger: captureLogger(),
    });
    const info = await verifier.verifyAccessToken(token);
    await verifier.close();
    expect(info.expiresAt! - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(120);
    expect(info.expiresAt! - Math.floor(Date.now() / 1000)).toBeGreaterThan(60);
  });

  it('runs authorization code + PKCE without a browser (loopback redirect, any port)', async () => {
    const tokens = await runPkceFlow({
      issuer: as.issuer,
      clientId: as.clients.public.clientId,
      redirectUri: 'http://127.0.0.1:53682/callback',
      scope: 'openid offline_access read tasks:read',
      resource: RESOURCE,
    });
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.id_token).toBeTypeOf('string');
    const verifier = new IntrospectionTokenVerifier({
      introspectionEndpoint: as.introspectionEndpoint,
      serverUrl: RESOURCE,
      ...as.clients.basic,
      logger: captureLogger(),
    });
    const access = await verifier.verifyToken(tokens.access_token);
    await verifier.close();
    expect(access).toMatchObject({ clientId: 'mcp-public', subject: 'user-1', resource: RESOURCE });
    expect([...(access?.scopes ?? [])].sort()).toEqual(['read', 'tasks:read']);
  });

  it('supports dynamic client registration of a public PKCE client', async () => {
    const res = await fetch(`${as.issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        redirect_uris: ['http://localhost:53999/callback'],
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        scope: 'read write',
      }),
    });
    expect(res.status).toBe(201);
    const client = (await res.json()) as { client_id: string };
    const tokens = await runPkceFlow({
      issuer: as.issuer,
      clientId: client.client_id,
      redirectUri: 'http://localhost:53999/callback',
      scope: 'read',
      resource: RESOURCE,
    });
    expect(tokens.access_token).toBeTypeOf('string');
  });

  it('stop() refuses connections and start() serves again on the same port', async () => {
    await as.stop();
    await expect(fetch(`${as.issuer}/.well-known/openid-configuration`)).rejects.toThrow();
    await as.start();
    const res = await fetch(`${as.issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
  });

  it('counts introspection requests', async () => {
    const before = as.introspectionCount;
    await fetch(as.introspectionEndpoint, { method: 'POST' });
    expect(as.introspectionCount).toBe(before + 1);
  });
});
