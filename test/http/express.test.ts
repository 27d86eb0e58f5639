import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { IntrospectionUnavailableError, TokenRejectedError } from '../../src/errors.js';
import { createLoggingMiddleware, normalizePath, requireBearerAuth } from '../../src/express.js';
import { captureLogger } from '../helpers/auth-log-capture.js';
import { parseWwwAuthenticate } from '../helpers/www-authenticate.js';

const PING = { jsonrpc: '2.0', id: 1, method: 'ping' };
const TOKEN = 'tok-9f8e7d6c5b4a';
const SECRET = 'client-secret-1a2b3c';

const verifier = {
  serverUrl: 'http://127.0.0.1/mcp',
  async verifyAccessToken(token: string): Promise<AuthInfo> {
    if (token === 'down') throw new IntrospectionUnavailableError('down', { retryAfterSeconds: 2 });
    if (token !== TOKEN) throw new TokenRejectedError('ERR_TOKEN_INACTIVE', 'inactive');
    return { token, clientId: 'client-7', scopes: ['read'], expiresAt: Date.now() / 1000 + 60 };
  },
};

function app() {
  const a = express();
  a.use(express.json());
  a.use(normalizePath());
  a.post(
    '/mcp',
    requireBearerAuth({ verifier, requiredScopes: ['read'], toolScopes: { add: ['write'] } }),
    (req, res) => {
      res.json({ clientId: req.auth?.clientId, scopes: req.auth?.scopes });
    },
  );
  return a;
}

const toolCall = (name: string) => ({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name },
});

describe('requireBearerAuth (Express)', () => {
  it('sets req.auth for a valid token', async () => {
    const res = await request(app())
      .post('/mcp')
      .set('Authorization', `Bearer ${TOKEN}`)
      .send(PING);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ clientId: 'client-7', scopes: ['read'] });
  });

  it('401 without credentials: challenge without error, JSON body', async () => {
    const res = await request(app()).post('/mcp').send({});
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer resource_metadata="http://127.0.0.1/.well-known/oauth-protected-resource/mcp", scope="read"',
    );
    expect(res.body).toEqual({
      error: 'unauthorized',
      error_description: 'Authorization required',
    });
  });

  it('400 for two Authorization headers (Node keeps only the first in req.headers)', async () => {
    const res = await request(app())
      .post('/mcp')
      .set('Authorization', [`Bearer ${TOKEN}`, 'Bearer other'] as unknown as string)
      .send({});
    expect(res.status).toBe(400);
    expect(parseWwwAuthenticate(res.headers['www-authenticate'] ?? '').params.error).toBe(
      'invalid_request',
    );
  });

  it('401 invalid_token, 403 insufficient_scope from the parsed body, 503 + Retry-After', async () => {
    const bad = await request(app()).post('/mcp').set('Authorization', 'Bearer nope').send({});
    expect(bad.status).toBe(401);
    expect(bad.body.error).toBe('invalid_token');
    const scope = await request(app())
      .post('/mcp')
      .set('Authorization', `Bearer ${TOKEN}`)
      .send(toolCall('add'));
    expect(scope.status).toBe(403);
    expect(parseWwwAuthenticate(scope.headers['www-authenticate'] ?? '').params.scope).toBe(
      'read write',
    );
    const down = await request(app()).post('/mcp').set('Authorization', 'Bearer down').send({});
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toBe('2');
    expect(down.headers['www-authenticate']).toBeUndefined();
  });

  it('400 with JSON-RPC -32020 when Mcp-Name disagrees with the body', async () => {
    const res = await request(app())
      .post('/mcp')
      .set('Authorization', `Bearer ${TOKEN}`)
      .set('Mcp-Method', 'tools/call')
      .set('Mcp-Name', 'list')
      .send(toolCall('add'));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      jsonrpc: '2.0',
      id: 1,
      error: { code: -32020, message: expect.any(String) },
    });
  });
});

describe('normalizePath (Express)', () => {
  it('routes /mcp/ and /mcp// as /mcp, keeps the query and originalUrl', async () => {
    const a = express();
    a.use(normalizePath());
    a.get('/mcp', (req, res) => {
      res.json({ url: req.url, originalUrl: req.originalUrl });
    });
    a.get('/', (_req, res) => {
      res.send('root');
    });
    expect((await request(a).get('/mcp//?x=1')).body).toEqual({
      url: '/mcp?x=1',
      originalUrl: '/mcp//?x=1',
    });
    expect((await request(a).get('/mcp/')).status).toBe(200);
    expect((await request(a).get('/')).text).toBe('root');
  });
});

describe('createLoggingMiddleware (Express)', () => {
  function loggedApp(options: Parameters<typeof createLoggingMiddleware>[0]) {
    const a = express();
    a.use(createLoggingMiddleware(options));
    a.use(express.json());
    a.use(express.urlencoded({ extended: false }));
    a.post('/token', (_req, res) => {
      res.status(201).json({ ok: true });
    });
    a.post('/mcp', requireBearerAuth({ verifier }), (_req, res) => {
      res.json({ ok: true });
    });
    return a;
  }

  async function exercise(a: express.Express): Promise<void> {
    await request(a)
      .post(`/token?access_token=${TOKEN}&page=2`)
      .set('Authorization', `Basic ${Buffer.from(`id:${SECRET}`).toString('base64')}`)
      .set('Cookie', `session=${TOKEN}`)
      .set('X-Api-Key', SECRET)
      .type('form')
      .send({ grant_type: 'client_credentials', client_secret: SECRET, code: TOKEN });
    await request(a)
      .post('/mcp')
      .set('Authorization', `Bearer ${TOKEN}`)
      .send({ ...PING, params: { password: SECRET } });
  }

  it('one record per request with method, path, status, duration and clientId; no secrets', async () => {
    const logs = captureLogger();
    let t = 0;
    await exercise(loggedApp({ logger: logs, dangerouslyLogBodies: true, now: () => (t += 5) }));
    expect(logs.records).toHaveLength(2);
    const [first, second] = logs.records.map((r) => r.record);
    expect(first).toMatchObject({
      event: 'http_request',
      method: 'POST',
      path: '/token',
      status: 201,
      durationMs: 5,
      clientId: null,
      query: { access_token: '[REDACTED]', page: '[REDACTED]' },
      body: { grant_type: '[REDACTED]', client_secret: '[REDACTED]', code: '[REDACTED]' },
    });
    expect(first?.headers).toMatchObject({
      authorization: 'Basic [REDACTED]',
      cookie: '[REDACTED]',
      'x-api-key': '[REDACTED]',
    });
    expect(second).toMatchObject({ path: '/mcp', status: 200, clientId: 'client-7' });
    expect(logs.text()).not.toContain(TOKEN);
    expect(logs.text()).not.toContain(SECRET);
    expect(logs.text()).not.toContain(Buffer.from(`id:${SECRET}`).toString('base64'));
  });

  it('bodies are left out unless dangerouslyLogBodies; maskAuth:false logs raw values', async () => {
    const quiet = captureLogger();
    await exercise(loggedApp({ logger: quiet }));
    expect(quiet.records.every((r) => !('body' in r.record))).toBe(true);
    expect(quiet.text()).not.toContain(TOKEN);
    const raw = captureLogger();
    await exercise(loggedApp({ logger: raw, maskAuth: false }));
    expect(raw.text()).toContain(TOKEN);
  });

  it('refuses bad options', () => {
    expect(() => createLoggingMiddleware({ logger: {} as never })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
    expect(() => createLoggingMiddleware({ maskAuth: 'yes' as never })).toThrow('maskAuth');
  });
});
