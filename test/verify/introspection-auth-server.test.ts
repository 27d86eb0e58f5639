import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryIntrospectionCache } from '../../src/verify/cache.js';
import type { IntrospectionTokenVerifierOptions } from '../../src/verify/introspection/types.js';
import { IntrospectionTokenVerifier } from '../../src/verify/introspection/verifier.js';
import { captureLogger } from '../helpers/auth-log-capture.js';
import { type AuthServer, startAuthServer } from '../helpers/auth-server.js';

const RESOURCE = 'https://mcp.example.com/mcp';
const OTHER = 'https://other.example.com/mcp';

let as: AuthServer;
const verifiers: IntrospectionTokenVerifier[] = [];

function verifier(options: Partial<IntrospectionTokenVerifierOptions> = {}) {
  const v = new IntrospectionTokenVerifier({
    introspectionEndpoint: as.introspectionEndpoint,
    serverUrl: RESOURCE,
    clientId: as.clients.basic.clientId,
    clientSecret: as.clients.basic.clientSecret,
    logger: captureLogger(),
    ...options,
  });
  verifiers.push(v);
  return v;
}

beforeAll(async () => {
  as = await startAuthServer();
});

afterAll(async () => {
  await Promise.all(verifiers.map((v) => v.close()));
  await as.close();
});

