/**
 * The gate's own CPU per request, in process (no HTTP): `authenticate` + `authorize` of
 * `createBearerGateSteps` with a cached valid token, next to the pieces of its hit path (key
 * derivation, header parsing, `Content-Type` check, body decoding). Complements
 * `bench/gate-node.ts`, whose HTTP figures include the server's own work and the machine's noise.
 *
 * `npx tsx bench/gate-steps.ts [--quick]`
 *
 * @module
 */

import { createHash, createHmac, hash, randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { parseAuthorizationHeader } from '../src/http/authorization-header.js';
import { createBearerGateSteps } from '../src/http/bearer.js';
import { contentTypeProblem, decodeJsonRpcBody } from '../src/http/json-rpc-body.js';
import { introspectionCacheKey, introspectionCacheKeyer } from '../src/lib/hash-key.js';
import { silentLogger } from '../src/lib/logger.js';
import { VERIFY_NOW } from '../src/lib/verify-now.js';
import type { SafeHttpClient } from '../src/ssrf/types.js';
import { IntrospectionTokenVerifier } from '../src/verify/introspection/verifier.js';
import { JwtTokenVerifier } from '../src/verify/jwt/verifier.js';
import { median } from './lib/load.js';

const TOKEN = 'Xq3v9Lw2bT8pZ1mK7nR4sY6uC0dF5gH2jA9eB3kL1oP7qW';
const BODY = Buffer.from(
  JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name: 'whoami', arguments: {} },
  }),
);

function fakeAuthorizationServer(): SafeHttpClient {
  const body = new TextEncoder().encode(
    JSON.stringify({
      active: true,
      client_id: 'bench',
      scope: 'read',
      aud: 'https://mcp.example.com/mcp',
      exp: Math.floor(Date.now() / 1000) + 3600,
    }),
  );
  return {
    request: async () => ({ status: 200, headers: { 'content-type': 'application/json' }, body }),
    close: async () => {},
  };
}

/** A `JwtTokenVerifier` whose key set is served in memory, and a token it accepts. */
async function jwtFixture(): Promise<{ verifier: JwtTokenVerifier; token: string }> {
  const issuer = 'https://auth.example.com';
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const token = await new SignJWT({ scope: 'read', client_id: 'bench' })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' })
    .setIssuer(issuer)
    .setAudience('https://mcp.example.com/mcp')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
  const body = new TextEncoder().encode(JSON.stringify({ keys: [jwk] }));
  const httpClient: SafeHttpClient = {
    request: async () => ({ status: 200, headers: {}, body }),
    close: async () => {},
  };
  const verifier = new JwtTokenVerifier({
    issuer,
    jwksUri: `${issuer}/jwks`,
    serverUrl: 'https://mcp.example.com/mcp',
    httpClient,
    logger: silentLogger,
  });
  return { verifier, token };
}

/** CPU µs per call of `fn`, run `n` times (awaiting only when it returns a promise). */
async function cpuPerCall(fn: () => unknown, n: number): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const r = fn();
    if (r instanceof Promise) await r;
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / n;
}

