/**
 * JWT verification throughput (DESIGN §5 turn-2 targets), in process on one core:
 * - `JwtTokenVerifier` uncached (`cache: false`) as a ratio to bare `jose.jwtVerify` on the same
 *   tokens and key (target ≥ 0.9×);
 * - the same with the verdict cache on and missed on every call (more distinct tokens than
 *   `maxEntries`, cycled in order: each call hashes, misses, verifies and stores);
 * - the cached path as a ratio to the uncached one (target ≥ 10×).
 *
 * Fair by construction: every contender verifies the same cycle of tokens, signed by one ES256
 * key; bare jose gets that key as a `CryptoKey` and the options our verifier hands jose (the
 * algorithm allow-list, `typ`, `iss`, `aud`, `exp` required, the 30 s skew); our verifier finds
 * the key through its JWKS, served once by an in-memory HTTP client (no sockets), so the key
 * cache is warm and what is measured is the verification, not the fetch. The contenders
 * alternate within one run; rates are given per wall-clock second and per CPU-second of the
 * process. Run alone: `npx tsx bench/jwt-verify.ts [--quick]`.
 *
 * @module
 */

import { pathToFileURL } from 'node:url';
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  type JWTVerifyOptions,
  jwtVerify,
  SignJWT,
} from 'jose';
import type { SafeHttpClient } from '../src/ssrf/types.js';
import { JwtTokenVerifier } from '../src/verify/jwt/verifier.js';
import { asyncRate, rounds } from './lib/timing.js';

const ISSUER = 'https://auth.example.com';
const SERVER_URL = 'https://mcp.example.com/mcp';
/** Distinct tokens cycled by every contender. */
const TOKENS = 64;
/**
 * Each round of `budgetMs` is run as this many shorter alternating slices: the medians then come
 * from 5× as many samples, and a burst of load on a shared machine lands on one slice of each
 * contender rather than on one contender's whole round.
 */
const SLICES = 5;
/** The missing verifier's cache holds fewer verdicts than {@link TOKENS}: LRU misses every call. */
const MISS_CACHE_ENTRIES = 32;

/** Verifications per second (medians) and the ratios, per wall-clock and per CPU-second. */
export interface JwtVerifyResult {
  readonly joseRate: number;
  readonly uncachedRate: number;
  readonly missRate: number;
  readonly cachedRate: number;
  /** uncached / bare jose, wall clock (target ≥ 0.9). */
  readonly uncachedVsJose: number;
  /** uncached / bare jose, per CPU-second. */
  readonly uncachedVsJoseCpu: number;
  /** cache on but missed / bare jose, wall clock. */
  readonly missVsJose: number;
  /** cache on but missed / bare jose, per CPU-second. */
  readonly missVsJoseCpu: number;
  /** cached / uncached (target ≥ 10). */
  readonly cachedVsUncached: number;
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

async function signTokens(): Promise<{ tokens: string[]; publicKey: CryptoKey; body: Uint8Array }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const tokens = await Promise.all(
    Array.from({ length: TOKENS }, (_, i) =>
      new SignJWT({ scope: 'read write', client_id: 'bench' })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' })
        .setIssuer(ISSUER)
        .setAudience(SERVER_URL)
        .setJti(`t${i}`)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey),
    ),
  );
  const body = new TextEncoder().encode(JSON.stringify({ keys: [jwk] }));
  return { tokens, publicKey, body };
}

const ratio = (a: number | undefined, b: number | undefined, digits: number): number =>
  Number(((a ?? 0) / (b ?? 1)).toFixed(digits));

/** Runs the four contenders for `count` rounds of about `budgetMs` each (see {@link SLICES}). */
export async function runJwtVerify(budgetMs: number, count: number): Promise<JwtVerifyResult> {
  const { tokens, publicKey, body } = await signTokens();
  const token = (i: number): string => tokens[i % TOKENS] as string;
  const httpClient: SafeHttpClient = {
    request: async () => ({ status: 200, headers: {}, body }),
    close: async () => {},
  };
  const common = {
    issuer: ISSUER,
    jwksUri: `${ISSUER}/jwks`,
    serverUrl: SERVER_URL,
    algorithms: ['ES256'],
    httpClient,
    logger: silent,
  };
  const uncached = new JwtTokenVerifier({ ...common, cache: false });
  const missing = new JwtTokenVerifier({ ...common, cache: { maxEntries: MISS_CACHE_ENTRIES } });
  const cached = new JwtTokenVerifier(common);
  const joseOptions: JWTVerifyOptions = {
    issuer: ISSUER,
    audience: SERVER_URL,
    algorithms: ['ES256'],
    typ: 'at+jwt',
    requiredClaims: ['exp'],
    clockTolerance: 30,
  };
  const rate = (op: (i: number) => Promise<unknown>) => () => asyncRate(op, budgetMs / SLICES);
  const result = await rounds(
    [
      { name: 'jose', run: rate((i) => jwtVerify(token(i), publicKey, joseOptions)) },
      { name: 'uncached', run: rate((i) => uncached.verifyAccessToken(token(i))) },
      { name: 'miss', run: rate((i) => missing.verifyAccessToken(token(i))) },
      { name: 'cached', run: rate((i) => cached.verifyAccessToken(token(i))) },
    ],
    count * SLICES,
  );
  const { jose, uncached: u, miss, cached: c } = result;
  return {
    joseRate: Math.round(jose?.median ?? 0),
    uncachedRate: Math.round(u?.median ?? 0),
    missRate: Math.round(miss?.median ?? 0),
    cachedRate: Math.round(c?.median ?? 0),
    uncachedVsJose: ratio(u?.median, jose?.median, 3),
    uncachedVsJoseCpu: ratio(u?.cpuMedian, jose?.cpuMedian, 3),
    missVsJose: ratio(miss?.median, jose?.median, 3),
    missVsJoseCpu: ratio(miss?.cpuMedian, jose?.cpuMedian, 3),
    cachedVsUncached: ratio(c?.median, u?.median, 1),
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
