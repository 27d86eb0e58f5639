/**
 * The sender-constraint decision of the gate (RFC 9449 §7): which scheme was used, whether a
 * proof was needed, and whether the token's `cnf.jkt` names the proof key.
 *
 * @module
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1
 */

import type { AuthInfo } from '../../types.js';
import { DpopProofError } from './errors.js';
import type { ResolvedDpopOptions } from './options.js';

/**
 * A token that may not be used the way it was presented; 401 `invalid_token`.
 * It carries the RFC 6750 shape of an OAuth error (`errorCode`, `toResponseObject`) without
 * importing either MCP SDK line.
 */
export class DpopBindingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }

  /** The RFC 6750 error code: always `invalid_token`. */
  get errorCode(): 'invalid_token' {
    return 'invalid_token';
  }

  /** The RFC 6750 error body. */
  toResponseObject(): { error: 'invalid_token'; error_description: string } {
    return { error: 'invalid_token', error_description: this.message };
  }
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * The RFC 7638 thumbprint a token is bound to: `cnf.jkt` from the verifier's claims (introspection
 * response or JWT payload), or `undefined` for an unbound token.
 *
 * @param authInfo - What the verifier returned.
 * @returns The thumbprint, or `undefined`.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-6
 */
export function boundThumbprint(authInfo: AuthInfo): string | undefined {
  const extra = record(authInfo.extra);
  const cnf = record(record(extra?.claims)?.cnf) ?? record(extra?.cnf);
  const jkt = cnf?.jkt;
  return typeof jkt === 'string' && jkt !== '' ? jkt : undefined;
}

/**
 * Checks the token against the scheme and the proof.
 * - `DPoP` scheme: the token must be bound, to the proof's key.
 * - `Bearer` scheme: a bound token is refused; with `mode: 'required'` every token is.
 *
 * @param options - Resolved DPoP options.
 * @param scheme - The `Authorization` scheme used.
 * @param proofJkt - The proof key's thumbprint (`DPoP` scheme only).
 * @param authInfo - The verified token.
 * @throws DpopBindingError (401 `invalid_token`) or DpopProofError (401 `invalid_dpop_proof`).
 */
export function checkBinding(
  options: ResolvedDpopOptions,
  scheme: 'bearer' | 'dpop',
  proofJkt: string | undefined,
  authInfo: AuthInfo,
): void {
  const jkt = boundThumbprint(authInfo);
  if (scheme === 'bearer') {
    if (jkt !== undefined) throw new DpopBindingError('A DPoP-bound token needs the DPoP scheme');
    if (options.mode === 'required') throw new DpopBindingError('A DPoP-bound token is required');
    return;
  }
  if (jkt === undefined) throw new DpopBindingError('The access token is not DPoP-bound');
  if (jkt !== proofJkt) throw new DpopProofError('The DPoP proof key does not match the token');
}
