import { requireBearerAuth as requireBearerAuthV1 } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { OAuthError, requireBearerAuth as requireBearerAuthV2 } from '@modelcontextprotocol/server';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VerifierUnavailableError } from '../../src/errors.js';
import { authErrorResponse } from '../../src/http/challenge.js';
import { toSdkVerifier as toV1 } from '../../src/sdk-v1.js';
import { toSdkVerifier as toV2 } from '../../src/sdk-v2.js';
import { IntrospectionTokenVerifier } from '../../src/verify/introspection/verifier.js';
import { type AuthServer, startAuthServer } from '../helpers/auth-server.js';

// Our verifier inside each SDK line's own requireBearerAuth: 401 for a bad token, never 500 for
// an outage (the SDK gates cannot answer 503; they answer 400 temporarily_unavailable).
const SERVER_URL = 'http://127.0.0.1:9/mcp';
let as: AuthServer;
let verifier: IntrospectionTokenVerifier;

beforeAll(async () => {
  as = await startAuthServer({ scopes: ['read'] });
  verifier = new IntrospectionTokenVerifier({
    introspectionEndpoint: as.introspectionEndpoint,
    serverUrl: SERVER_URL,
    clientId: as.clients.basic.clientId,
    clientSecret: as.clients.basic.clientSecret,
    cache: false,
  });
});

afterAll(async () => {
  await verifier?.close();
  await as?.close();
});

function v1App() {
  const app = express();
  app.get('/mcp', requireBearerAuthV1({ verifier: toV1(verifier) }), (req, res) => {
    res.json({ clientId: (req as unknown as { auth: { clientId: string } }).auth.clientId });
  });
  return app;
}

const v2Gate = () => requireBearerAuthV2({ verifier: toV2(verifier) });
const v2 = (token: string) =>
  v2Gate()(new Request(SERVER_URL, { headers: { authorization: `Bearer ${token}` } }));

describe('toSdkVerifier inside the SDK gates (real verifier, real authorization server)', () => {
  it('a good token passes both gates; the verifier fills AuthInfo.resource', async () => {
    const token = await as.issueToken({ scope: 'read', resource: SERVER_URL });
    const ok = await request(v1App()).get('/mcp').set('authorization', `Bearer ${token}`);
    expect(ok.status).toBe(200);
    expect(ok.body.clientId).toBe(as.clients.m2m.clientId);
    const auth = await v2(token);
    expect(auth).not.toBeInstanceOf(Response);
    expect((auth as { resource?: URL }).resource?.href).toBe(SERVER_URL);
  });

  it('a bad token: 401 invalid_token on both lines', async () => {
    const v1 = await request(v1App()).get('/mcp').set('authorization', 'Bearer not-a-token');
    expect(v1.status).toBe(401);
    expect(v1.headers['www-authenticate']).toContain('error="invalid_token"');
    const r = (await v2('not-a-token')) as Response;
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('authorization server down: temporarily_unavailable on both lines, never 401 or 500', async () => {
    const token = await as.issueToken({ scope: 'read', resource: SERVER_URL });
    await as.stop();
    try {
      const v1 = await request(v1App()).get('/mcp').set('authorization', `Bearer ${token}`);
      expect(v1.status).toBe(400);
      expect(v1.body.error).toBe('temporarily_unavailable');
      const r = (await v2(token)) as Response;
      expect(r.status).toBe(400);
      expect(await r.json()).toMatchObject({ error: 'temporarily_unavailable' });
    } finally {
      await as.start();
    }
  });

  it('other errors pass unchanged; a non-verifier is refused', async () => {
    const boom = new Error('boom');
    const failing = { verifyAccessToken: () => Promise.reject(boom) };
    await expect(toV1(failing).verifyAccessToken('t')).rejects.toBe(boom);
    await expect(toV2(failing).verifyAccessToken('t')).rejects.toBe(boom);
    const keysDown = { verifyAccessToken: () => Promise.reject(new VerifierUnavailableError('x')) };
    await expect(toV2(keysDown).verifyAccessToken('t')).rejects.toMatchObject({
      code: 'temporarily_unavailable',
    });
    await expect(toV1(keysDown).verifyAccessToken('t')).rejects.toMatchObject({
      errorCode: 'temporarily_unavailable',
    });
    expect(() => toV2({} as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
  });

  it('our gate maps SDK 2.x OAuthErrors by their brand and code', () => {
    expect(authErrorResponse(new OAuthError('invalid_token', 'bad')).status).toBe(401);
    expect(authErrorResponse(new OAuthError('insufficient_scope', 'x')).status).toBe(403);
    expect(authErrorResponse(new OAuthError('temporarily_unavailable', 'x')).status).toBe(503);
    expect(authErrorResponse(new OAuthError('invalid_request', 'x')).status).toBe(400);
    expect(authErrorResponse(new OAuthError('server_error', 'x')).status).toBe(500);
    const fake = Object.assign(new Error('x'), { code: 'invalid_token' });
    expect(authErrorResponse(fake).status).toBe(500);
  });
});
