/**
 * What the DPoP check reads from a request, taken the same way by every adapter: the `DPoP`
 * header field lines, the method and the request path (its origin comes from `serverUrl`).
 *
 * @module
 * @internal
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.3
 */

import type { IncomingMessage } from 'node:http';
import { headerValues } from '../node-io.js';

/** The request parts a DPoP proof is checked against. */
export interface DpopRequestFields {
  /** Every `DPoP` header field line, or `undefined` when there is none. */
  readonly dpop: string | readonly string[] | undefined;
  /** The HTTP method (`htm`). */
  readonly method: string | undefined;
  /** The request target's path (query allowed; dropped before the `htu` comparison). */
  readonly path: string | undefined;
}

/**
 * Reads a `node:http` request (or an Express one, whose `originalUrl` keeps the mount path).
 *
 * @param req - The incoming request.
 * @returns The fields.
 */
export function nodeDpopFields(req: IncomingMessage & { originalUrl?: string }): DpopRequestFields {
  const values = headerValues(req, 'dpop');
  return {
    dpop: values.length === 0 ? undefined : values,
    method: req.method,
    path: req.originalUrl ?? req.url,
  };
}

/**
 * Reads a Web-standard request. `Headers` joins repeated `DPoP` lines with `, `, which no compact
 * JWS contains, so two proofs are refused as malformed.
 *
 * @param request - The incoming request.
 * @returns The fields.
 */
export function fetchDpopFields(request: Request): DpopRequestFields {
  const url = new URL(request.url);
  return {
    dpop: request.headers.get('dpop') ?? undefined,
    method: request.method,
    path: `${url.pathname}${url.search}`,
  };
}
