import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientAuthMethod } from '../../src/verify/introspection/types.js';
import { IntrospectionTokenVerifier } from '../../src/verify/introspection/verifier.js';
import { captureLogger } from '../helpers/auth-log-capture.js';
import { type AuthServer, startAuthServer } from '../helpers/auth-server.js';
import { type FaultyServer, json, startFaultyServer } from '../helpers/faulty-server.js';

const RESOURCE = 'https://mcp.example.com/mcp';

let as: AuthServer;
let faulty: FaultyServer;

beforeAll(async () => {
  [as, faulty] = await Promise.all([startAuthServer(), startFaultyServer()]);
});

afterAll(async () => {
  await Promise.all([as.close(), faulty.close()]);
});

function serialise(value: unknown): string {
  if (!(value instanceof Error)) return JSON.stringify(value ?? null);
  const cause = (value as { cause?: unknown }).cause;
  return `${value.name} ${value.message} ${value.stack} ${cause ? serialise(cause) : ''}`;
}

describe('no log record or error ever contains the token or the client secret', () => {
  const scenarios: [
    string,
    ClientAuthMethod,
    () => { endpoint: string; secret: string; id?: string },
  ][] = [
    [
      'basic, wrong secret',
      'client_secret_basic',
      () => ({ endpoint: as.introspectionEndpoint, id: 'rs-basic', secret: 'WRONG-basic-secret' }),
    ],
    [
      'post, wrong secret',
      'client_secret_post',
      () => ({ endpoint: as.introspectionEndpoint, id: 'rs-post', secret: 'WRONG-post-secret' }),
    ],
    [
      'bearer, wrong secret',
      'bearer',
      () => ({ endpoint: as.bearerIntrospectionEndpoint, secret: 'WRONG-bearer-secret' }),
    ],
    [
      'basic, right secret',
      'client_secret_basic',
      () => ({
        endpoint: as.introspectionEndpoint,
        id: 'rs-basic',
        secret: as.clients.basic.clientSecret,
      }),
    ],
    [
      'faulty server',
      'client_secret_post',
      () => ({ endpoint: `${faulty.url}/x`, id: 'rs', secret: 'faulty-secret-1' }),
    ],
  ];

  it.each(scenarios)('%s', async (_name, clientAuthMethod, setup) => {
    const { endpoint, id, secret } = setup();
    const logger = captureLogger();
    const token = await as.issueToken({ resource: 'https://elsewhere.example/' });
    const verifier = new IntrospectionTokenVerifier({
      introspectionEndpoint: endpoint,
      serverUrl: RESOURCE,
      clientId: id,
      clientSecret: secret,
      clientAuthMethod,
      logger,
      timeoutMs: 300,
    });
    faulty.handle((_req, res) => json(res, 500, { echoed: 'x' }));
    const seen: unknown[] = [];
    for (const t of [token, 'garbage-token-value', `${token}!`, 'x'.repeat(5000)]) {
      seen.push(await verifier.verifyAccessToken(t).catch((err: unknown) => err));
      seen.push(await verifier.verifyToken(t));
    }
    await verifier.close();
    expect(logger.records.length).toBeGreaterThan(0);
    const text = logger.text() + seen.map(serialise).join('\n');
    for (const secretValue of [token, 'garbage-token-value', secret, 'x'.repeat(5000)]) {
      expect(text).not.toContain(secretValue);
    }
  });
});
