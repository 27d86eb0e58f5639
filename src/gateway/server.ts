/**
 * The gateway's HTTP server: health and readiness, the OAuth discovery documents of the public
 * URL, and the MCP endpoint behind the bearer gate, `toolScopes` step-up and friction, proxied
 * to the upstream with the client's credentials removed (with opt-in CORS for browser clients).
 *
 * @module
 */

import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requireBearerAuth } from '../adapters/node/bearer.js';
import { createOAuthDiscoveryHandler } from '../adapters/node/discovery.js';
import { createLoggingMiddleware } from '../adapters/node/middleware.js';
import type { FrictionRegistry } from '../friction/registry.js';
import type { DpopOptions } from '../http/dpop/options.js';
import type { DpopReplayStore } from '../http/dpop/replay.js';
import { sendJson } from '../http/node-io.js';
import { trimTrailingSlashes } from '../http/path.js';
import { createSafeHttpClient } from '../ssrf/safe-http-client.js';
import type { AuthInfoVerifier, Logger } from '../types.js';
import { createMcpCors } from './cors.js';
import { InFlight } from './drain.js';
import { forward, forwardTarget } from './forward.js';
import { checkFriction } from './friction.js';
import { identityHeaders } from './identity.js';

/** What the gateway protects and how. */
export interface GatewayOptions {
  /** The upstream MCP endpoint (Streamable HTTP). */
  readonly upstreamUrl: string;
  /** The MCP endpoint URL clients use; its path is where the gateway serves MCP. */
  readonly publicUrl: string;
  /** Verifies access tokens (JWT, introspection or both). */
  readonly verifier: AuthInfoVerifier & { readonly serverUrl?: unknown };
  /** Issuer URLs advertised in the protected resource metadata. */
  readonly authorizationServers: readonly string[];
  /** Scopes every request needs. */
  readonly scopes: readonly string[];
  /** Extra scopes per tool. */
  readonly toolScopes: Readonly<Record<string, readonly string[]>>;
  /** Friction for tool calls, when configured. */
  readonly friction: FrictionRegistry | undefined;
  /** Headers sent upstream with every request (the gateway's own credential). */
  readonly upstreamHeaders: readonly (readonly [string, string])[];
  /** Send `X-Authflow-Subject`, `X-Authflow-Client-Id`, `X-Authflow-Scopes` upstream. */
  readonly identityHeaders: boolean;
  /** Largest request body, bytes (413 above). */
  readonly maxBodyBytes: number;
  /** Longest wait for the upstream's response headers, ms (504 after). */
  readonly upstreamTimeoutMs: number;
  /** Longest wait for in-flight calls at shutdown, ms. */
  readonly shutdownTimeoutMs: number;
  /** Lets the metadata proxy reach an authorization server on loopback. */
  readonly allowLocalhost: boolean;
  /** DPoP (RFC 9449): `'allowed'` or `'required'`; off when `undefined`. */
  readonly dpop: 'allowed' | 'required' | undefined;
  /** Where DPoP proof ids are remembered (a `RedisStore` shares them across replicas). */
  readonly dpopReplayStore?: DpopReplayStore | undefined;
  /**
   * Server-issued DPoP nonces (RFC 9449 §8), as the gate's `dpop.nonce`; off when `undefined`.
   * A fresh `DPoP-Nonce` reaches the client on the forwarded response (§8.2).
   */
  readonly dpopNonce?: DpopOptions['nonce'] | undefined;
  /**
   * Origins a browser-based client may call the MCP endpoint from: `'*'`, or exact origins as a
   * browser sends `Origin`; off when `undefined` (see `createMcpCors`).
   */
  readonly corsOrigin?: '*' | readonly string[] | undefined;
  readonly logger: Logger;
}

/** A gateway server. */
export interface Gateway {
  readonly server: Server;
  /** Starts listening; resolves the bound address. */
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Graceful shutdown: readiness fails, in-flight calls finish (bounded), connections close. */
  close(): Promise<void>;
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  const path = query === -1 ? raw : raw.slice(0, query);
  return path.length > 1 ? trimTrailingSlashes(path) : path;
}

