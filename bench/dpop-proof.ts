/**
 * DPoP cost (RFC 9449): proof verifications per second (ES256 and Ed25519, proofs signed
 * beforehand, each with its own `jti`), and the CPU the bearer gate adds per request with DPoP on
 * (the same in-process verifier answering; Bearer vs DPoP scheme).
 *
 * Run: `npx tsx bench/dpop-proof.ts [proofs=2000]`
 *
 * @module
 */

import { createHash, randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createBearerGate } from '../src/http/bearer.js';
import { resolveDpopOptions } from '../src/http/dpop/options.js';
import { verifyDpopProof } from '../src/http/dpop/proof.js';

const URL_ = 'https://mcp.example.com/mcp';
const TOKEN = 'tok-0123456789';

async function proofs(alg: string, n: number) {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const jwk = await exportJWK(publicKey);
  const ath = createHash('sha256').update(TOKEN).digest('base64url');
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      await new SignJWT({ htm: 'POST', htu: URL_, jti: randomUUID(), ath })
        .setProtectedHeader({ alg, typ: 'dpop+jwt', jwk })
        .setIssuedAt()
        .sign(privateKey),
    );
  }
  return { out, jkt: await calculateJwkThumbprint(jwk) };
}

/** Verifications per second of one algorithm. */
export async function verifyRate(alg: string, n: number): Promise<number> {
  const { out } = await proofs(alg, n);
  const options = resolveDpopOptions({}, Date.now)!;
  const start = performance.now();
  for (const proof of out) {
    await verifyDpopProof(
      { proof, method: 'POST', url: URL_, accessToken: TOKEN },
      options,
      Date.now,
    );
  }
  return n / ((performance.now() - start) / 1000);
}

/** Gate CPU per request, µs: Bearer with DPoP off vs DPoP scheme with DPoP on. */
export async function gateCpu(n: number): Promise<{ bearer: number; dpop: number }> {
  const { out, jkt } = await proofs('ES256', n);
  const authInfo = (bound: boolean): AuthInfo => ({
    token: TOKEN,
    clientId: 'c',
    scopes: ['read'],
    extra: bound ? { claims: { cnf: { jkt } } } : {},
  });
  const bearer = createBearerGate({
    verifier: { verifyAccessToken: async () => authInfo(false) },
    serverUrl: URL_,
  });
  const dpop = createBearerGate({
    verifier: { verifyAccessToken: async () => authInfo(true) },
    serverUrl: URL_,
    dpop: {},
  });
  const measure = async (fn: (i: number) => Promise<unknown>) => {
    const before = process.cpuUsage();
    for (let i = 0; i < n; i++) await fn(i);
    const used = process.cpuUsage(before);
    return (used.user + used.system) / n;
  };
  const b = await measure(() => bearer({ authorization: `Bearer ${TOKEN}` }));
  const d = await measure((i) =>
    dpop({ authorization: `DPoP ${TOKEN}`, dpop: out[i], method: 'POST', path: '/mcp' }),
  );
  return { bearer: b, dpop: d };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const n = Number(process.argv[2] ?? 2000);
  for (const alg of ['ES256', 'Ed25519']) {
    await verifyRate(alg, 200);
    console.log(`${alg} proof verifications/s: ${Math.round(await verifyRate(alg, n))}`);
  }
  await gateCpu(200);
  const cpu = await gateCpu(n);
  console.log(
    `gate CPU/request: Bearer ${cpu.bearer.toFixed(1)} µs, DPoP ${cpu.dpop.toFixed(1)} µs (+${(cpu.dpop - cpu.bearer).toFixed(1)} µs)`,
  );
}
