/**
 * Opt-in CORS on the gateway's MCP endpoint, so a browser-based MCP client can call it: a
 * preflight from an allowed origin is answered before the bearer gate, and every other response
 * to an allowed origin (the gate's refusals, friction answers, the upstream's answers) lets the
 * page read it, `WWW-Authenticate` and `Mcp-Session-Id` included. Never
 * `Access-Control-Allow-Credentials`: the client sends a bearer token, not cookies.
 *
 * @module
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 * @see https://modelcontextprotocol.io/specification/2025-06-18/basic/transports#streamable-http
 */

import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { sendJson } from '../http/node-io.js';
import { mergeHeaderLists } from '../http/response-headers.js';

const ALLOW_METHODS = 'GET, POST, DELETE, OPTIONS';
const ALLOW_HEADERS =
  'Authorization, Content-Type, Accept, DPoP, Mcp-Session-Id, MCP-Protocol-Version, Mcp-Method, ' +
  'Mcp-Name, Last-Event-ID';
const EXPOSE_HEADERS = 'WWW-Authenticate, Mcp-Session-Id, MCP-Protocol-Version, DPoP-Nonce';
const MAX_AGE_SECONDS = '86400';
const EXPOSE = 'access-control-expose-headers';
const LISTS: ReadonlySet<string> = new Set(['vary', EXPOSE]);

/**
 * Handles the CORS side of one request to the MCP endpoint.
 *
 * @returns `true` when it answered the request (a preflight), `false` when the request goes on
 *   to the gate; its response then gets the CORS headers when its head is written.
 */
export type McpCors = (req: IncomingMessage, res: ServerResponse) => boolean;

function listText(value: string | number | readonly string[]): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

/**
 * Makes the headers written by `writeHead` (the gate's refusals, the forwarded upstream answer,
 * Node's implicit head) carry this endpoint's CORS: `Vary` and expose lists merged with what is
 * written, any other `Access-Control-*` from the upstream dropped (the gateway owns CORS here).
 * Raw header arrays given to `writeHead` are left as they are (the gateway writes objects).
 */
function onWriteHead(res: ServerResponse, set: Readonly<Record<string, string>>): void {
  const writeHead = res.writeHead;
  res.writeHead = function corsWriteHead(this: ServerResponse, ...args: unknown[]) {
    const last = args[args.length - 1];
    const given =
      typeof last === 'object' && last !== null && !Array.isArray(last)
        ? (last as OutgoingHttpHeaders)
        : undefined;
    for (const [name, value] of Object.entries(given ?? {})) {
      const lower = name.toLowerCase();
      if (!LISTS.has(lower) && !lower.startsWith('access-control-')) continue;
      delete (given as OutgoingHttpHeaders)[name];
      if (LISTS.has(lower) && value !== undefined) {
        this.setHeader(lower, mergeHeaderLists(this.getHeader(lower), listText(value)));
      }
    }
    this.removeHeader('access-control-allow-credentials');
    for (const [name, value] of Object.entries(set)) {
      const lower = name.toLowerCase();
      this.setHeader(
        name,
        LISTS.has(lower) ? mergeHeaderLists(this.getHeader(lower), value) : value,
      );
    }
    return Reflect.apply(writeHead, this, args) as ServerResponse;
  } as ServerResponse['writeHead'];
}

/**
 * Creates the CORS step of the MCP endpoint.
 *
 * - Off (`undefined`): does nothing; preflights reach the gate (401), as without this step.
 * - A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) from an allowed
 *   origin: 204 with the allowed methods and headers; from another origin: 403 without CORS
 *   headers. Either way it never reaches the gate or the upstream.
 * - Any other request: processed as before; the response to an allowed origin gets
 *   `Access-Control-Allow-Origin` and `Access-Control-Expose-Headers`. With a list of origins
 *   the origin is echoed and every response carries `Vary: Origin`.
 *
 * @param allow - `'*'`, exact origins as a browser sends `Origin`, or `undefined` (off).
 * @returns The step.
 * @see https://fetch.spec.whatwg.org/#cors-preflight-fetch
 */
export function createMcpCors(allow: '*' | readonly string[] | undefined): McpCors {
  if (allow === undefined) return () => false;
  const origins: ReadonlySet<string> = new Set(allow === '*' ? [] : allow);
  const vary: Record<string, string> = allow === '*' ? {} : { Vary: 'Origin' };
  const allowOrigin = (origin: string | undefined): string | undefined =>
    allow === '*' ? '*' : origin !== undefined && origins.has(origin) ? origin : undefined;
  return function mcpCors(req, res) {
    const origin = req.headers.origin;
    const allowed = allowOrigin(origin);
    if (
      req.method === 'OPTIONS' &&
      origin !== undefined &&
      req.headers['access-control-request-method'] !== undefined
    ) {
      req.resume();
      if (allowed === undefined) {
        sendJson(res, 403, vary, { error: 'origin_not_allowed' });
        return true;
      }
      res.writeHead(204, {
        'Access-Control-Allow-Origin': allowed,
        'Access-Control-Allow-Methods': ALLOW_METHODS,
        'Access-Control-Allow-Headers': ALLOW_HEADERS,
        'Access-Control-Max-Age': MAX_AGE_SECONDS,
        ...vary,
      });
      res.end();
      return true;
    }
    const cors =
      allowed === undefined
        ? vary
        : {
            'Access-Control-Allow-Origin': allowed,
            'Access-Control-Expose-Headers': EXPOSE_HEADERS,
            ...vary,
          };
    onWriteHead(res, cors);
    return false;
  };
}
