/**
 * Telemetry of token verification: the verdict counter around a whole verification, and the
 * span plus duration histogram around one introspection round trip. The JWT verifier uses the
 * same helpers (`method: 'jwt'`, {@link withClientSpan} and `recordJwksFetch` for JWKS fetches).
 *
 * @module
 * @internal
 */

import {
  recordIntrospectionDuration,
  recordVerification,
  type VerificationRecord,
} from './metrics.js';
import { ATTR, type CacheResult, SPAN, type VerificationMethod } from './names.js';
import { isTokenVerdict, withClientSpan } from './spans.js';

/** Filled in by a verification while it runs: set `cache` to `'hit'` on a cache hit. @internal */
export interface VerificationProbe {
  cache: CacheResult;
}

/**
 * Runs one verification and counts its verdict in `mcp_authflow.token.verifications`: resolved
 * → `active`; rejected with a token verdict (`TokenRejectedError`, any SDK `InvalidTokenError`)
 * → `inactive`; any other rejection (an outage) → `error`. The result or rejection is passed on.
 *
 * @example
 * ```ts
 * return observeVerification('jwt', async (probe) => {
 *   const hit = cache.get(key);
 *   if (hit !== undefined) { probe.cache = 'hit'; return hit; }
 *   return verifySignature(token);
 * });
 * ```
 * @internal
 */
export async function observeVerification<T>(
  method: VerificationMethod,
  verify: (probe: VerificationProbe) => Promise<T>,
): Promise<T> {
  const probe: VerificationProbe = { cache: 'miss' };
  let record: VerificationRecord;
  try {
    const value = await verify(probe);
    record = { method, result: 'active', cache: probe.cache };
    return value;
  } catch (err) {
    record = { method, result: isTokenVerdict(err) ? 'inactive' : 'error', cache: probe.cache };
    throw err;
  } finally {
    recordVerification(record!);
  }
}

const HITS: Readonly<Record<VerificationMethod, VerificationRecord>> = {
  introspection: Object.freeze({ method: 'introspection', result: 'active', cache: 'hit' }),
  jwt: Object.freeze({ method: 'jwt', result: 'active', cache: 'hit' }),
};

/**
 * Counts one verification answered from the verdict cache without a promise (the synchronous
 * hit path): the same record {@link observeVerification} makes for an active cache hit.
 *
 * @param method - The verifier's method.
 * @internal
 */
export function countCacheHit(method: VerificationMethod): void {
  recordVerification(HITS[method]);
}

const RESULT_ACTIVE = Object.freeze({ [ATTR.introspectionResult]: 'active' });
const RESULT_INACTIVE = Object.freeze({ [ATTR.introspectionResult]: 'inactive' });
const RESULT_ERROR = Object.freeze({ [ATTR.introspectionResult]: 'error' });

/**
 * Runs one RFC 7662 round trip inside an `mcp_authflow.introspect` CLIENT span and records its
 * duration in `mcp_authflow.introspection.duration` (seconds). The result is `active` for a
 * response with `active: true`, `inactive` for any other response or a 400 about the token, and
 * `error` for an outage (span status ERROR with `error.type`).
 *
 * @param introspect - The round trip.
 * @param now - Monotonic clock, ms. @default performance.now
 * @internal
 */
export function observeIntrospection<T extends { readonly active?: unknown }>(
  introspect: () => Promise<T>,
  now: () => number = performance.now.bind(performance),
): Promise<T> {
  const started = now();
  return withClientSpan(SPAN.introspect, introspect, {
    attributesOf: (response) => {
      const attributes = response.active === true ? RESULT_ACTIVE : RESULT_INACTIVE;
      recordIntrospectionDuration(
        (now() - started) / 1000,
        response.active === true ? 'active' : 'inactive',
      );
      return attributes;
    },
    errorAttributesOf: (err) => {
      const inactive = isTokenVerdict(err);
      recordIntrospectionDuration((now() - started) / 1000, inactive ? 'inactive' : 'error');
      return inactive ? RESULT_INACTIVE : RESULT_ERROR;
    },
  });
}
