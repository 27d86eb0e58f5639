/**
 * The verified-identity headers the gateway may send upstream (`--identity-headers`). Any
 * header of these names sent by the client is dropped first, so the upstream can trust them.
 *
 * @module
 */

import type { AuthInfo } from '../types.js';

/** The token's subject (`sub`), when it has one. */
export const SUBJECT_HEADER = 'x-authflow-subject';
/** The OAuth client the token was issued to. */
export const CLIENT_ID_HEADER = 'x-authflow-client-id';
/** The token's scopes, space-separated. */
export const SCOPES_HEADER = 'x-authflow-scopes';

/** Every identity header name, lower case. */
export const IDENTITY_HEADERS: readonly string[] = [
  SUBJECT_HEADER,
  CLIENT_ID_HEADER,
  SCOPES_HEADER,
];

const SAFE_VALUE = /^[\x20-\x7E]{1,1024}$/;

function subjectOf(auth: AuthInfo): unknown {
  const claims = auth.extra?.claims as { sub?: unknown } | undefined;
  return auth.extra?.subject ?? claims?.sub;
}

/**
 * The identity headers of a verified caller; a value that is not plain visible ASCII is left
 * out rather than sent altered.
 *
 * @param auth - The verified token.
 */
export function identityHeaders(auth: AuthInfo): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (name: string, value: unknown): void => {
    if (typeof value === 'string' && SAFE_VALUE.test(value)) out[name] = value;
  };
  put(SUBJECT_HEADER, subjectOf(auth));
  put(CLIENT_ID_HEADER, auth.clientId);
  put(SCOPES_HEADER, auth.scopes.join(' '));
  return out;
}
