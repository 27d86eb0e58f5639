/**
 * `mcp-authflow-resource/sdk-v1`: glue for MCP SDK 1.x (`@modelcontextprotocol/sdk`) when you
 * keep the SDK's own `requireBearerAuth` instead of this library's gate. The only entry that
 * imports SDK 1.x at run time.
 *
 * @module
 */

import {
  InvalidTokenError,
  TemporarilyUnavailableError,
} from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import { convertingVerifier, sdkCodeOf } from './adapters/sdk/map-error.js';
import type { AuthInfoVerifier } from './types.js';

/**
 * Wraps a verifier of this library for SDK 1.x's own `requireBearerAuth`: a rejected token is
 * rethrown as the SDK's `InvalidTokenError` (401 `invalid_token`), an authorization server outage
 * as its `TemporarilyUnavailableError` (the SDK's gate answers it 400 `temporarily_unavailable`:
 * not 401, so clients keep their token, and not 500; only this library's own gate answers 503 +
 * `Retry-After`). Other errors pass unchanged.
 *
 * @param verifier - `IntrospectionTokenVerifier` or any verifier of this library.
 * @returns An SDK 1.x `OAuthTokenVerifier`.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` when `verifier` has no `verifyAccessToken`.
 * @example
 * ```ts
 * import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
 * app.use('/mcp', requireBearerAuth({ verifier: toSdkVerifier(verifier) }));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export function toSdkVerifier(verifier: AuthInfoVerifier): OAuthTokenVerifier {
  return convertingVerifier(verifier, (err) => {
    const code = sdkCodeOf(err);
    if (code === undefined) return err;
    const message = (err as Error).message;
    return code === 'invalid_token'
      ? new InvalidTokenError(message)
      : new TemporarilyUnavailableError(message);
  });
}
