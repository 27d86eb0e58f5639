/**
 * Refusals of a DPoP proof (RFC 9449). Each maps to 401 with a `DPoP` challenge; a missing or
 * stale server nonce carries the nonce to retry with.
 *
 * @module
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1
 */

/** Why a proof was refused; `use_dpop_nonce` asks the client to retry with the given nonce. */
export type DpopErrorCode = 'invalid_dpop_proof' | 'use_dpop_nonce';

/** A DPoP proof was missing, malformed, replayed, or did not match the request or the token. */
export class DpopProofError extends Error {
  /** The RFC 9449 §12.2 error code put in the `DPoP` challenge. */
  readonly dpopError: DpopErrorCode;
  /** The nonce the client must use next (set for `use_dpop_nonce`). */
  readonly nonce: string | undefined;

  constructor(message: string, dpopError: DpopErrorCode = 'invalid_dpop_proof', nonce?: string) {
    super(message);
    this.name = new.target.name;
    this.dpopError = dpopError;
    this.nonce = nonce;
  }
}
