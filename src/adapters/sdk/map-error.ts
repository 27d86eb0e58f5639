/**
 * Which OAuth error an SDK gate should see for an error of this library's verifiers.
 *
 * @module
 * @internal
 */

import { invalidArg, TokenRejectedError, VerifierUnavailableError } from '../../errors.js';
import type { AuthInfo, AuthInfoVerifier } from '../../types.js';

/** The OAuth code an SDK gate should answer with, or `undefined` to rethrow unchanged. */
export function sdkCodeOf(err: unknown): 'invalid_token' | 'temporarily_unavailable' | undefined {
  if (err instanceof TokenRejectedError) return 'invalid_token';
  return err instanceof VerifierUnavailableError ? 'temporarily_unavailable' : undefined;
}

/** A verifier whose errors pass through `convert`. */
export function convertingVerifier(
  verifier: AuthInfoVerifier,
  convert: (err: unknown) => unknown,
): AuthInfoVerifier {
  if (typeof verifier?.verifyAccessToken !== 'function') {
    throw invalidArg(
      'ERR_INVALID_ARG_TYPE',
      'The argument "verifier" must implement verifyAccessToken()',
    );
  }
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      try {
        return await verifier.verifyAccessToken(token);
      } catch (err) {
        throw convert(err);
      }
    },
  };
}
