/**
 * Reading an RFC 7662 introspection response: `active`, `exp`/`nbf`, `scope`, `aud`, and the
 * RFC 8707 resource check.
 *
 * @module
 * @internal
 */

import type { TokenErrorCode } from '../../errors.js';
import type { IntrospectionResponse } from './types.js';

/** What the verifier needs to judge a response. */
export interface ClaimsContext {
  readonly nowMs: number;
  readonly validateResource: boolean;
  /** The resource server URL, required when `validateResource`. */
  readonly serverUrl: string | undefined;
}

/** The verdict on one introspection response. */
export type ClaimsVerdict =
  | {
      readonly ok: true;
      readonly clientId: string;
      readonly scopes: readonly string[];
      readonly exp: number | undefined;
      readonly resource: string | undefined;
      readonly subject: string | undefined;
      readonly issuer: string | undefined;
    }
  | { readonly ok: false; readonly code: TokenErrorCode; readonly reason: string };

/** `scope` as a space-separated string or a list of strings; anything else is no scope. */
export function parseScopes(scope: unknown): readonly string[] {
  if (typeof scope === 'string') return scope.split(' ').filter((s) => s.length > 0);
  if (Array.isArray(scope)) {
    return scope.filter((s): s is string => typeof s === 'string' && s.length > 0);
  }
  return [];
}

/** `aud` as a string or a list of strings; anything else is no audience. */
export function parseAudience(aud: unknown): readonly string[] {
  if (typeof aud === 'string') return aud.length > 0 ? [aud] : [];
  if (Array.isArray(aud)) {
    return aud.filter((a): a is string => typeof a === 'string' && a.length > 0);
  }
  return [];
}

/** `new URL(value)`, or `undefined` when it does not parse (one parse, no `canParse` first). */
export function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function parseHttpUrl(value: string): URL | undefined {
  const url = parseUrl(value);
  return url?.protocol === 'http:' || url?.protocol === 'https:' ? url : undefined;
}

let lastServerUrl: { readonly raw: string; readonly url: URL | undefined } | undefined;

/** `serverUrl` is the same string on every call of one verifier: parse it once. */
function parseServerUrl(value: string): URL | undefined {
  if (lastServerUrl?.raw !== value) lastServerUrl = { raw: value, url: parseHttpUrl(value) };
  return lastServerUrl.url;
}

/**
 * Whether the audience `aud` covers `serverUrl`: same scheme and host:port (case-insensitive,
 * default ports folded), and the server path starts with the audience path on a `/` boundary
 * (`https://h/api` covers `https://h/api/mcp` but not `https://h/api123`). Query and fragment
 * are ignored. An audience that is not an http(s) URL must equal `serverUrl` exactly.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2
 */
export function resourceMatches(aud: string, serverUrl: string): boolean {
  const audience = parseHttpUrl(aud);
  const server = parseServerUrl(serverUrl);
  if (audience === undefined || server === undefined) return aud === serverUrl;
  if (audience.protocol !== server.protocol || audience.host !== server.host) return false;
  const prefix = audience.pathname.replace(/\/+$/, '');
  const path = server.pathname;
  return path === prefix || path.startsWith(`${prefix}/`);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function reject(code: TokenErrorCode, reason: string): ClaimsVerdict {
  return { ok: false, code, reason };
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Judges an introspection response: strictly `active === true`; `exp` in the past or `nbf` in
 * the future rejects (a non-numeric `exp`/`nbf` rejects too); when `validateResource`, some
 * `aud` element must cover the server URL (a missing or empty `aud` fails).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.2
 */
export function evaluateClaims(claims: IntrospectionResponse, ctx: ClaimsContext): ClaimsVerdict {
  if (claims.active !== true) return reject('ERR_TOKEN_INACTIVE', 'inactive');
  if (claims.exp !== undefined && !isNumericDate(claims.exp)) {
    return reject('ERR_TOKEN_INACTIVE', 'invalid_exp');
  }
  if (claims.exp !== undefined && claims.exp * 1000 <= ctx.nowMs) {
    return reject('ERR_TOKEN_EXPIRED', 'expired');
  }
  if (claims.nbf !== undefined && !(isNumericDate(claims.nbf) && claims.nbf * 1000 <= ctx.nowMs)) {
    return reject('ERR_TOKEN_INACTIVE', 'not_yet_valid');
  }
  const audiences = parseAudience(claims.aud);
  let resource = audiences[0];
  if (ctx.validateResource) {
    const serverUrl = ctx.serverUrl ?? '';
    resource = audiences.find((aud) => resourceMatches(aud, serverUrl));
    if (resource === undefined) return reject('ERR_TOKEN_AUDIENCE', 'audience');
  }
  return {
    ok: true,
    clientId: optionalString(claims.client_id) ?? 'unknown',
    scopes: parseScopes(claims.scope),
    exp: claims.exp,
    resource,
    subject: optionalString(claims.sub),
    issuer: optionalString(claims.iss),
  };
}
