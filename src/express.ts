/**
 * The `mcp-authflow-resource/express` entry: the bearer gate, discovery endpoints, path
 * normalisation, request logging and the JSON-RPC error handler as Express middleware.
 *
 * @module
 */

export { requireBearerAuth } from './adapters/express/bearer.js';
export type { DiscoveryRouteTarget } from './adapters/express/discovery.js';
export { registerOAuthDiscoveryEndpoints } from './adapters/express/discovery.js';
export { mcpErrorHandler } from './adapters/express/error-handler.js';
export { createLoggingMiddleware, normalizePath } from './adapters/express/middleware.js';
export type { CorsOptions, OAuthDiscoveryOptions } from './discovery/endpoints.js';
export type { BearerAuthOptions } from './http/bearer.js';
export type { LoggingOptions } from './http/logging.js';
