/**
 * The JWT pre-check, run before any parsing or network call.
 *
 * @module
 * @internal
 */

/**
 * Longest JWT accepted: Entra tokens with group claims reach 8 KB; the 4096-character limit of
 * introspected tokens does not apply.
 */
export const MAX_JWT_LENGTH = 16_384;

/** A JWS compact serialization: three non-empty base64url segments (RFC 7515 §7.1). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Whether `token` is a signed JWT in compact form of at most {@link MAX_JWT_LENGTH} characters.
 * An unsigned token (`alg: none`, empty signature) and a 5-segment JWE are not.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-7.2
 */
export function isCompactJws(token: unknown): token is string {
  return typeof token === 'string' && token.length <= MAX_JWT_LENGTH && COMPACT_JWS.test(token);
}

/**
 * Whether `token` looks like a JWT: compact JWS syntax and a first segment that decodes to a
 * JSON object with a string `alg`. Opaque tokens (no dots, or not a JOSE header) are not.
 */
export function isJwtShaped(token: unknown): token is string {
  if (!isCompactJws(token)) return false;
  try {
    const header: unknown = JSON.parse(
      Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8'),
    );
    return typeof (header as { alg?: unknown } | null)?.alg === 'string';
  } catch {
    return false;
  }
}
