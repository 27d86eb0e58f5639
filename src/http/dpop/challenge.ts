/**
 * The `DPoP` challenges of the gate (RFC 9449 §7.1, §12.2): a refused proof answers
 * `DPoP algs="…", error="invalid_dpop_proof"`, a missing server nonce `error="use_dpop_nonce"` with
 * a `DPoP-Nonce` header, and every other 401 names the `DPoP` scheme next to (or instead of)
 * `Bearer`.
 *
 * @module
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1
 */

import { AuthflowError, VerifierUnavailableError } from '../../errors.js';
import {
  type AuthErrorContext,
  type AuthErrorResponse,
  authErrorResponse,
  quoteHeaderValue,
} from '../challenge.js';
import { DpopProofError } from './errors.js';

const DPOP_NONCE = 'DPoP-Nonce';

/**
 * The headers a successful response carries to hand the client a fresh server nonce: the
 * `DPoP-Nonce` header, exposed to browsers. RFC 9449 §8.2: the client keeps using a nonce
 * "until the server supplies a new nonce value", and the header "can be used in responses to any
 * request, even successful ones" (§9 applies the same to resource servers).
 *
 * @param nonce - The current server nonce.
 * @returns `DPoP-Nonce` and `Access-Control-Expose-Headers` (to be merged with any the response
 *   already exposes).
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-8.2
 */
export function dpopNonceHeaders(nonce: string): Readonly<Record<string, string>> {
  return { [DPOP_NONCE]: nonce, 'Access-Control-Expose-Headers': DPOP_NONCE };
}

/** The parameters of one `DPoP` challenge. */
export interface DpopChallengeParams {
  /** Proof algorithms accepted, written space-separated in `algs`. */
  readonly algorithms: readonly string[];
  /** `invalid_token`, `invalid_dpop_proof` or `use_dpop_nonce`; absent without credentials. */
  readonly error?: string;
  /** RFC 9728 protected resource metadata URL. */
  readonly resourceMetadata?: string | undefined;
  /** Human-readable explanation. */
  readonly errorDescription?: string;
}

/**
 * Builds a `DPoP` `WWW-Authenticate` challenge, parameters in a fixed order with the free-text
 * description last.
 *
 * @param params - The challenge parameters; empty ones are left out.
 * @returns For example `DPoP algs="ES256 EdDSA", error="invalid_dpop_proof"`.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1
 */
export function buildDpopChallenge(params: DpopChallengeParams): string {
  const parts: string[] = [];
  const add = (name: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') parts.push(`${name}=${quoteHeaderValue(value)}`);
  };
  add('algs', params.algorithms.join(' '));
  add('error', params.error);
  add('resource_metadata', params.resourceMetadata);
  add('error_description', params.errorDescription);
  return `DPoP ${parts.join(', ')}`;
}

/** The scheme the client used, when the `Authorization` header could be read. */
export type PresentedScheme = 'bearer' | 'dpop' | undefined;

function proofRefusal(
  err: DpopProofError,
  algorithms: readonly string[],
  metadata: string | undefined,
): AuthErrorResponse {
  const error = err.dpopError;
  const description = err.message;
  const challenge = buildDpopChallenge({
    algorithms,
    error,
    resourceMetadata: metadata,
    errorDescription: description,
  });
  const nonce: Record<string, string> =
    err.nonce === undefined
      ? {}
      : {
          'DPoP-Nonce': err.nonce,
          'Access-Control-Expose-Headers': `WWW-Authenticate, ${DPOP_NONCE}`,
        };
  return {
    status: 401,
    error,
    description,
    challenge,
    headers: { 'WWW-Authenticate': challenge, ...nonce },
    body: { error, error_description: description },
  };
}

/**
 * The gate's answer with DPoP on: a refused proof → 401 `invalid_dpop_proof` (or
 * `use_dpop_nonce` + `DPoP-Nonce`); any other 401 gets a `DPoP` challenge: alone when the client
 * used the `DPoP` scheme, after the `Bearer` one otherwise (both when no credentials came).
 * Other statuses are {@link authErrorResponse}'s, unchanged; an unreachable replay store answers
 * 503 + `Retry-After` (the proof is never accepted unchecked).
 *
 * @param err - What was thrown or detected.
 * @param context - Metadata URL and scopes for the challenge.
 * @param algorithms - Proof algorithms accepted (`algs`).
 * @param scheme - The scheme the client used.
 * @returns The HTTP answer.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1
 */
export function dpopAuthErrorResponse(
  err: unknown,
  context: AuthErrorContext,
  algorithms: readonly string[],
  scheme: PresentedScheme,
): AuthErrorResponse {
  const metadata = context.resourceMetadataUrl;
  if (err instanceof DpopProofError) return proofRefusal(err, algorithms, metadata);
  if (err instanceof AuthflowError && err.code === 'ERR_STORE_UNAVAILABLE') {
    return authErrorResponse(new VerifierUnavailableError('Replay store unavailable'), context);
  }
  const base = authErrorResponse(err, context);
  if (base.status !== 401 || base.challenge === undefined) return base;
  const missing = base.error === 'unauthorized';
  const dpop = buildDpopChallenge({
    algorithms,
    resourceMetadata: metadata,
    ...(missing || scheme !== 'dpop'
      ? {}
      : { error: base.error, errorDescription: base.description }),
  });
  const challenge = scheme === 'dpop' ? dpop : `${base.challenge}, ${dpop}`;
  return { ...base, challenge, headers: { ...base.headers, 'WWW-Authenticate': challenge } };
}
