/**
 * `registerOAuthDiscoveryEndpoints` for Express: mounts the RFC 9728 and RFC 8414 documents.
 *
 * @module
 */

import type { NextFunction, Request, Response } from 'express';
import { createDiscoveryResponder, type OAuthDiscoveryOptions } from '../../discovery/endpoints.js';

/** What `registerOAuthDiscoveryEndpoints` needs of an Express application or router. */
export interface DiscoveryRouteTarget {
  use(handler: (req: Request, res: Response, next: NextFunction) => void): unknown;
}

/**
 * Registers the OAuth discovery endpoints on an Express app (synchronously; nothing is fetched
 * until the first request):
 * - protected resource metadata at `/.well-known/oauth-protected-resource`,
 *   `/.well-known/oauth-protected-resource/<path>` and `/<path>/.well-known/oauth-protected-resource`;
 * - authorization server metadata at `/.well-known/oauth-authorization-server`,
 *   `/.well-known/oauth-authorization-server/<path>` and `/.well-known/openid-configuration`
 *   (`'proxy'`: 502 JSON error when it cannot be fetched and nothing is cached).
 *
 * Every document answers GET, HEAD and OPTIONS with CORS headers; other methods get 405. Mount
 * it before any app-wide bearer gate: discovery documents are public.
 *
 * @param app - The Express application (or router mounted at the root).
 * @param options - See {@link OAuthDiscoveryOptions}.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the bad option.
 * @example
 * ```ts
 * registerOAuthDiscoveryEndpoints(app, {
 *   serverUrl: 'https://mcp.example.com/mcp',
 *   authServerPublicUrl: 'https://auth.example.com',
 *   scopes: ['read', 'write'],
 * });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3
 */
export function registerOAuthDiscoveryEndpoints(
  app: DiscoveryRouteTarget,
  options: OAuthDiscoveryOptions,
): void {
  const responder = createDiscoveryResponder(options);
  app.use(function oauthDiscovery(req, res, next) {
    responder.respond(req.method, req.path, req.get('origin')).then((answer) => {
      if (answer === undefined) {
        next();
        return;
      }
      res.status(answer.status).set(answer.headers);
      if (answer.body === undefined) res.end();
      else res.end(answer.body);
    }, next);
  });
}