describe('IntrospectionTokenVerifier against oidc-provider', () => {
  it('verifies a valid token with clientId, scopes, expiresAt and resource', async () => {
    const before = Math.floor(Date.now() / 1000);
    const token = await as.issueToken({ resource: RESOURCE, scope: 'read tasks:read' });
    const info = await verifier().verifyAccessToken(token);
    expect(info.token).toBe(token);
    expect(info.clientId).toBe(as.clients.m2m.clientId);
    expect([...info.scopes].sort()).toEqual(['read', 'tasks:read']);
    expect(info.expiresAt).toBeGreaterThanOrEqual(before + 3600 - 5);
    expect(info.expiresAt).toBeLessThanOrEqual(before + 3600 + 60);
    expect(info.resource?.href).toBe(RESOURCE);
    expect(info.extra).toMatchObject({ issuer: as.issuer });
  });

  it('a cached verdict gives equal, independent AuthInfo objects', async () => {
    const token = await as.issueToken({ resource: RESOURCE, scope: 'read' });
    const v = verifier();
    const first = await v.verifyAccessToken(token);
    first.scopes.push('write');
    const second = await v.verifyAccessToken(token);
    expect(second).not.toBe(first);
    expect(second.scopes).toEqual(['read']);
    expect(second.clientId).toBe(first.clientId);
    expect(second.expiresAt).toBe(first.expiresAt);
  });

  it('a cached verdict for one resource never answers for another', async () => {
    const token = await as.issueToken({ resource: RESOURCE, scope: 'read' });
    const store = createMemoryIntrospectionCache();
    await expect(verifier({ cache: { store } }).verifyAccessToken(token)).resolves.toBeDefined();
    await expect(
      verifier({ serverUrl: OTHER, cache: { store } }).verifyAccessToken(token),
    ).rejects.toMatchObject({ code: 'ERR_TOKEN_AUDIENCE' });
  });

  it('verifyToken returns the AccessToken', async () => {
    const token = await as.issueToken({ resource: RESOURCE, scope: 'write' });
    const access = await verifier().verifyToken(token);
    expect(access).toMatchObject({ token, clientId: 'm2m-client', scopes: ['write'] });
    expect(access?.resource).toBe(RESOURCE);
    expect(access?.claims.active).toBe(true);
  });

  it('accepts a token for a parent resource path on a / boundary', async () => {
    const token = await as.issueToken({ resource: 'https://mcp.example.com/' });
    await expect(verifier().verifyAccessToken(token)).resolves.toMatchObject({
      clientId: 'm2m-client',
    });
  });

  it('rejects a token for another resource when validateResource is on', async () => {
    const token = await as.issueToken({ resource: OTHER });
    await expect(verifier().verifyAccessToken(token)).rejects.toMatchObject({
      code: 'ERR_TOKEN_AUDIENCE',
      errorCode: 'invalid_token',
    });
    expect(await verifier().verifyToken(token)).toBeNull();
  });

  it('accepts a token for another resource when validateResource is off', async () => {
    const token = await as.issueToken({ resource: OTHER });
    const info = await verifier({ validateResource: false }).verifyAccessToken(token);
    expect(info.resource?.href).toBe(OTHER);
  });

  it('rejects a token without an audience when validateResource is on', async () => {
    const token = await as.issueToken({ scope: 'read' });
    await expect(verifier().verifyAccessToken(token)).rejects.toMatchObject({
      code: 'ERR_TOKEN_AUDIENCE',
    });
  });

  it('rejects a garbage token as inactive', async () => {
    const v = verifier();
    await expect(v.verifyAccessToken('garbage-token-123')).rejects.toMatchObject({
      code: 'ERR_TOKEN_INACTIVE',
    });
    expect(await v.verifyToken('garbage-token-123')).toBeNull();
  });

  it('rejects a revoked token', async () => {
    const token = await as.issueToken({ resource: RESOURCE });
    const v = verifier({ cache: false });
    await expect(v.verifyAccessToken(token)).resolves.toBeDefined();
    const m2m = as.clients.m2m;
    const revoke = await fetch(`${as.issuer}/token/revocation`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${m2m.clientId}:${m2m.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ token }).toString(),
    });
    expect(revoke.status).toBe(200);
    await expect(v.verifyAccessToken(token)).rejects.toMatchObject({ code: 'ERR_TOKEN_INACTIVE' });
  });

  it('wrong introspection credentials are an outage, not a token verdict', async () => {
    const logger = captureLogger();
    const token = await as.issueToken({ resource: RESOURCE });
    const v = verifier({ clientSecret: 'not-the-secret', logger });
    await expect(v.verifyAccessToken(token)).rejects.toMatchObject({
      code: 'ERR_INTROSPECTION_UNAVAILABLE',
    });
    const rejected = logger.records.find(
      (r) => r.record.event === 'introspection_credentials_rejected',
    );
    expect(rejected?.level).toBe('error');
    expect(logger.text()).not.toContain('not-the-secret');
    expect(logger.text()).not.toContain(token);
  });

  describe('client authentication methods', () => {
    it.each([
      ['client_secret_basic', () => ({ ...as.clients.basic })],
      ['client_secret_post', () => ({ ...as.clients.post })],
      ['client_secret_basic', () => ({ ...as.clients.special })],
      ['none', () => ({ clientId: as.clients.none.clientId })],
    ] as const)('%s works', async (method, credentials) => {
      const token = await as.issueToken({ resource: RESOURCE, scope: 'read' });
      const v = verifier({ clientSecret: undefined, ...credentials(), clientAuthMethod: method });
      const before = as.introspectionCount;
      await expect(v.verifyAccessToken(token)).resolves.toMatchObject({ scopes: ['read'] });
      expect(as.introspectionCount).toBe(before + 1);
    });

    it('bearer works (through the fixture bearer front door)', async () => {
      const token = await as.issueToken({ resource: RESOURCE, scope: 'write' });
      const v = verifier({
        introspectionEndpoint: as.bearerIntrospectionEndpoint,
        clientId: undefined,
        clientSecret: as.bearerToken,
        clientAuthMethod: 'bearer',
      });
      await expect(v.verifyAccessToken(token)).resolves.toMatchObject({ scopes: ['write'] });
      const wrong = verifier({
        introspectionEndpoint: as.bearerIntrospectionEndpoint,
        clientId: undefined,
        clientSecret: 'wrong-bearer',
        clientAuthMethod: 'bearer',
      });
      await expect(wrong.verifyAccessToken(token)).rejects.toMatchObject({
        code: 'ERR_INTROSPECTION_UNAVAILABLE',
      });
    });

    it('a wrong client_secret_post secret is an outage', async () => {
      const token = await as.issueToken({ resource: RESOURCE });
      const v = verifier({
        ...as.clients.post,
        clientSecret: 'nope',
        clientAuthMethod: 'client_secret_post',
      });
      await expect(v.verifyAccessToken(token)).rejects.toMatchObject({
        code: 'ERR_INTROSPECTION_UNAVAILABLE',
      });
    });
  });

  it('expired tokens are rejected (short-lived token, injected clock past exp)', async () => {
    const token = await as.issueToken({ resource: RESOURCE });
    const later = Date.now() + 2 * 3600 * 1000;
    await expect(verifier({ now: () => later }).verifyAccessToken(token)).rejects.toMatchObject({
      code: 'ERR_TOKEN_EXPIRED',
    });
  });

  it('an authorization server outage is unavailable, and recovery works', async () => {
    const token = await as.issueToken({ resource: RESOURCE });
    const v = verifier({ cache: false, timeoutMs: 2000 });
    await as.stop();
    try {
      await expect(v.verifyAccessToken(token)).rejects.toMatchObject({
        code: 'ERR_INTROSPECTION_UNAVAILABLE',
      });
      expect(await v.verifyToken(token)).toBeNull();
    } finally {
      await as.start();
    }
    await expect(v.verifyAccessToken(token)).resolves.toMatchObject({ clientId: 'm2m-client' });
  });
});
