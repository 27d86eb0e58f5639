/**
 * Benchmark 2, MCP end to end: `tools/call` through the SDK's Streamable HTTP transport
 * (stateless, one server and transport per request) unprotected, protected with the
 * introspection cache warm, and protected with `cache: false` (every request introspected at
 * the fixture `oidc-provider`, which runs in the same child process as the MCP servers). Each
 * connection of a protected run carries its own token (one client per connection), so the
 * verifier's single-flight does not merge the uncached introspections of different connections.
 *
 * @module
 */

import { alternate, type GateSettings, summarise, type VariantFigures } from './gate-overhead.js';
import { startChild } from './lib/child.js';
import type { LoadTarget } from './lib/load.js';

/** Result of {@link runMcpEndToEnd}. */
export interface McpFigures {
  readonly unprotected: VariantFigures;
  readonly cached: VariantFigures;
  readonly uncached: VariantFigures;
  /** cached / unprotected req/s. */
  readonly cachedRatio: number;
  /** uncached / unprotected req/s. */
  readonly uncachedRatio: number;
  /** Introspection requests per MCP request with `cache: false` (measured at the fixture). */
  readonly uncachedIntrospectionsPerRequest: number;
}

const CALL = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'whoami', arguments: {} },
});

function mcpTarget(url: string, tokens?: readonly string[]): LoadTarget {
  return {
    url,
    method: 'POST',
    body: CALL,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    ...(tokens === undefined ? {} : { tokens }),
  };
}

interface McpInfo {
  readonly open: string;
  readonly cached: string;
  readonly uncached: string;
  readonly cachedTokens: readonly string[];
  readonly uncachedTokens: readonly string[];
}

/** Runs benchmark 2; `serverPath` is the compiled `bench/servers/http-server.ts`. */
export async function runMcpEndToEnd(serverPath: string, s: GateSettings): Promise<McpFigures> {
  const child = startChild(serverPath);
  try {
    const info = await child.call<McpInfo>('mcp', { tokens: s.connections });
    const probe = () => child.call<number>('providerCount');
    const [open, cached, uncached] = await alternate(
      [
        mcpTarget(info.open),
        mcpTarget(info.cached, info.cachedTokens),
        { ...mcpTarget(info.uncached, info.uncachedTokens), probe },
      ],
      s,
    );
    const figures = {
      unprotected: summarise(open!),
      cached: summarise(cached!),
      uncached: summarise(uncached!),
    };
    return {
      ...figures,
      cachedRatio: figures.cached.rps / figures.unprotected.rps,
      uncachedRatio: figures.uncached.rps / figures.unprotected.rps,
      uncachedIntrospectionsPerRequest:
        (figures.uncached.probed ?? 0) / Math.max(figures.uncached.requests, 1),
    };
  } finally {
    await child.close();
  }
}
