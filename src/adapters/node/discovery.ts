/**
 * The OAuth discovery endpoints for plain `node:http` servers.
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createDiscoveryResponder, type OAuthDiscoveryOptions } from '../../discovery/endpoints.js';

/** Answers a discovery request; resolves `false` (having written nothing) for any other path. */
export type OAuthDiscoveryHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/**
 * Creates a `node:http` handler serving the same documents, at the same paths and with the same
 * CORS and 405 behaviour as `registerOAuthDiscoveryEndpoints` for Express.
 *
 * @param options - See {@link OAuthDiscoveryOptions}.
 * @returns A handler; call it first and go on with your own routing when it resolves `false`.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the bad option.
 * @example
 * ```ts
 * const discovery = createOAuthDiscoveryHandler({ serverUrl, authServerPublicUrl });
 * http.createServer(async (req, res) => {
 *   if (await discovery(req, res)) return;
 *   // … the MCP endpoint
 * });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3
 */
export function createOAuthDiscoveryHandler(options: OAuthDiscoveryOptions): OAuthDiscoveryHandler {
  const responder = createDiscoveryResponder(options);
  return async function oauthDiscovery(req, res) {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    const answer = await responder.respond(req.method ?? 'GET', path, origin);
    if (answer === undefined) return false;
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
    return true;
  };
}