/** Runs every case `rounds` times (alternating), returns median CPU ns per call by case. */
export async function runGateSteps(n: number, rounds: number): Promise<Record<string, number>> {
  const verifier = new IntrospectionTokenVerifier({
    introspectionEndpoint: 'https://auth.example.com/token/introspection',
    serverUrl: 'https://mcp.example.com/mcp',
    clientId: 'bench',
    clientSecret: 'bench-secret',
    httpClient: fakeAuthorizationServer(),
    logger: silentLogger,
  });
  const steps = createBearerGateSteps({
    verifier,
    requiredScopes: ['read'],
    logger: silentLogger,
  });
  const header = [`Bearer ${TOKEN}`];
  const jwt = await jwtFixture();
  const jwtSteps = createBearerGateSteps({
    verifier: jwt.verifier,
    requiredScopes: ['read'],
    logger: silentLogger,
  });
  const jwtAsyncSteps = createBearerGateSteps({
    verifier: { verifyAccessToken: (t: string) => jwt.verifier.verifyAccessToken(t) },
    requiredScopes: ['read'],
    logger: silentLogger,
  });
  const jwtHeader = [`Bearer ${jwt.token}`];
  const jwtGate = async (gate: typeof jwtSteps) => {
    const request = { authorization: jwtHeader, mcpMethod: undefined, mcpName: undefined };
    const first = await gate.authenticate(request);
    if (!first.ok) throw new Error(`refused ${first.response.status}`);
    const body = decodeJsonRpcBody(BODY);
    if (!body.ok) throw new Error('body');
    const second = gate.authorize(first.authInfo, request, body.value);
    if (!second.ok) throw new Error('refused');
  };
  const macKey = randomBytes(32);
  const keyer = introspectionCacheKeyer(
    'https://auth.example.com/token/introspection',
    'bench',
    'https://mcp.example.com/mcp',
  );
  const material = JSON.stringify([
    'https://auth.example.com/token/introspection',
    'bench',
    'https://mcp.example.com/mcp',
    TOKEN,
  ]);
  const cases: Record<string, () => unknown> = {
    'gate authenticate+authorize': async () => {
      const request = { authorization: header, mcpMethod: undefined, mcpName: undefined };
      const first = await steps.authenticate(request);
      if (!first.ok) throw new Error(`refused ${first.response.status}`);
      const body = decodeJsonRpcBody(BODY);
      if (!body.ok) throw new Error('body');
      const second = steps.authorize(first.authInfo, request, body.value);
      if (!second.ok) throw new Error('refused');
    },
    'verifyAccessToken (hit)': () => verifier.verifyAccessToken(TOKEN),
    'introspection [VERIFY_NOW] (hit)': () => verifier[VERIFY_NOW](TOKEN),
    'gate authenticate+authorize (JWT)': () => jwtGate(jwtSteps),
    'gate (JWT, promise path only)': () => jwtGate(jwtAsyncSteps),
    'JWT verifyAccessToken (hit)': () => jwt.verifier.verifyAccessToken(jwt.token),
    'JWT [VERIFY_NOW] (hit)': () => jwt.verifier[VERIFY_NOW](jwt.token),
    introspectionCacheKey: () =>
      introspectionCacheKey(
        'https://auth.example.com/token/introspection',
        'bench',
        'https://mcp.example.com/mcp',
        TOKEN,
      ),
    'introspectionCacheKeyer (per verifier)': () => keyer(TOKEN),
    'key: crypto.hash sha256 hex': () => hash('sha256', material, 'hex'),
    'key: crypto.hash sha256 base64': () => hash('sha256', material, 'base64'),
    'key: createHash sha256 hex': () => createHash('sha256').update(material).digest('hex'),
    'key: createHmac sha256 hex': () => createHmac('sha256', macKey).update(TOKEN).digest('hex'),
    'key: crypto.hash sha1 hex': () => hash('sha1', material, 'hex'),
    'key: crypto.hash md5 hex': () => hash('md5', material, 'hex'),
    parseAuthorizationHeader: () => parseAuthorizationHeader(header),
    contentTypeProblem: () => contentTypeProblem(['application/json']),
    decodeJsonRpcBody: () => decodeJsonRpcBody(BODY),
    'JSON.parse(toString)': () => JSON.parse(BODY.toString('utf8')),
  };
  for (const fn of Object.values(cases)) await cpuPerCall(fn, n);
  const runs: Record<string, number[]> = Object.fromEntries(
    Object.keys(cases).map((name) => [name, []]),
  );
  for (let r = 0; r < rounds; r++) {
    const names = Object.keys(cases);
    if (r % 2 === 1) names.reverse();
    for (const name of names) runs[name]!.push(await cpuPerCall(cases[name]!, n));
  }
  await verifier.close();
  await jwt.verifier.close();
  const out: Record<string, number> = {};
  for (const [name, values] of Object.entries(runs)) out[name] = Math.round(median(values) * 1000);
  return out;
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  const quick = process.argv.includes('--quick');
  runGateSteps(quick ? 20_000 : 100_000, quick ? 3 : 7)
    .then((ns) => {
      for (const [name, v] of Object.entries(ns))
        process.stdout.write(`${name.padEnd(36)} ${v} ns\n`);
    })
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    });
}
