/**
 * The `mcp-authflow-resource/node` entry: the bearer gate, discovery endpoints, path
 * normalisation and request logging for plain `node:http` servers.
 *
 * @module
 */

export type { CorsOptions, OAuthDiscoveryOptions } from './discovery/endpoints.js';
export type { OAuthDiscoveryHandler } from './discovery/node.js';
export { createOAuthDiscoveryHandler } from './discovery/node.js';
export type { BearerAuthOptions } from './http/bearer.js';
export type { LoggingOptions } from './http/logging.js';
export type {
  NodeBearerAuth,
  NodeBearerAuthOptions,
  NodeBearerAuthResult,
} from './http/node.js';
export { requireBearerAuth } from './http/node.js';
export { createLoggingMiddleware, normalizePath } from './http/node-middleware.js';
