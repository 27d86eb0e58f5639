/**
 * The `mcp-authflow-resource/node` entry: the bearer gate, discovery endpoints, path
 * normalisation and request logging for plain `node:http` servers.
 *
 * @module
 */

export type {
  NodeBearerAuth,
  NodeBearerAuthOptions,
  NodeBearerAuthResult,
} from './adapters/node/bearer.js';
export { requireBearerAuth } from './adapters/node/bearer.js';
export type { OAuthDiscoveryHandler } from './adapters/node/discovery.js';
export { createOAuthDiscoveryHandler } from './adapters/node/discovery.js';
export { createLoggingMiddleware, normalizePath } from './adapters/node/middleware.js';
export type { CorsOptions, OAuthDiscoveryOptions } from './discovery/endpoints.js';
export type { BearerAuthOptions } from './http/bearer.js';
export type { LoggingOptions } from './http/logging.js';
