/**
 * Finds the tools a JSON-RPC request body calls, and checks the `Mcp-Method` / `Mcp-Name`
 * routing headers of MCP protocol revision 2026-07-28 (SEP-2243) against the body.
 *
 * @module
 * @internal
 */

import { AuthflowError } from '../errors.js';

/** The routing headers of one request, as received (undefined when absent). */
export interface McpRoutingHeaders {
  readonly method?: string | undefined;
  readonly name?: string | undefined;
}

/** The tools a request calls, or a header/body mismatch (JSON-RPC error -32020). */
export type ToolCallCheck =
  | { readonly ok: true; readonly tools: readonly string[] }
  | { readonly ok: false; readonly id: string | number | null };

/** JSON-RPC error code of a header/body mismatch (MCP 2026-07-28). */
export const HEADER_MISMATCH_CODE = -32020;

const NAME_PARAM: Readonly<Record<string, string>> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  'resources/subscribe': 'uri',
  'resources/unsubscribe': 'uri',
};
const BASE64_WORD = /^=\?base64\?([A-Za-z0-9+/]*={0,2})\?=$/i;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function messagesOf(body: unknown): unknown[] {
  return Array.isArray(body) ? body : [body];
}

function nameOf(message: Record<string, unknown>): unknown {
  const key = typeof message.method === 'string' ? NAME_PARAM[message.method] : undefined;
  return key === undefined || !isObject(message.params) ? undefined : message.params[key];
}

/**
 * Decodes one routing header value: plain text, or the `=?base64?…?=` form used for values that
 * are not plain printable ASCII.
 *
 * @returns The value, or `null` when the encoded form does not decode to UTF-8 text.
 */
export function decodeRoutingHeader(value: string | undefined): string | undefined | null {
  if (value === undefined) return undefined;
  const match = BASE64_WORD.exec(value.trim());
  if (match === null) return value.trim();
  const bytes = Buffer.from(match[1] as string, 'base64');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * The names of the tools a JSON-RPC message or batch calls (`tools/call` with a string
 * `params.name`), in order, without duplicates.
 */
export function calledTools(body: unknown): string[] {
  if (!Array.isArray(body)) {
    const name = isObject(body) && body.method === 'tools/call' ? nameOf(body) : undefined;
    return typeof name === 'string' ? [name] : [];
  }
  const tools = new Set<string>();
  for (const message of messagesOf(body)) {
    if (isObject(message) && message.method === 'tools/call') {
      const name = nameOf(message);
      if (typeof name === 'string') tools.add(name);
    }
  }
  return [...tools];
}

/** The `id` of a single JSON-RPC request body, or `null` (a batch, a notification). */
export function jsonRpcIdOf(body: unknown): string | number | null {
  if (!isObject(body)) return null;
  return typeof body.id === 'string' || typeof body.id === 'number' ? body.id : null;
}

function matches(message: unknown, method: string | undefined, name: string | undefined): boolean {
  if (!isObject(message)) return false;
  if (method !== undefined && message.method !== method) return false;
  const bodyName = nameOf(message);
  if (method === undefined) return name === undefined || bodyName === name;
  return bodyName === undefined ? name === undefined : bodyName === name;
}

/**
 * Lists the tools a request calls, preferring the routing headers when present and refusing a
 * request whose headers and body disagree.
 *
 * @param body - The parsed JSON body, or `undefined` when there is none (GET, DELETE).
 * @param headers - The raw `Mcp-Method` / `Mcp-Name` values.
 */
export function checkToolCalls(body: unknown, headers: McpRoutingHeaders): ToolCallCheck {
  if (headers.method === undefined && headers.name === undefined) {
    return { ok: true, tools: calledTools(body) };
  }
  const method = decodeRoutingHeader(headers.method);
  const name = decodeRoutingHeader(headers.name);
  if (method === null || name === null) return { ok: false, id: jsonRpcIdOf(body) };
  if (body !== undefined && !messagesOf(body).every((m) => matches(m, method, name))) {
    return { ok: false, id: jsonRpcIdOf(body) };
  }
  const tools = calledTools(body);
  if (method === 'tools/call' && name !== undefined && !tools.includes(name)) tools.push(name);
  return { ok: true, tools };
}

/**
 * The routing headers of a request disagree with its body (JSON-RPC error -32020, HTTP 400).
 */
export class McpHeaderMismatchError extends AuthflowError {
  /** The `id` of the offending JSON-RPC request, or `null`. */
  readonly jsonRpcId: string | number | null;

  constructor(jsonRpcId: string | number | null) {
    super('ERR_INVALID_REQUEST', 'The Mcp-Method/Mcp-Name headers do not match the request body');
    this.jsonRpcId = jsonRpcId;
  }
}
