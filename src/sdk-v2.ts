/**
 * `mcp-authflow-resource/sdk-v2`: glue for MCP SDK 2.x (`@modelcontextprotocol/server`) when you
 * keep the SDK's own `requireBearerAuth` instead of this library's gate. The only entry that
 * imports SDK 2.x at run time. Everything else (the gates, discovery, `withFriction`,
 * `frictionControlled`, `recordToolCall`) works with SDK 2.x from the usual entries.
 *
 * @module
 */

import { OAuthError, type OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { convertingVerifier, sdkCodeOf } from './adapters/sdk/map-error.js';
import type { AuthInfoVerifier } from './types.js';

/**
 * Wraps a verifier of this library for SDK 2.x's own `requireBearerAuth` (fetch, Express or
 * node): a rejected token is rethrown as the SDK's `OAuthError` `invalid_token` (401), an
 * authorization server outage as `OAuthError` `temporarily_unavailable` (the SDK's gate answers
 * 400: not 401, so clients keep their token, and not 500; only this library's own gate answers
 * 503 + `Retry-After`). Other errors pass unchanged.
 *
 * @param verifier - `IntrospectionTokenVerifier` or any verifier of this library.
 * @returns An SDK 2.x `OAuthTokenVerifier`.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` when `verifier` has no `verifyAccessToken`.
 * @example
 * ```ts
 * import { requireBearerAuth } from '@modelcontextprotocol/express';
 * app.use('/mcp', requireBearerAuth({ verifier: toSdkVerifier(verifier) }));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export function toSdkVerifier(verifier: AuthInfoVerifier): OAuthTokenVerifier {
  return convertingVerifier(verifier, (err) => {
    const code = sdkCodeOf(err);
    return code === undefined ? err : new OAuthError(code, (err as Error).message);
  });
}
