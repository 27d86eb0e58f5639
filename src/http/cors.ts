/**
 * CORS headers for the public discovery documents.
 *
 * @module
 * @internal
 */

import { invalidArg } from '../errors.js';

/** CORS settings of the discovery endpoints. */
export interface CorsOptions {
  /**
   * Origins allowed to read the documents: `'*'` or a list (the request's `Origin` is echoed
   * when listed).
   * @default '*'
   */
  readonly allowOrigin?: '*' | readonly string[];
  /** How long a browser may cache a preflight answer, in seconds. @default 86400 */
  readonly maxAgeSeconds?: number;
}

/** A resolved CORS policy: headers for one request's `Origin`. */
export type CorsPolicy = (origin: string | undefined) => Record<string, string>;

export const ALLOWED_METHODS = 'GET, HEAD, OPTIONS';
const ALLOWED_HEADERS = 'Authorization, Content-Type, MCP-Protocol-Version';
const DEFAULT_MAX_AGE_SECONDS = 86_400;

/**
 * Resolves the `cors` option (`true` or omitted: any origin; `false`: no CORS headers).
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming `cors`.
 */
export function resolveCors(value: unknown): CorsPolicy {
  if (value === false) return () => ({});
  if (value !== undefined && value !== true && (typeof value !== 'object' || value === null)) {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"cors" must be a boolean or an object');
  }
  const options = (typeof value === 'object' ? value : {}) as CorsOptions;
  const allow = options.allowOrigin ?? '*';
  if (allow !== '*' && !(Array.isArray(allow) && allow.every((o) => typeof o === 'string'))) {
    throw invalidArg(
      'ERR_INVALID_ARG_VALUE',
      '"cors.allowOrigin" must be "*" or an array of origins',
    );
  }
  const maxAge = options.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS;
  if (!Number.isSafeInteger(maxAge) || maxAge < 0) {
    throw invalidArg(
      'ERR_INVALID_ARG_VALUE',
      '"cors.maxAgeSeconds" must be a non-negative integer',
    );
  }
  const common = {
    'Access-Control-Allow-Methods': ALLOWED_METHODS,
    'Access-Control-Allow-Headers': ALLOWED_HEADERS,
    'Access-Control-Max-Age': String(maxAge),
  };
  if (allow === '*') return () => ({ 'Access-Control-Allow-Origin': '*', ...common });
  const origins = new Set(allow);
  return (origin) =>
    origin !== undefined && origins.has(origin)
      ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin', ...common }
      : { Vary: 'Origin' };
}
