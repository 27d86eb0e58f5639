/**
 * Reading an RFC 7662 introspection response: `active`, `exp`/`nbf`, `scope`, `aud`, the
 * RFC 8707 resource check, and the bounds on the work one response may cost (issue 20).
 *
 * @module
 * @internal
 */

import type { TokenErrorCode } from '../../errors.js';
import type { IntrospectionVerdict } from '../cache.js';
import { covers, looksLikeHttpUrl, normaliseResource } from './audience.js';
import type { IntrospectionResponse } from './response.js';

/**
 * Most `aud` elements in an accepted response. Real tokens carry a handful; a response with
 * more is refused as an invalid token (it would otherwise cost one URL parse per element).
 */
export const MAX_AUDIENCES = 64;
/** Most scopes (after splitting a `scope` string) in an accepted response. */
export const MAX_SCOPES = 256;
/** Most elements of any other top-level array claim in an accepted response. */
export const MAX_CLAIM_ARRAY_LENGTH = 1024;

/** What the verifier needs to judge a response. */
export interface ClaimsContext {
  readonly validateResource: boolean;
  /** The resource server URL, required when `validateResource`. */
  readonly serverUrl: string | undefined;
}

/** The verdict on one introspection response. */
export type ClaimsVerdict = IntrospectionVerdict;

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

/** `new URL(value)`, or `undefined` when it does not parse (no exception thrown). */
export function parseUrl(value: string): URL | undefined {
  return URL.canParse(value) ? new URL(value) : undefined;
}

/**
 * Whether audiences cover `serverUrl`, comparing normalised URLs: same scheme and host:port
 * (case-insensitive, default ports folded), and the server path starts with the audience path on
 * a `/` boundary (`https://h/api` covers `https://h/api/mcp` but not `https://h/api123`). An
 * http(s) audience with userinfo, dot segments (`%2e` too), a query, a fragment or a backslash
 * covers nothing. Any other audience must equal `serverUrl` exactly. `serverUrl` is normalised
 * once per matcher (no state outlives it).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2
 */
export function resourceMatcher(serverUrl: string): (aud: string) => boolean {
  let server: ReturnType<typeof normaliseResource> | null = null;
  return (aud) => {
    if (!looksLikeHttpUrl(aud)) return aud === serverUrl;
    const audience = normaliseResource(aud);
    if (server === null) server = normaliseResource(serverUrl);
    return audience !== undefined && server !== undefined && covers(audience, server);
  };
}

/**
 * Whether the audience `aud` covers `serverUrl` (see {@link resourceMatcher}, which normalises
 * `serverUrl` once for several audiences).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2
 */
export function resourceMatches(aud: string, serverUrl: string): boolean {
  return resourceMatcher(serverUrl)(aud);
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

function scopeCount(scope: unknown): number {
  if (Array.isArray(scope)) return scope.length;
  if (typeof scope !== 'string') return 0;
  let count = 0;
  let inScope = false;
  for (let i = 0; i < scope.length; i++) {
    const space = scope.charCodeAt(i) === 0x20;
    if (!space && !inScope) count++;
    inScope = !space;
  }
  return count;
}

/** Whether any claim exceeds the documented bounds (counted before anything is parsed). */
function overBounds(claims: IntrospectionResponse): boolean {
  if (Array.isArray(claims.aud) && claims.aud.length > MAX_AUDIENCES) return true;
  if (scopeCount(claims.scope) > MAX_SCOPES) return true;
  for (const value of Object.values(claims)) {
    if (Array.isArray(value) && value.length > MAX_CLAIM_ARRAY_LENGTH) return true;
  }
  return false;
}

/**
 * Judges an introspection response, except for the clock: strictly `active === true`; a
 * non-numeric `exp`/`nbf` rejects; claims over the bounds ({@link MAX_AUDIENCES},
 * {@link MAX_SCOPES}, {@link MAX_CLAIM_ARRAY_LENGTH}) reject; when `validateResource`, some
 * `aud` element must cover the server URL (a missing or empty `aud` fails). The work is bounded
 * whatever the response holds; the verifier runs this once per response and caches the result.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.2
 */
export function judgeClaims(claims: IntrospectionResponse, ctx: ClaimsContext): ClaimsVerdict {
  if (claims.active !== true) return reject('ERR_TOKEN_INACTIVE', 'inactive');
  if (claims.exp !== undefined && !isNumericDate(claims.exp)) {
    return reject('ERR_TOKEN_INACTIVE', 'invalid_exp');
  }
  if (claims.nbf !== undefined && !isNumericDate(claims.nbf)) {
    return reject('ERR_TOKEN_INACTIVE', 'not_yet_valid');
  }
  if (overBounds(claims)) return reject('ERR_TOKEN_INACTIVE', 'claims_over_bounds');
  const audiences = parseAudience(claims.aud);
  let resource = audiences[0];
  if (ctx.validateResource) {
    const serverUrl = ctx.serverUrl ?? '';
    resource = audiences.find(resourceMatcher(serverUrl));
    if (resource === undefined) return reject('ERR_TOKEN_AUDIENCE', 'audience');
  }
  return {
    ok: true,
    clientId: optionalString(claims.client_id) ?? 'unknown',
    scopes: parseScopes(claims.scope),
    exp: claims.exp,
    nbf: claims.nbf,
    resource,
    subject: optionalString(claims.sub),
    issuer: optionalString(claims.iss),
  };
}

/**
 * The clock's part of a verdict: `exp` (epoch seconds) at or before `nowMs` → expired, `nbf`
 * after it → not yet valid; `undefined` when both hold.
 */
export function timeRejection(
  exp: number | undefined,
  nbf: number | undefined,
  nowMs: number,
): Extract<ClaimsVerdict, { ok: false }> | undefined {
  if (exp !== undefined && exp * 1000 <= nowMs) {
    return { ok: false, code: 'ERR_TOKEN_EXPIRED', reason: 'expired' };
  }
  if (nbf !== undefined && nbf * 1000 > nowMs) {
    return { ok: false, code: 'ERR_TOKEN_INACTIVE', reason: 'not_yet_valid' };
  }
  return undefined;
}

/**
 * {@link judgeClaims} and {@link timeRejection} at `nowMs` together (an expired token is
 * reported as expired before any audience problem).
 */
export function evaluateClaims(
  claims: IntrospectionResponse,
  ctx: ClaimsContext & { readonly nowMs: number },
): ClaimsVerdict {
  const verdict = judgeClaims(claims, ctx);
  if (
    verdict.ok ||
    verdict.code === 'ERR_TOKEN_AUDIENCE' ||
    verdict.reason === 'claims_over_bounds'
  ) {
    const late = timeRejection(
      claims.exp as number | undefined,
      claims.nbf as number | undefined,
      ctx.nowMs,
    );
    if (late !== undefined) return late;
  }
  return verdict;
}
