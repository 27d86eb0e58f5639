/**
 * Strict parsing of the `Authorization` request header for the `Bearer` and `DPoP` schemes.
 *
 * @module
 * @internal
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1
 */

/** The outcome of reading the `Authorization` header(s) of one request. */
export type AuthorizationHeaderResult =
  | { readonly kind: 'missing' }
  | { readonly kind: 'malformed'; readonly reason: string }
  | { readonly kind: 'bearer' | 'dpop'; readonly token: string };

/** RFC 6750 §2.1 `b64token`. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
/** RFC 9110 §11.1 `auth-scheme` (a token). */
const SCHEME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Reads the access token from the `Authorization` header value(s) of one request.
 *
 * Refuses (as `malformed`) an empty header, several `Authorization` headers, several credentials
 * joined by a comma, a scheme other than `Bearer` or `DPoP` (compared case-insensitively), and a
 * token that is not `b64token` syntax (RFC 6750 §2.1, RFC 9449 §7.1). Whether the `DPoP` scheme
 * is accepted is the gate's decision.
 *
 * @param value - The header as the runtime gives it: absent, one string, or one per field line.
 * @returns `missing`, `malformed` with a safe reason, or the scheme (`bearer`/`dpop`) and token.
 */
export function parseAuthorizationHeader(
  value: string | readonly string[] | null | undefined,
): AuthorizationHeaderResult {
  if (value === undefined || value === null) return { kind: 'missing' };
  if (typeof value !== 'string') {
    if (value.length === 0) return { kind: 'missing' };
    if (value.length > 1) return malformed('Several Authorization headers were sent');
    return parseAuthorizationHeader(value[0]);
  }
  const trimmed = trimWhitespace(value);
  if (trimmed === '') return malformed('The Authorization header is empty');
  // Split by hand, not by a regular expression: linear in the header's length (issue 11).
  const space = trimmed.indexOf(' ');
  const scheme = space === -1 ? trimmed : trimmed.slice(0, space);
  let start = space;
  while (start !== -1 && trimmed[start] === ' ') start += 1;
  if (space === -1 || !SCHEME.test(scheme)) {
    return malformed("Expected 'Authorization: Bearer <token>'");
  }
  const token = trimmed.slice(start);
  const kind = scheme.toLowerCase();
  if (kind !== 'bearer' && kind !== 'dpop') return malformed("Expected the 'Bearer' scheme");
  if (token.includes(',')) return malformed('Several credentials were sent');
  if (!B64TOKEN.test(token)) return malformed('The access token is not valid b64token syntax');
  return { kind, token };
}

function trimWhitespace(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && (value[start] === ' ' || value[start] === '\t')) start += 1;
  while (end > start && (value[end - 1] === ' ' || value[end - 1] === '\t')) end -= 1;
  return value.slice(start, end);
}

function malformed(reason: string): AuthorizationHeaderResult {
  return { kind: 'malformed', reason };
}
