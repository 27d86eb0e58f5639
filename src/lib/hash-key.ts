/**
 * The introspection cache key.
 *
 * @module
 * @internal
 */

import { hash } from 'node:crypto';

/**
 * SHA-256 (hex) of the JSON array `[endpoint, clientId, resource, token]`: unambiguous, so no
 * two different tuples share a key, and the raw token is never kept.
 */
export function introspectionCacheKey(
  endpoint: string,
  clientId: string | undefined,
  resource: string | undefined,
  token: string,
): string {
  const material = JSON.stringify([endpoint, clientId ?? null, resource ?? null, token]);
  return hash('sha256', material, 'hex');
}