function advertisedScopes(o: GatewayOptions): string[] {
  return [...new Set([...o.scopes, ...Object.values(o.toolScopes).flat()])];
}

function dpopOf(o: GatewayOptions): false | DpopOptions {
  if (o.dpop === undefined) return false;
  return {
    mode: o.dpop,
    ...(o.dpopReplayStore === undefined ? {} : { replayStore: o.dpopReplayStore }),
    ...(o.dpopNonce === undefined ? {} : { nonce: o.dpopNonce }),
  };
}

function createMcpHandler(o: GatewayOptions, inFlight: InFlight) {
  const gate = requireBearerAuth({
    verifier: o.verifier,
    serverUrl: o.publicUrl,
    requiredScopes: o.scopes,
    toolScopes: o.toolScopes,
    maxBodyBytes: o.maxBodyBytes,
    logger: o.logger,
    dpop: dpopOf(o),
  });
  const target = forwardTarget(o.upstreamUrl, o.upstreamTimeoutMs, o.logger);
  const fixed = Object.fromEntries(o.upstreamHeaders.map(([name, value]) => [name, value]));
  return async function mcp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    inFlight.track(res, req.method === 'GET');
    const passed = await gate(req, res);
    if (passed === undefined) return;
    if (o.friction !== undefined && passed.body !== undefined) {
      const answer = await checkFriction(o.friction, passed.authInfo, passed.body);
      if (answer !== undefined) {
        sendJson(res, 200, {}, answer);
        return;
      }
    }
    const added = o.identityHeaders ? { ...fixed, ...identityHeaders(passed.authInfo) } : fixed;
    await forward(req, res, passed.body, added, target);
  };
}

/**
 * Creates the gateway server (not yet listening).
 *
 * @param o - See {@link GatewayOptions}.
 * @returns The gateway.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` from the gate or discovery
 *   options.
 */
export function createGateway(o: GatewayOptions): Gateway {
  const inFlight = new InFlight();
  const mcpPath = pathOf(new URL(o.publicUrl).pathname);
  const discovery = createOAuthDiscoveryHandler({
    serverUrl: o.publicUrl,
    authorizationServers: o.authorizationServers,
    scopes: advertisedScopes(o),
    ...(o.dpop === undefined ? {} : { dpop: { required: o.dpop === 'required' } }),
    httpClient: createSafeHttpClient({ allowLocalhost: o.allowLocalhost }),
    logger: o.logger,
  });
  const mcp = createMcpHandler(o, inFlight);
  const cors = createMcpCors(o.corsOrigin);
  const log = createLoggingMiddleware({ logger: o.logger });
  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = pathOf(req.url);
    if (path === '/healthz') return sendJson(res, 200, {}, { status: 'ok' });
    if (path === '/readyz') {
      const ready = !inFlight.draining;
      return sendJson(res, ready ? 200 : 503, {}, { status: ready ? 'ready' : 'draining' });
    }
    if (await discovery(req, res)) return;
    if (path !== mcpPath) return sendJson(res, 404, {}, { error: 'not_found' });
    if (cors(req, res)) return;
    if (inFlight.draining) {
      return sendJson(res, 503, { Connection: 'close', 'Retry-After': '1' }, { error: 'draining' });
    }
    await mcp(req, res);
  }
  const server = createServer((req, res) => {
    log(req, res);
    route(req, res).catch((err: unknown) => {
      o.logger.error({ event: 'gateway_error', error: (err as Error)?.name ?? typeof err });
      if (!res.headersSent) sendJson(res, 500, {}, { error: 'server_error' });
      else res.destroy();
    });
  });
  return {
    server,
    async listen(port, host) {
      server.listen(port, host);
      await once(server, 'listening');
      return server.address() as AddressInfo;
    },
    async close() {
      const cut = await inFlight.drain(server, o.shutdownTimeoutMs);
      if (cut > 0) o.logger.warn({ event: 'gateway_shutdown_cut', calls: cut });
    },
  };
}
