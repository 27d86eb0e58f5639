/**
 * Issue 11 §6 through the verifiers, the three real gate adapters and the SDK's real transport:
 * an authorization server or key set at an IPv6 address carrying a loopback or metadata IPv4
 * (NAT64 /96, local-use NAT64, 6to4, Teredo) is refused — configured as a literal (at startup,
 * even with `allowLocalhost`), reached through DNS (by the connector), or named by the issuer's
 * metadata (`jwks_uri`). The tool never runs.
 */

import type { LookupFunction } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafeHttpClient } from '../../src/ssrf/safe-http-client.js';
import { IntrospectionTokenVerifier } from '../../src/verify/introspection/verifier.js';
import { JwtTokenVerifier } from '../../src/verify/jwt/verifier.js';
import { captureLogger } from '../helpers/auth-log-capture.js';
import {
  type KeyServer,
  makeKey,
  NOW_MS,
  SERVER_URL,
  sign,
  startKeyServer,
} from '../verify/_jwt-fixtures.js';
import { ADAPTERS, call, startHarness } from './_gate-harness.js';

/** Each carries 127.0.0.1 or 169.254.169.254. */
const CARRIERS: readonly [string, string][] = [
  ['NAT64 loopback', '64:ff9b::7f00:1'],
  ['NAT64 metadata', '64:ff9b::a9fe:a9fe'],
  ['local-use NAT64 loopback', '64:ff9b:1::7f00:1'],
  ['NAT64 loopback, mixed notation', '64:ff9b::127.0.0.1'],
  ['6to4 loopback', '2002:7f00:1::1'],
  ['6to4 metadata', '2002:a9fe:a9fe::1'],
  ['Teredo, loopback client', '2001:0:808:808:0:0:80ff:fffe'],
];

describe('IPv4-carrying literals are refused at startup', () => {
  it.each(CARRIERS)('%s as the introspection endpoint or key set', (_name, address) => {
    const url = `http://[${address}]:8080/token/introspection`;
    expect(
      () =>
        new IntrospectionTokenVerifier({
          introspectionEndpoint: url,
          serverUrl: SERVER_URL,
          clientId: 'rs',
          clientSecret: 'secret',
          allowLocalhost: true,
        }),
    ).toThrow(TypeError);
    for (const jwksUri of [url, `https://[${address}]/jwks`]) {
      expect(
        () =>
          new JwtTokenVerifier({
            issuer: 'https://as.example.com',
            jwksUri,
            serverUrl: SERVER_URL,
          }),
      ).toThrow(TypeError);
    }
    expect(
      () => new JwtTokenVerifier({ issuer: `https://[${address}]`, serverUrl: SERVER_URL }),
    ).toThrow(TypeError);
  });
});

describe.each(CARRIERS)(
  '%s reached through DNS or metadata: 503, the tool never runs',
  (_n, address) => {
    let keys: KeyServer;

    beforeAll(async () => {
      keys = await startKeyServer();
      keys.keys = [await makeKey('k1')];
    });

    afterAll(async () => keys.close());

    it('an introspection endpoint whose name resolves to it (the connector refuses)', async () => {
      const lookups: string[] = [];
      const lookup = ((host: string, _o: unknown, cb: (e: null, a: object[]) => void) => {
        lookups.push(host);
        cb(null, [{ address, family: 6 }]);
      }) as unknown as LookupFunction;
      const logger = captureLogger();
      const verifier = new IntrospectionTokenVerifier({
        introspectionEndpoint: 'https://as.example.com/token/introspection',
        serverUrl: SERVER_URL,
        clientId: 'rs',
        clientSecret: 'secret',
        httpClient: createSafeHttpClient({ lookup, connectTimeoutMs: 2_000 }),
        logger,
      });
      const harness = await startHarness({ verifier, serverUrl: SERVER_URL });
      try {
        for (const adapter of ADAPTERS) {
          const res = await harness.send(adapter, `opaque-token-${adapter}`, call('read_notes'));
          expect([adapter, res.status]).toEqual([adapter, 503]);
        }
        expect(harness.runs.size).toBe(0);
        expect(lookups).toContain('as.example.com');
        expect(logger.text()).toContain('ERR_SSRF_BLOCKED');
      } finally {
        await harness.close();
        await verifier.close();
      }
    });

    it("the issuer's metadata names a jwks_uri there: no key request leaves", async () => {
      const { port } = new URL(keys.origin);
      keys.metadata = { issuer: keys.origin, jwks_uri: `http://[${address}]:${port}/jwks` };
      const logger = captureLogger();
      const verifier = new JwtTokenVerifier({
        issuer: keys.origin,
        serverUrl: SERVER_URL,
        allowLocalhost: true,
        now: () => NOW_MS,
        logger,
      });
      const harness = await startHarness({ verifier, serverUrl: SERVER_URL });
      try {
        const bearer = await sign(keys.keys[0]!, { iss: keys.origin });
        for (const adapter of ADAPTERS) {
          const res = await harness.send(adapter, bearer, call('read_notes'));
          expect([adapter, res.status]).toEqual([adapter, 503]);
        }
        expect(harness.runs.size).toBe(0);
        expect(keys.count('/.well-known/openid-configuration')).toBeGreaterThan(0);
        expect(keys.count('/jwks')).toBe(0);
        expect(logger.text()).toContain('"error":"ERR_SSRF_BLOCKED"');
      } finally {
        await harness.close();
        await verifier.close();
      }
    });
  },
);
