/**
 * JWT verification throughput (DESIGN §5 turn-2 targets), in process on one core:
 * - `JwtTokenVerifier` uncached (`cache: false`) as a ratio to bare `jose.jwtVerify` on the same
 *   token and key (target ≥ 0.9×);
 * - the cached path as a ratio to the uncached one (target ≥ 10×).
 *
 * The key set is served once by an in-memory HTTP client (no sockets): what is measured is the
 * verification, not the fetch. Run alone: `npx tsx bench/jwt-verify.ts [--quick]`.
 *
 * @module
 */

import { pathToFileURL } from 'node:url';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import type { SafeHttpClient } from '../src/ssrf/types.js';
import { JwtTokenVerifier } from '../src/verify/jwt/verifier.js';
import { asyncRate, rounds } from './lib/timing.js';

const ISSUER = 'https://auth.example.com';
const SERVER_URL = 'https://mcp.example.com/mcp';

/** Verifications per second (medians) and the two ratios. */
export interface JwtVerifyResult {
  readonly joseRate: number;
  readonly uncachedRate: number;
  readonly cachedRate: number;
  /** uncached / bare jose (target ≥ 0.9). */
  readonly uncachedVsJose: number;
  /** cached / uncached (target ≥ 10). */
  readonly cachedVsUncached: number;
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** Runs the three contenders `count` rounds of about `budgetMs` each. */
export async function runJwtVerify(budgetMs: number, count: number): Promise<JwtVerifyResult> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const token = await new SignJWT({ scope: 'read write', client_id: 'bench' })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setAudience(SERVER_URL)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
  const body = new TextEncoder().encode(JSON.stringify({ keys: [jwk] }));
  const httpClient: SafeHttpClient = {
    request: async () => ({ status: 200, headers: {}, body }),
    close: async () => {},
  };
  const common = { issuer: ISSUER, jwksUri: `${ISSUER}/jwks`, serverUrl: SERVER_URL, httpClient };
  const uncached = new JwtTokenVerifier({ ...common, cache: false, logger: silent });
  const cached = new JwtTokenVerifier({ ...common, logger: silent });
  const joseOptions = {
    issuer: ISSUER,
    audience: SERVER_URL,
    algorithms: ['ES256'],
    typ: 'at+jwt',
  };
  const result = await rounds(
    [
      {
        name: 'jose',
        run: () => asyncRate(() => jwtVerify(token, publicKey, joseOptions), budgetMs),
      },
      { name: 'uncached', run: () => asyncRate(() => uncached.verifyAccessToken(token), budgetMs) },
      { name: 'cached', run: () => asyncRate(() => cached.verifyAccessToken(token), budgetMs) },
    ],
    count,
  );
  const joseRate = result.jose?.median ?? 0;
  const uncachedRate = result.uncached?.median ?? 0;
  const cachedRate = result.cached?.median ?? 0;
  return {
    joseRate: Math.round(joseRate),
    uncachedRate: Math.round(uncachedRate),
    cachedRate: Math.round(cachedRate),
    uncachedVsJose: Number((uncachedRate / joseRate).toFixed(3)),
    cachedVsUncached: Number((cachedRate / uncachedRate).toFixed(1)),
  };
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  const quick = process.argv.includes('--quick');
  runJwtVerify(quick ? 300 : 1000, quick ? 1 : 3).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
