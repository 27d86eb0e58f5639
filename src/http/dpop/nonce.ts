/**
 * Server-issued DPoP nonces (RFC 9449 §8) that need no shared state: a nonce is the time window
 * it was issued in plus an HMAC of that window under a secret, so every replica holding the same
 * secret issues and accepts the same nonces. A nonce is accepted during its own window and the
 * next one, so it lives between `ttlMs` and `2 × ttlMs`.
 *
 * @module
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-8
 */

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Where an accepted nonce stands: issued in the current window, or in the previous one (still
 * accepted, but the client should be handed the current one: RFC 9449 §8.2).
 */
export type DpopNonceAge = 'current' | 'previous';

/** Issues and checks nonces. */
export interface DpopNonceSource {
  /** The nonce to hand out now. */
  current(): string;
  /** Whether `nonce` was issued by a replica sharing the secret, in this window or the last. */
  accepts(nonce: unknown): boolean;
  /**
   * {@link DpopNonceSource.accepts} that also tells which window the nonce is from, read from
   * the same decoding; `undefined` when it is refused.
   *
   * @see https://www.rfc-editor.org/rfc/rfc9449#section-8.2
   */
  check(nonce: unknown): DpopNonceAge | undefined;
}

const MAC_BYTES = 16;

function encodeWindow(window: number): Buffer {
  const buf = Buffer.alloc(8);
  buf.writeBigUInt64BE(BigInt(window));
  return buf;
}

/**
 * Creates a nonce source.
 *
 * @param secret - Shared by replicas; at least 32 bytes of entropy. Random per process when absent.
 * @param ttlMs - Window length in ms.
 * @param now - Clock, epoch ms.
 * @returns The nonce source.
 */
export function createNonceSource(
  secret: string | Uint8Array | undefined,
  ttlMs: number,
  now: () => number,
): DpopNonceSource {
  const key = secret === undefined ? randomBytes(32) : Buffer.from(secret);
  const mac = (window: Buffer): Buffer =>
    createHmac('sha256', key).update(window).digest().subarray(0, MAC_BYTES);
  const issue = (window: number): string => {
    const w = encodeWindow(window);
    return Buffer.concat([w, mac(w)]).toString('base64url');
  };
  const check = (nonce: unknown): DpopNonceAge | undefined => {
    if (typeof nonce !== 'string' || nonce.length > 64) return undefined;
    const raw = Buffer.from(nonce, 'base64url');
    if (raw.length !== 8 + MAC_BYTES || raw.toString('base64url') !== nonce) return undefined;
    const window = Number(raw.readBigUInt64BE(0));
    const currentWindow = Math.floor(now() / ttlMs);
    if (window !== currentWindow && window !== currentWindow - 1) return undefined;
    if (!timingSafeEqual(raw.subarray(8), mac(raw.subarray(0, 8)))) return undefined;
    return window === currentWindow ? 'current' : 'previous';
  };
  return {
    current: () => issue(Math.floor(now() / ttlMs)),
    accepts: (nonce) => check(nonce) !== undefined,
    check,
  };
}
