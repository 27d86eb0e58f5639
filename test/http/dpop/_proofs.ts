import { createHash, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

export interface ProofKey {
  readonly alg: string;
  readonly privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  readonly jwk: JWK;
}

export async function proofKey(alg = 'ES256'): Promise<ProofKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, privateKey, jwk: await exportJWK(publicKey) };
}

export const ath = (token: string): string =>
  createHash('sha256').update(token).digest('base64url');

export interface ProofSpec {
  readonly htm?: string;
  readonly htu?: string;
  readonly token?: string;
  readonly iat?: number;
  readonly jti?: string;
  readonly nonce?: string;
  readonly header?: Record<string, unknown>;
  readonly payload?: Record<string, unknown>;
}

/** Signs a DPoP proof; every field can be overridden or removed (`undefined` in header/payload). */
export async function signProof(key: ProofKey, spec: ProofSpec = {}): Promise<string> {
  const payload: Record<string, unknown> = {
    htm: spec.htm ?? 'POST',
    htu: spec.htu ?? 'http://127.0.0.1:3000/mcp',
    jti: spec.jti ?? randomUUID(),
    ath: ath(spec.token ?? 'tok'),
    ...(spec.nonce !== undefined ? { nonce: spec.nonce } : {}),
    ...spec.payload,
  };
  const header = { alg: key.alg, typ: 'dpop+jwt', jwk: key.jwk, ...spec.header };
  for (const [k, v] of Object.entries(header))
    if (v === undefined) delete (header as Record<string, unknown>)[k];
  for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k];
  return new SignJWT(payload)
    .setProtectedHeader(header as never)
    .setIssuedAt(spec.iat ?? Math.floor(Date.now() / 1000))
    .sign(key.privateKey, { crit: { x: true } });
}
