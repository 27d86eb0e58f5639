/**
 * Two replicas of the gate sharing one Redis: a proof accepted by one is a replay at the other
 * (one `SET NX PX` per proof), and a nonce issued by one is accepted by the other (shared secret).
 */
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { Redis } from 'ioredis';
import { calculateJwkThumbprint } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBearerGate } from '../../src/http/bearer.js';
import { silentLogger } from '../../src/lib/logger.js';
import { RedisStore } from '../../src/store/redis.js';
import { deleteKeys, describeRedis, redisClient, uniquePrefix } from '../helpers/redis-env.js';
import { type ProofKey, proofKey, signProof } from '../http/dpop/_proofs.js';

const SERVER_URL = 'https://mcp.example.com/mcp';

describeRedis('DPoP replay store shared over real Redis', () => {
  const prefix = uniquePrefix('dpop');
  const clients: Redis[] = [];
  let key: ProofKey;
  let jkt: string;
  beforeAll(async () => {
    key = await proofKey('ES256');
    jkt = await calculateJwkThumbprint(key.jwk, 'sha256');
  });
  afterAll(async () => {
    if (clients[0]) await deleteKeys(clients[0], prefix);
    for (const c of clients) c.disconnect();
  });

  function replica() {
    const client = redisClient();
    clients.push(client);
    const store = new RedisStore({ client, keyPrefix: prefix, logger: silentLogger });
    const verifier = {
      serverUrl: SERVER_URL,
      verifyAccessToken: async (token: string): Promise<AuthInfo> => ({
        token,
        clientId: 'c',
        scopes: [],
        extra: { claims: { cnf: { jkt } } },
      }),
    };
    const dpop = { replayStore: store, nonce: { secret: 'shared-secret-'.repeat(3) } };
    return createBearerGate({ verifier, dpop });
  }

  const req = (proof: string) => ({
    authorization: 'DPoP tok',
    dpop: proof,
    method: 'POST',
    path: '/mcp',
  });

  it('a proof accepted by one replica is refused by the other; nonces cross replicas', async () => {
    const a = replica();
    const b = replica();
    const first = await a(req(await signProof(key, { htu: SERVER_URL })));
    if (first.ok) throw new Error('passed without a nonce');
    const nonce = first.response.headers['DPoP-Nonce'] as string;
    const proof = await signProof(key, { htu: SERVER_URL, nonce });
    expect((await b(req(proof))).ok).toBe(true);
    const replayed = await a(req(proof));
    expect(replayed).toMatchObject({
      ok: false,
      response: {
        status: 401,
        error: 'invalid_dpop_proof',
        description: expect.stringMatching(/already used/),
      },
    });
    const keys = await clients[0]!.keys(`${prefix}v:dpop:jti:*`);
    expect(keys).toHaveLength(1);
    const ttl = await clients[0]!.pttl(keys[0]!);
    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(65_000);
  });

  it('concurrent replays at both replicas: exactly one passes', async () => {
    const a = replica();
    const b = replica();
    const first = await a(req(await signProof(key, { htu: SERVER_URL })));
    const nonce = first.ok ? '' : (first.response.headers['DPoP-Nonce'] as string);
    const proof = await signProof(key, { htu: SERVER_URL, nonce });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b)(req(proof))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it('an unreachable replay store fails closed: 503 + Retry-After, never a pass', async () => {
    const client = redisClient('redis://127.0.0.1:1', {
      lazyConnect: true,
      retryStrategy: () => null,
    });
    clients.push(client);
    const store = new RedisStore({
      client,
      keyPrefix: prefix,
      logger: silentLogger,
      commandTimeoutMs: 200,
    });
    const verifier = {
      serverUrl: SERVER_URL,
      verifyAccessToken: async (token: string): Promise<AuthInfo> => ({
        token,
        clientId: 'c',
        scopes: [],
      }),
    };
    const gate = createBearerGate({ verifier, dpop: { replayStore: store } });
    const result = await gate(req(await signProof(key, { htu: SERVER_URL })));
    expect(result).toMatchObject({ ok: false, response: { status: 503 } });
    if (!result.ok) expect(result.response.headers['Retry-After']).toMatch(/^\d+$/);
  });
});
