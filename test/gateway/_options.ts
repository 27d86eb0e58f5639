import type { GatewayOptions } from '../../src/gateway/server.js';

/** The settings every in-process gateway test shares: no friction, no added headers, loopback. */
export const TEST_GATEWAY = {
  authorizationServers: ['http://127.0.0.1:1'],
  scopes: ['read'],
  toolScopes: {},
  friction: undefined,
  upstreamHeaders: [],
  identityHeaders: false,
  maxBodyBytes: 1 << 20,
  upstreamTimeoutMs: 5_000,
  shutdownTimeoutMs: 1_000,
  allowLocalhost: true,
} as const satisfies Partial<GatewayOptions>;
