import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { OAuthDiscoveryOptions } from '../../src/express.js';
import { registerOAuthDiscoveryEndpoints } from '../../src/express.js';

const SERVER = 'https://mcp.example.com/mcp';
const AS = 'https://auth.example.com';
const PRM_PATHS = [
  '/.well-known/oauth-protected-resource',
  '/.well-known/oauth-protected-resource/mcp',
  '/mcp/.well-known/oauth-protected-resource',
];
const AS_PATHS = [
  '/.well-known/oauth-authorization-server',
  '/.well-known/oauth-authorization-server/mcp',
  '/.well-known/openid-configuration',
];

function app(options: Partial<OAuthDiscoveryOptions> = {}) {
  const a = express();
  registerOAuthDiscoveryEndpoints(a, {
    serverUrl: SERVER,
    authServerPublicUrl: AS,
    authorizationServerMetadata: 'synthesize',
    ...options,
  } as OAuthDiscoveryOptions);
  a.use((_req, res) => {
    res.status(404).send('fallthrough');
  });
  return a;
}

describe('registerOAuthDiscoveryEndpoints (Express)', () => {
  it('serves the protected resource metadata at the root, path-inserted and legacy URLs', async () => {
    const a = app({ scopes: ['read', 'write'], resourceName: 'Notes' });
    for (const path of PRM_PATHS) {
      const res = await request(a).get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({
        resource: SERVER,
        authorization_servers: [AS],
        scopes_supported: ['read', 'write'],
        bearer_methods_supported: ['header'],
        resource_name: 'Notes',
      });
    }
  });

  it("synthesizes the Python package's authorization server layout", async () => {
    const a = app();
    const root = await request(a).get('/.well-known/oauth-authorization-server');
    expect(root.body).toEqual({
      issuer: AS,
      authorization_endpoint: `${AS}/authorize`,
      token_endpoint: `${AS}/token`,
      introspection_endpoint: `${AS}/introspect`,
      registration_endpoint: `${AS}/register`,
      revocation_endpoint: `${AS}/revoke`,
      scopes_supported: ['read'],
      response_types_supported: ['code'],
      grant_types_supported: [
        'authorization_code',
        'refresh_token',
        'urn:ietf:params:oauth:grant-type:device_code',
      ],
      token_endpoint_auth_methods_supported: ['client_secret_post'],
      code_challenge_methods_supported: ['S256'],
    });
    expect((await request(a).get('/.well-known/openid-configuration')).body).toEqual(root.body);
    const scoped = await request(a).get('/.well-known/oauth-authorization-server/mcp');
    expect(scoped.body).toEqual({ ...root.body, resource: SERVER });
  });

  it('normalises trailing slashes in serverUrl and authServerPublicUrl', async () => {
    const a = app({ serverUrl: `${SERVER}//`, authServerPublicUrl: `${AS}/` });
    const prm = await request(a).get('/.well-known/oauth-protected-resource/mcp');
    expect(prm.body).toMatchObject({ resource: SERVER, authorization_servers: [AS] });
    const legacy = await request(a).get('/mcp/.well-known/oauth-protected-resource/');
    expect(legacy.status).toBe(200);
    const meta = await request(a).get('/.well-known/oauth-authorization-server');
    expect(meta.body.token_endpoint).toBe(`${AS}/token`);
    expect((await request(a).get('/mcp/')).text).toBe('fallthrough');
  });

  it('works for an MCP endpoint at the root', async () => {
    const a = app({ serverUrl: 'https://mcp.example.com/' });
    const prm = await request(a).get('/.well-known/oauth-protected-resource');
    expect(prm.body.resource).toBe('https://mcp.example.com');
    expect((await request(a).get('/.well-known/oauth-authorization-server')).status).toBe(200);
  });

  it('answers CORS preflights, HEAD, and 405 for other methods on every document', async () => {
    const a = app();
    for (const path of [...PRM_PATHS, ...AS_PATHS]) {
      const preflight = await request(a)
        .options(path)
        .set('Origin', 'https://app.example')
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'mcp-protocol-version');
      expect(preflight.status, path).toBe(204);
      expect(preflight.headers).toMatchObject({
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, HEAD, OPTIONS',
        'access-control-allow-headers': 'Authorization, Content-Type, MCP-Protocol-Version',
      });
      const get = await request(a).get(path).set('Origin', 'https://app.example');
      expect(get.headers['access-control-allow-origin'], path).toBe('*');
      const head = await request(a).head(path);
      expect(head.status, path).toBe(200);
      expect(head.text ?? '').toBe('');
      for (const method of ['post', 'put', 'delete', 'patch'] as const) {
        const refused = await request(a)[method](path);
        expect(refused.status, `${method} ${path}`).toBe(405);
        expect(refused.headers.allow).toBe('GET, HEAD, OPTIONS');
        expect(refused.body.error).toBe('method_not_allowed');
      }
    }
  });

  it('cors: a list of origins echoes listed origins only; false sends no CORS headers', async () => {
    const listed = app({ cors: { allowOrigin: ['https://ok.example'] } });
    const ok = await request(listed)
      .get(PRM_PATHS[0] as string)
      .set('Origin', 'https://ok.example');
    expect(ok.headers['access-control-allow-origin']).toBe('https://ok.example');
    expect(ok.headers.vary).toMatch(/Origin/);
    const other = await request(listed)
      .get(PRM_PATHS[0] as string)
      .set('Origin', 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const none = await request(app({ cors: false })).get(PRM_PATHS[0] as string);
    expect(none.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('authorizationServerMetadata:false serves no authorization server metadata', async () => {
    const a = app({ authorizationServerMetadata: false });
    for (const path of AS_PATHS) expect((await request(a).get(path)).status, path).toBe(404);
    expect((await request(a).get(PRM_PATHS[1] as string)).status).toBe(200);
  });

  it('registers synchronously and refuses bad options at registration', () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ authorizationServerMetadata: 'mirror' }, 'authorizationServerMetadata'],
      [{ cors: 'yes' }, 'cors'],
      [{ cors: { allowOrigin: 'https://x' } }, 'cors.allowOrigin'],
      [{ serverUrl: 'not a url' }, 'serverUrl'],
      [{ metadataTtlMs: -1, authorizationServerMetadata: 'proxy' }, 'metadataTtlMs'],
    ];
    for (const [options, name] of bad) {
      expect(() => app(options as never), name).toThrow(TypeError);
      expect(() => app(options as never), name).toThrow(name);
    }
  });
});
