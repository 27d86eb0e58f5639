/**
 * The bearer token pre-check, run before any network call.
 *
 * @module
 * @internal
 */

/** Longest token we send to the authorization server. */
export const MAX_TOKEN_LENGTH = 4096;

/** RFC 6750 §2.1 `b64token`. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Whether `token` is a string in RFC 6750 `b64token` syntax of at most
 * {@link MAX_TOKEN_LENGTH} characters.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export function isWellFormedToken(token: unknown): token is string {
  return typeof token === 'string' && token.length <= MAX_TOKEN_LENGTH && B64TOKEN.test(token);
}
