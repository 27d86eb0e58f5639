import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IntrospectionTokenVerifier } from '../../src/verify/introspection/verifier.js';
import { type CaptureLogger, captureLogger } from '../helpers/auth-log-capture.js';
import { type FaultyServer, json, startFaultyServer } from '../helpers/faulty-server.js';

const RESOURCE = 'https://mcp.example.com/mcp';
const TOKEN = 'tok-abc.DEF_123~+/=';
const SECRET = 'faulty-secret-value';

let server: FaultyServer;
let internal: FaultyServer;
let logger: CaptureLogger;
let verifier: IntrospectionTokenVerifier;

beforeAll(async () => {
  server = await startFaultyServer();
  internal = await startFaultyServer();
});

afterAll(async () => {
  await server.close();
  await internal.close();
});

function makeVerifier(): IntrospectionTokenVerifier {
  logger = captureLogger();
  verifier = new IntrospectionTokenVerifier({
    introspectionEndpoint: `${server.url}/introspect`,
    serverUrl: RESOURCE,
    clientId: 'rs',
    clientSecret: SECRET,
    timeoutMs: 200,
    maxResponseBytes: 65_536,
    logger,
  });
  return verifier;
}

afterEach(async () => {
  await verifier?.close();
  expect(logger.text()).not.toContain(TOKEN);
  expect(logger.text()).not.toContain(SECRET);
});

async function expectOutcome(code: string): Promise<number> {
  const started = performance.now();
  const v = makeVerifier();
  const error = await v.verifyAccessToken(TOKEN).then(
    () => undefined,
    (err: unknown) => err as { code?: string; message?: string },
  );
  expect(error?.code).toBe(code);
  expect(error?.message).not.toContain(TOKEN);
  expect(error?.message).not.toContain(SECRET);
  expect(await v.verifyToken(TOKEN)).toBeNull();
  return performance.now() - started;
}

const ACTIVE = { active: true, aud: RESOURCE, scope: 'read', client_id: 'c' };

describe('IntrospectionTokenVerifier against a faulty server', () => {
  it('a well-behaved answer verifies (control)', async () => {
    server.handle((_req, res) => json(res, 200, ACTIVE));
    await expect(makeVerifier().verifyAccessToken(TOKEN)).resolves.toMatchObject({ clientId: 'c' });
    expect(server.last?.headers.authorization).toMatch(/^Basic /);
    expect(new URLSearchParams(server.last?.body)).toEqual(
      new URLSearchParams({ token: TOKEN, token_type_hint: 'access_token' }),
    );
  });

  it('302 to an internal URL is not followed and is unavailable', async () => {
    const before = internal.count;
    server.handle((_req, res) => {
      res.writeHead(302, { location: `${internal.url}/steal` });
      res.end();
    });
    internal.handle((_req, res) => json(res, 200, ACTIVE));
    await expectOutcome('ERR_INTROSPECTION_UNAVAILABLE');
    expect(internal.count).toBe(before);
  });

  it.each([500, 502, 503, 404])('HTTP %i is unavailable', async (status) => {
    server.handle((_req, res) => json(res, status, ACTIVE));
    await expectOutcome('ERR_INTROSPECTION_UNAVAILABLE');
  });

  it('429 is unavailable and carries Retry-After', async () => {
    server.handle((_req, res) => {
      res.writeHead(429, { 'retry-after': '7' });
      res.end();
    });
    await expectOutcome('ERR_INTROSPECTION_UNAVAILABLE');
    await expect(makeVerifier().verifyAccessToken(TOKEN)).rejects.toMatchObject({
      retryAfterSeconds: 7,
    });
  });

  it.each([
    ['non-JSON', 'this is <html> not json'],
    ['a JSON array', JSON.stringify([ACTIVE])],
    ['JSON null', 'null'],
    ['a JSON string', '"active"'],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0x7d])],
  ])('%s is unavailable', async (_name, body) => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    await expectOutcome('ERR_INTROSPECTION_UNAVAILABLE');
  });

  it.each([
    ['active: "true"', { ...ACTIVE, active: 'true' }],
    ['active: 1', { ...ACTIVE, active: 1 }],
    ['no active', { aud: RESOURCE }],
  ])('%s is an inactive token', async (_name, body) => {
    server.handle((_req, res) => json(res, 200, body));
    await expectOutcome('ERR_TOKEN_INACTIVE');
  });

  it('a 10 MB body is unavailable, quickly', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"active":true,"pad":"');
      for (let i = 0; i < 10 && !res.destroyed; i += 1) res.write(chunk);
      res.end('"}');
    });
    const ms = await expectOutcome('ERR_INTROSPECTION_UNAVAILABLE');
    expect(ms).toBeLessThan(5000);
  });

  it('a 10 MB body announced by content-length is unavailable', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
      res.write('{"active":true');
    });
    await expectOutcome('ERR_INTROSPECTION_UNAVAILABLE');
  });

  it('a response slower than timeoutMs is unavailable, quickly', async () => {
    server.handle((_req, res) => server.later(3000, () => json(res, 200, ACTIVE)));
    const ms = await expectOutcome('ERR_INTROSPECTION_UNAVAILABLE');
    expect(ms).toBeLessThan(2900);
    const timeouts = logger.records.filter((r) => r.record.code === 'ERR_HTTP_TIMEOUT');
    expect(timeouts.length).toBeGreaterThan(0);
  });

  it('a body that stalls after the headers is unavailable', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"active":');
      server.later(3000, () => res.end('true}'));
    });
    const ms = await expectOutcome('ERR_INTROSPECTION_UNAVAILABLE');
    expect(ms).toBeLessThan(2900);
  });

  it('a connection reset is unavailable', async () => {
    server.handle((req) => req.socket.resetAndDestroy());
    await expectOutcome('ERR_INTROSPECTION_UNAVAILABLE');
  });

  it.each([401, 403])(
    'HTTP %i to our credentials is unavailable with an error log',
    async (status) => {
      server.handle((_req, res) => json(res, status, { error: 'invalid_client' }));
      await expectOutcome('ERR_INTROSPECTION_UNAVAILABLE');
      const record = logger.records.find(
        (r) => r.record.event === 'introspection_credentials_rejected',
      );
      expect(record?.level).toBe('error');
      expect(record?.record).toMatchObject({ status, clientId: 'rs' });
    },
  );

  it('400 invalid_client is a credentials problem, not a token verdict', async () => {
    server.handle((_req, res) => json(res, 400, { error: 'invalid_client' }));
    await expectOutcome('ERR_INTROSPECTION_UNAVAILABLE');
  });

  it.each([
    ['unsupported_token_type', 'ERR_TOKEN_INACTIVE'],
    ['invalid_token', 'ERR_TOKEN_INACTIVE'],
    ['invalid_request', 'ERR_TOKEN_MALFORMED'],
    ['server_error', 'ERR_INTROSPECTION_UNAVAILABLE'],
  ])('400 %s → %s', async (error, code) => {
    server.handle((_req, res) => json(res, 400, { error }));
    await expectOutcome(code);
  });

  it('400 unsupported_token_type is a 401 invalid_token for the SDK', async () => {
    server.handle((_req, res) => json(res, 400, { error: 'unsupported_token_type' }));
    await expect(makeVerifier().verifyAccessToken(TOKEN)).rejects.toMatchObject({
      errorCode: 'invalid_token',
    });
  });
});
