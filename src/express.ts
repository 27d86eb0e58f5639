/**
 * The `mcp-authflow-resource/express` entry: the bearer gate, discovery endpoints, path
 * normalisation and request logging as Express middleware.
 *
 * @module
 */

export type { CorsOptions, OAuthDiscoveryOptions } from './discovery/endpoints.js';
export type { DiscoveryRouteTarget } from './discovery/express.js';
export { registerOAuthDiscoveryEndpoints } from './discovery/express.js';
export type { BearerAuthOptions } from './http/bearer.js';
export { requireBearerAuth } from './http/express.js';
export { createLoggingMiddleware, normalizePath } from './http/express-middleware.js';
export type { LoggingOptions } from './http/logging.js';
