/**
 * The headers that cross the gateway: what goes upstream (no credential of the client, no
 * hop-by-hop header, no client-sent identity header) and what comes back.
 *
 * @module
 * @see https://modelcontextprotocol.io/specification/2025-06-18/basic/security_best_practices#token-passthrough
 */

import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { IDENTITY_HEADERS } from './identity.js';

/** RFC 9110 §7.6.1 connection-specific headers, never forwarded either way. */
const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * The client's credentials: its access token and DPoP proof are for this gateway only; passing
 * them on is the token passthrough the MCP specification forbids.
 */
const CLIENT_CREDENTIALS: ReadonlySet<string> = new Set(['authorization', 'dpop', 'cookie']);

const NONE: ReadonlySet<string> = new Set();

function connectionListed(headers: IncomingHttpHeaders): ReadonlySet<string> {
  const value = headers.connection;
  if (value === undefined || value === 'keep-alive') return NONE;
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  return new Set(text.split(',').map((s) => s.trim().toLowerCase()));
}

/**
 * The headers of the upstream request.
 *
 * @param incoming - The client's request headers.
 * @param upstreamHost - The upstream's `host[:port]`.
 * @param added - The gateway's own headers (its upstream credential, the verified identity).
 * @param bodyLength - Length of the re-encoded body, or `undefined` when there is none.
 */
export function upstreamRequestHeaders(
  incoming: IncomingHttpHeaders,
  upstreamHost: string,
  added: Readonly<Record<string, string>>,
  bodyLength: number | undefined,
): OutgoingHttpHeaders {
  const listed = connectionListed(incoming);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || name === 'host' || name === 'content-length') continue;
    if (HOP_BY_HOP.has(name) || listed.has(name) || CLIENT_CREDENTIALS.has(name)) continue;
    if (IDENTITY_HEADERS.includes(name)) continue;
    out[name] = value;
  }
  for (const [name, value] of Object.entries(added)) out[name.toLowerCase()] = value;
  out.host = upstreamHost;
  if (bodyLength !== undefined) out['content-length'] = String(bodyLength);
  return out;
}

/**
 * Nonces are the gateway's own (RFC 9449 §9): the upstream never sees a proof, so a `DPoP-Nonce`
 * it sends would only make the client's next proof fail.
 */
const GATEWAY_OWNED: ReadonlySet<string> = new Set(['dpop-nonce']);

/**
 * The headers of the response sent back to the client: everything the upstream sent
 * (`Mcp-Session-Id`, `Content-Type`, `Mcp-Protocol-Version` …) except hop-by-hop headers and a
 * `DPoP-Nonce` (the gateway's own, set by its gate).
 *
 * @param incoming - The upstream's response headers.
 */
export function clientResponseHeaders(incoming: IncomingHttpHeaders): OutgoingHttpHeaders {
  const listed = connectionListed(incoming);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name)) continue;
    if (GATEWAY_OWNED.has(name)) continue;
    out[name] = value;
  }
  return out;
}
