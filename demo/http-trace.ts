/**
 * A `fetch` for the SDK client that reports every HTTP exchange (method, URL, JSON-RPC method,
 * status, `WWW-Authenticate`) so the demo can show what the real client does on the wire.
 *
 * @module
 * @internal
 */

import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';

/** One HTTP exchange seen by the traced fetch. */
export interface Exchange {
  readonly method: string;
  readonly url: URL;
  /** The JSON-RPC method of a POST body (`tools/call delete_task` for a tool call). */
  readonly rpc: string | undefined;
  readonly status: number;
  readonly wwwAuthenticate: string | null;
}

/** A traced fetch and what it has seen. */
export interface HttpTrace {
  readonly fetch: FetchLike;
  readonly exchanges: Exchange[];
  /** Called with each exchange as it completes (printing is switched on and off by the demo). */
  onExchange: ((exchange: Exchange) => void) | undefined;
}

function rpcOf(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const message = JSON.parse(body) as { method?: unknown; params?: { name?: unknown } };
    if (typeof message.method !== 'string') return undefined;
    const tool = message.params?.name;
    return message.method === 'tools/call' && typeof tool === 'string'
      ? `${message.method} ${tool}`
      : message.method;
  } catch {
    return undefined;
  }
}

/** Creates a traced fetch over the global `fetch`. */
export function createHttpTrace(): HttpTrace {
  const trace: HttpTrace = {
    exchanges: [],
    onExchange: undefined,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      const exchange: Exchange = {
        method: init?.method?.toUpperCase() ?? 'GET',
        url: new URL(String(input)),
        rpc: rpcOf(init?.body),
        status: response.status,
        wwwAuthenticate: response.headers.get('www-authenticate'),
      };
      trace.exchanges.push(exchange);
      trace.onExchange?.(exchange);
      return response;
    },
  };
  return trace;
}

/**
 * The parameters of a `Bearer` challenge (quoted values unescaped), for display and checks.
 *
 * @param header - A `WWW-Authenticate` value.
 */
export function challengeParams(header: string | null): Record<string, string> {
  const params: Record<string, string> = {};
  if (header === null) return params;
  for (const match of header.matchAll(/(?<![A-Za-z_])([A-Za-z_]+)="((?:[^"\\]|\\.)*)"/g)) {
    const [, name, value] = match as unknown as [string, string, string];
    params[name.toLowerCase()] = value.replace(/\\(.)/g, '$1');
  }
  return params;
}
