/**
 * Verification of one DPoP proof JWT against the request and the access token (RFC 9449 §4.3),
 * with `jose` doing the JOSE work.
 *
 * @module
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.3
 */

import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, jwtVerify } from 'jose';
import { DpopProofError } from './errors.js';
import type { ResolvedDpopOptions } from './options.js';

/** The request a proof must match. */
export interface DpopRequest {
  /** The `DPoP` header value(s) as received. */
  readonly proof: string | readonly string[] | undefined;
  /** HTTP method. */
  readonly method: string;
  /** The public URL of the request (query and fragment are ignored). */
  readonly url: string;
  /** The access token the proof must be bound to (`ath`). */
  readonly accessToken: string;
}

/** What a valid proof establishes. */
export interface DpopProofResult {
  /** RFC 7638 SHA-256 thumbprint of the proof key, base64url. */
  readonly jkt: string;
  /**
   * The current server nonce, when the proof carried the previous window's (still accepted): the
   * successful response hands it to the client in `DPoP-Nonce` (RFC 9449 §8.2), so the client
   * switches before its nonce expires. Absent when the proof's nonce is current or nonces are off.
   *
   * @see https://www.rfc-editor.org/rfc/rfc9449#section-8.2
   */
  readonly nonce?: string;
}

const MAX_PROOF_LENGTH = 8192;
const MAX_JTI_LENGTH = 256;
const FUTURE_SKEW_MS = 5_000;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function refuse(message: string): never {
  throw new DpopProofError(message);
}

function oneProof(value: DpopRequest['proof']): string {
  if (value === undefined) return refuse('A DPoP proof is required');
  const values = typeof value === 'string' ? [value] : value;
  if (values.length !== 1) return refuse('Exactly one DPoP header is required');
  const proof = (values[0] as string).trim();
  if (proof.length > MAX_PROOF_LENGTH) return refuse('The DPoP proof is too large');
  if (!COMPACT_JWS.test(proof)) return refuse('The DPoP proof is not a compact JWS');
  return proof;
}

/**
 * The `htu` comparison form of a URL: scheme, host and port as WHATWG `URL` normalises them, and
 * the path; no query, no fragment. `undefined` for anything that is not an absolute http(s) URL.
 */
export function htuForm(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  return `${url.origin}${url.pathname}`;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

async function verifySignature(proof: string, options: ResolvedDpopOptions) {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(proof);
  } catch {
    return refuse('The DPoP proof header is malformed');
  }
  if (header.typ !== 'dpop+jwt') refuse('The DPoP proof must have typ "dpop+jwt"');
  if (typeof header.alg !== 'string' || !options.algorithms.includes(header.alg)) {
    refuse('The DPoP proof algorithm is not allowed');
  }
  if (typeof header.jwk !== 'object' || header.jwk === null) {
    refuse('The DPoP proof must carry its public key in "jwk"');
  }
  if (header.crit !== undefined) refuse('The DPoP proof must not carry "crit"');
  try {
    const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, {
      algorithms: [...options.algorithms],
      typ: 'dpop+jwt',
    });
    return { payload, jwk: protectedHeader.jwk as NonNullable<typeof header.jwk> };
  } catch {
    return refuse('The DPoP proof signature or key is invalid');
  }
}

/**
 * Checks a DPoP proof: exactly one header, `typ: dpop+jwt`, an allowed asymmetric `alg`, a public
 * `jwk`, the signature, `htm`, `htu`, `iat` within `proofMaxAgeMs` (and at most 5 s ahead),
 * `ath`, the server nonce when required, and a `jti` never seen within the window.
 *
 * @param request - The proof and what it must match.
 * @param options - Resolved DPoP options.
 * @param now - Clock, epoch ms.
 * @returns The thumbprint of the proof key, and the current nonce when the proof's is from the
 *   previous window (RFC 9449 §8.2).
 * @throws DpopProofError for every refusal.
 */
export async function verifyDpopProof(
  request: DpopRequest,
  options: ResolvedDpopOptions,
  now: () => number,
): Promise<DpopProofResult> {
  const proof = oneProof(request.proof);
  const { payload, jwk } = await verifySignature(proof, options);
  if (payload.htm !== request.method) refuse('The DPoP proof "htm" does not match the request');
  const htu = typeof payload.htu === 'string' ? htuForm(payload.htu) : undefined;
  if (htu === undefined || htu !== htuForm(request.url)) {
    refuse('The DPoP proof "htu" does not match the request');
  }
  const t = now();
  const iat = payload.iat;
  if (typeof iat !== 'number' || !Number.isFinite(iat)) refuse('The DPoP proof has no "iat"');
  if (iat * 1000 < t - options.proofMaxAgeMs || iat * 1000 > t + FUTURE_SKEW_MS) {
    refuse('The DPoP proof "iat" is outside the accepted window');
  }
  if (payload.ath !== sha256(request.accessToken)) {
    refuse('The DPoP proof "ath" does not match the access token');
  }
  const jti = payload.jti;
  if (typeof jti !== 'string' || jti === '' || jti.length > MAX_JTI_LENGTH) {
    refuse('The DPoP proof needs a "jti"');
  }
  const nonceAge = options.nonce?.check(payload.nonce);
  if (options.nonce !== undefined && nonceAge === undefined) {
    throw new DpopProofError(
      'A fresh DPoP nonce is required',
      'use_dpop_nonce',
      options.nonce.current(),
    );
  }
  const jkt = await calculateJwkThumbprint(jwk, 'sha256');
  const ttl = options.proofMaxAgeMs + FUTURE_SKEW_MS;
  const fresh = await options.replayStore.setIfAbsent(`dpop:jti:${sha256(`${jkt}\n${jti}`)}`, ttl);
  if (!fresh) refuse('The DPoP proof was already used');
  if (nonceAge === 'previous' && options.nonce !== undefined) {
    return { jkt, nonce: options.nonce.current() };
  }
  return { jkt };
}
