/**
 * DPoP at the bearer gate (RFC 9449 §7): the proof is checked before the token is verified, the
 * binding after, and every refusal gets its `DPoP` challenge. The gate core calls these three
 * steps and nothing else.
 *
 * @module
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1
 */

import { invalidArg } from '../../errors.js';
import type { AuthInfo } from '../../types.js';
import type { AuthErrorContext, AuthErrorResponse } from '../challenge.js';
import { checkBinding, DpopBindingError } from './binding.js';
import { dpopAuthErrorResponse, type PresentedScheme } from './challenge.js';
import { DpopProofError } from './errors.js';
import { resolveDpopOptions } from './options.js';
import { type DpopProofResult, verifyDpopProof } from './proof.js';
import type { DpopRequestFields } from './request.js';

/** The DPoP steps of one gate. */
export interface DpopGate {
  /**
   * Before the token is verified: with the `DPoP` scheme, checks the proof against the request
   * and the token and returns the proof key's thumbprint (with the current server nonce when the
   * proof's is from the previous window, RFC 9449 §8.2); with `Bearer`, refuses every token when
   * `mode` is `'required'`, else returns `undefined`.
   *
   * @throws DpopProofError (401 `invalid_dpop_proof` / `use_dpop_nonce`) or DpopBindingError.
   */
  proof(
    scheme: 'bearer' | 'dpop',
    token: string,
    request: Partial<DpopRequestFields>,
  ): Promise<DpopProofResult | undefined>;
  /**
   * After the token is verified: checks `cnf.jkt` against the scheme and the proof key, and
   * records the binding as `extra.cnf` of the returned `AuthInfo`.
   *
   * @throws DpopBindingError (401 `invalid_token`) or DpopProofError (key mismatch).
   */
  bind(scheme: 'bearer' | 'dpop', jkt: string | undefined, authInfo: AuthInfo): AuthInfo;
  /** The HTTP answer for a refusal, with its `DPoP` challenge. */
  respond(err: unknown, context: AuthErrorContext, scheme: PresentedScheme): AuthErrorResponse;
}

function publicOrigin(serverUrl: string | undefined): string {
  if (serverUrl === undefined) {
    throw invalidArg(
      'ERR_INVALID_ARG_VALUE',
      '"dpop" needs the public "serverUrl" (or a verifier with a serverUrl) to check "htu"',
    );
  }
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    throw invalidArg('ERR_INVALID_ARG_VALUE', '"serverUrl" must be an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidArg('ERR_INVALID_ARG_VALUE', '"serverUrl" must be an http(s) URL');
  }
  return url.origin;
}

/**
 * Creates the DPoP steps of a gate from its `dpop` option.
 *
 * @param value - The `dpop` option; `undefined`/`false` turns DPoP off.
 * @param serverUrl - The gate's public `serverUrl`, else the verifier's: its origin plus the
 *   request path is the URL `htu` must name (so proxies in front do not matter).
 * @param now - The gate's clock, epoch ms.
 * @returns The steps, or `undefined` when DPoP is off.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the bad field.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.3
 */
export function createDpopGate(
  value: unknown,
  serverUrl: string | undefined,
  now: () => number,
): DpopGate | undefined {
  const options = resolveDpopOptions(value, now);
  if (options === undefined) return undefined;
  const origin = publicOrigin(serverUrl);
  return {
    async proof(scheme, token, request) {
      if (scheme === 'bearer') {
        if (options.mode === 'required') {
          throw new DpopBindingError('A DPoP-bound token is required');
        }
        return undefined;
      }
      const { method, path } = request;
      if (method === undefined || path === undefined || !path.startsWith('/')) {
        throw new DpopProofError('The request URL cannot be checked against "htu"');
      }
      const proof =
        Array.isArray(request.dpop) && request.dpop.length === 0 ? undefined : request.dpop;
      const url = `${origin}${path}`;
      return verifyDpopProof({ proof, method, url, accessToken: token }, options, now);
    },
    bind(scheme, jkt, authInfo) {
      checkBinding(options, scheme, jkt, authInfo);
      if (jkt === undefined) return authInfo;
      return { ...authInfo, extra: { ...authInfo.extra, cnf: { jkt } } };
    },
    respond(err, context, scheme) {
      return dpopAuthErrorResponse(err, context, options.algorithms, scheme);
    },
  };
}
