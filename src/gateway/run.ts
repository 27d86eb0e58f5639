/**
 * Starts a gateway from its validated configuration: the shared store (`--redis`), friction,
 * the verifier, the upstream (HTTP, or a stdio command behind a loopback endpoint) and the
 * server; and stops them all, in reverse order.
 *
 * @module
 */

import { FrictionRegistry } from '../friction/registry.js';
import { RedisStore } from '../store/redis.js';
import type { Store } from '../store/types.js';
import type { Logger } from '../types.js';
import { GatewayConfigError } from './config/error.js';
import type { GatewayConfig, UpstreamTarget } from './config/resolve.js';
import { createGateway } from './server.js';
import { createGatewayVerifier } from './verifier.js';

/** A running upstream endpoint the gateway forwards to. */
export interface UpstreamEndpoint {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the stdio bridge for `--stdio` (injected: see `stdio-wiring.ts`). */
export type StdioStarter = (
  target: Extract<UpstreamTarget, { kind: 'stdio' }>,
  config: GatewayConfig,
  logger: Logger,
) => Promise<UpstreamEndpoint>;

/** What the gateway runs with besides its configuration. */
export interface GatewayRuntime {
  readonly logger: Logger;
  /** Needed for `--stdio`. */
  readonly startStdio?: StdioStarter;
}

/** A running gateway. */
export interface RunningGateway {
  /** The bound address as a URL origin (`http://127.0.0.1:8080`). */
  readonly origin: string;
  /** Graceful shutdown of the server, then the upstream, verifier, friction and store. */
  close(): Promise<void>;
}

interface Closer {
  close(): Promise<void> | void;
}

async function connectRedis(
  config: GatewayConfig,
  logger: Logger,
): Promise<{ store: RedisStore; quit: Closer }> {
  let Redis: typeof import('ioredis').Redis;
  try {
    ({ Redis } = await import('ioredis'));
  } catch {
    throw new GatewayConfigError('--redis', 'needs the ioredis package (npm install ioredis)');
  }
  const client = new Redis(config.redis as string, { lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on('error', (err: Error) =>
    logger.warn({ event: 'gateway_redis_error', error: err.name }),
  );
  try {
    await client.connect();
  } catch {
    client.disconnect();
    throw new GatewayConfigError('--redis', 'cannot connect to the Redis server');
  }
  const prefix = config.redisKeyPrefix;
  const store = new RedisStore({
    client,
    logger,
    ...(prefix === undefined ? {} : { keyPrefix: prefix }),
  });
  return { store, quit: { close: async () => void (await client.quit().catch(() => {})) } };
}

function createFriction(config: GatewayConfig, store: Store | undefined, logger: Logger) {
  if (config.friction === undefined) return undefined;
  try {
    return new FrictionRegistry({
      ...(config.friction as object),
      ...(store === undefined ? {} : { store }),
      logger,
    });
  } catch (err) {
    throw new GatewayConfigError('toolConfigs', (err as Error).message);
  }
}

async function startUpstream(
  config: GatewayConfig,
  runtime: GatewayRuntime,
): Promise<UpstreamEndpoint> {
  const target = config.upstream;
  if (target.kind === 'http') return { url: target.url, close: async () => {} };
  if (runtime.startStdio === undefined) {
    throw new GatewayConfigError('--stdio', 'is not available in this build');
  }
  return runtime.startStdio(target, config, runtime.logger);
}

/**
 * Starts the gateway described by `config`.
 *
 * @param config - From `loadGatewayConfig`.
 * @param runtime - The logger and the stdio starter.
 * @returns The running gateway.
 * @throws GatewayConfigError for settings that only fail when used (Redis, friction config).
 */
export async function runGateway(
  config: GatewayConfig,
  runtime: GatewayRuntime,
): Promise<RunningGateway> {
  const { logger } = runtime;
  const closers: Closer[] = [];
  const stopAll = async () => {
    for (const c of closers.reverse()) await c.close();
  };
  try {
    const redis = config.redis === undefined ? undefined : await connectRedis(config, logger);
    if (redis) closers.push(redis.quit, redis.store);
    const friction = createFriction(config, redis?.store, logger);
    if (friction) closers.push(friction);
    const verifier = createGatewayVerifier(config, logger, redis?.store);
    closers.push(verifier);
    const upstream = await startUpstream(config, runtime);
    closers.push(upstream);
    const gateway = createGateway({
      ...config,
      upstreamUrl: upstream.url,
      verifier,
      friction,
      dpopReplayStore: redis?.store,
      logger,
    });
    const address = await gateway.listen(config.port, config.host);
    closers.push(gateway);
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return { origin: `http://${host}:${address.port}`, close: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
