/**
 * What a failed JWT verification means: jose's error classes mapped to our token error codes.
 *
 * @module
 * @internal
 */

import { errors } from 'jose';
import type { TokenErrorCode } from '../../errors.js';

/** A token error code and a short reason for the debug log (never token material). */
export interface Rejection {
  readonly code: TokenErrorCode;
  readonly reason: string;
}

const MALFORMED: ReadonlySet<string> = new Set([
  'ERR_JWS_INVALID',
  'ERR_JWT_INVALID',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
]);

/** Human messages per code: generic on purpose, they reach the client. */
export const REJECTION_MESSAGES: Readonly<Record<TokenErrorCode, string>> = {
  ERR_TOKEN_MALFORMED: 'The access token is malformed',
  ERR_TOKEN_INACTIVE: 'The access token is not active',
  ERR_TOKEN_EXPIRED: 'The access token has expired',
  ERR_TOKEN_AUDIENCE: 'The access token was not issued for this resource',
};

/**
 * Maps an error thrown by jose's `jwtVerify` (or by a key lookup inside it):
 * - expired → `ERR_TOKEN_EXPIRED`;
 * - structure, `alg` not allowed or unsupported, wrong `typ` → `ERR_TOKEN_MALFORMED`;
 * - anything else (bad signature, unknown key, wrong issuer, `nbf` ahead, no `exp`) →
 *   `ERR_TOKEN_INACTIVE`.
 */
export function rejectionOf(err: unknown): Rejection {
  if (err instanceof errors.JWTExpired) return { code: 'ERR_TOKEN_EXPIRED', reason: 'exp' };
  if (err instanceof errors.JWTClaimValidationFailed) {
    const code = err.claim === 'typ' ? 'ERR_TOKEN_MALFORMED' : 'ERR_TOKEN_INACTIVE';
    return { code, reason: `claim_${err.claim}` };
  }
  if (err instanceof errors.JOSEError) {
    return {
      code: MALFORMED.has(err.code) ? 'ERR_TOKEN_MALFORMED' : 'ERR_TOKEN_INACTIVE',
      reason: err.code,
    };
  }
  // A key the issuer published that WebCrypto cannot import, and the like.
  return { code: 'ERR_TOKEN_INACTIVE', reason: err instanceof Error ? err.name : typeof err };
}
