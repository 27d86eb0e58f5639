/**
 * Telemetry of one JWKS fetch: an `mcp_authflow.jwks.fetch` CLIENT span and a count in
 * `mcp_authflow.jwks.fetches`. For the JWT verifier: call it around real round trips only (not
 * around reads of the cached key set).
 *
 * @module
 * @internal
 */

import { recordJwksFetch } from './metrics.js';
import { SPAN } from './names.js';
import { withClientSpan } from './spans.js';

/**
 * Runs one JWKS fetch inside an `mcp_authflow.jwks.fetch` span and counts it: resolved → `ok`;
 * rejected → `error` (span status ERROR with `error.type`). The result or rejection is passed on.
 *
 * @example
 * ```ts
 * const keys = await observeJwksFetch(() => fetchJwks(http, jwksUri));
 * ```
 * @internal
 */
export async function observeJwksFetch<T>(fetch: () => Promise<T>): Promise<T> {
  try {
    const value = await withClientSpan(SPAN.jwksFetch, fetch);
    recordJwksFetch('ok');
    return value;
  } catch (err) {
    recordJwksFetch('error');
    throw err;
  }
}
