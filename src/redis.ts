/**
 * The `mcp-authflow-resource/redis` entry: the Redis store, so several replicas share friction
 * state (one atomic Lua step per decision) and the introspection cache. Bring your own client:
 * `ioredis` 5 or 6 (or iovalkey), node-redis 5 or 6 (`redis`, see {@link NodeRedisClient}), or
 * any client with the {@link RedisClient} shape.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { FrictionRegistry, IntrospectionTokenVerifier } from 'mcp-authflow-resource';
 * import { RedisStore, createSharedIntrospectionCache } from 'mcp-authflow-resource/redis';
 *
 * const store = new RedisStore({ client: new Redis(process.env.REDIS_URL!) });
 * const registry = new FrictionRegistry({ store, toolConfigs: { delete_task: {} } });
 * const verifier = new IntrospectionTokenVerifier({
 *   introspectionEndpoint: 'https://auth.example.com/token/introspection',
 *   serverUrl: 'https://mcp.example.com/mcp',
 *   cache: { store: createSharedIntrospectionCache({ store }) },
 * });
 * ```
 *
 * @module
 */

export type { RedisStoreOptions } from './store/redis.js';
export { RedisStore } from './store/redis.js';
export type { NodeRedisClient, NodeRedisEvalOptions } from './store/redis-client.js';
export type { RedisClient } from './store/redis-commands.js';
export type { SharedIntrospectionCacheOptions } from './verify/redis-cache.js';
export { createSharedIntrospectionCache } from './verify/redis-cache.js';
