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

/**
 * The key function of one verifier: `(token) => introspectionCacheKey(endpoint, clientId,
 * resource, token)`, the same key, with the JSON of the first three members built once.
 *
 * Why this derivation (measured on Node 20, bundled, per key of a 94-character token, see
 * BENCHMARKS.md "Gate"): one-shot `crypto.hash('sha256', …)` (Node ≥ 20.12, so within
 * `engines`) ≈ 0.38 µs; `createHash().update().digest()` ≈ 1.4 µs (a Hash object per call);
 * HMAC-SHA-256 with a process key via `createHmac` ≈ 2.0 µs (a key object and an Hmac per
 * call) — Node has no one-shot keyed hash, so a keyed hash costs more, not less. SHA-1 or MD5
 * would save under 10 % and are not collision resistant. What remained was `JSON.stringify` of
 * the whole tuple (≈ 0.6 µs, more than the hash): here the prefix is stringified once, and the
 * token is put between quotes as it is. That is exactly its JSON for a token of RFC 6750
 * `b64token` syntax (no `"`, `\` or control character), the only tokens the verifier looks up,
 * so keys are unchanged (entries a shared store holds stay valid across versions); and with a
 * fixed prefix and suffix the material is injective in the token whatever it holds. Only the
 * digest is kept: a cache (or a Redis dump) never holds a raw token.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export function introspectionCacheKeyer(
  endpoint: string,
  clientId: string | undefined,
  resource: string | undefined,
): (token: string) => string {
  const tuple = JSON.stringify([endpoint, clientId ?? null, resource ?? null, '']);
  const prefix = tuple.slice(0, -3);
  return (token) => hash('sha256', `${prefix}"${token}"]`, 'hex');
}
