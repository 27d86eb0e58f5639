/**
 * The `Mcp-Method` / `Mcp-Name` presence rules of MCP protocol revision 2026-07-28 (SEP-2243):
 * on a request of that revision (or later) `Mcp-Method` is required, and `Mcp-Name` is required
 * when the body carries the value it mirrors (`params.name` of `tools/call` and `prompts/get`,
 * `params.uri` of `resources/read`, `params.taskId` of `tasks/get|update|cancel`). Whether they
 * match the body is checked by `checkToolCalls`; a missing header is the same -32020 refusal.
 *
 * @module
 * @internal
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/transports
 */

import { checkToolCalls, jsonRpcIdOf, type ToolCallCheck } from './json-rpc.js';

/** The first protocol revision with required routing headers. */
export const FIRST_MODERN_PROTOCOL_VERSION = '2026-07-28';

const VERSION_META_KEY = 'io.modelcontextprotocol/protocolVersion';
const NAME_SOURCE: Readonly<Record<string, string>> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
};

/** The routing headers of one request, as received. */
export interface ModernHeaders {
  readonly protocolVersion?: string | undefined;
  readonly method?: string | undefined;
  readonly name?: string | undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function isModern(version: unknown): boolean {
  return typeof version === 'string' && version >= FIRST_MODERN_PROTOCOL_VERSION;
}

function violates(message: unknown, headers: ModernHeaders): boolean {
  const m = record(message);
  if (m === undefined || typeof m.method !== 'string' || !('id' in m)) return false;
  const params = record(m.params);
  const envelope = record(params?._meta)?.[VERSION_META_KEY];
  if (!isModern(headers.protocolVersion?.trim()) && !isModern(envelope)) return false;
  if (headers.method === undefined) return true;
  const source = NAME_SOURCE[m.method];
  return source !== undefined && params?.[source] !== undefined && headers.name === undefined;
}

/**
 * Whether a request of protocol 2026-07-28 or later lacks a required routing header. The
 * revision comes from the `MCP-Protocol-Version` header or the body's `_meta` envelope; older
 * requests (and notifications) are never refused here.
 *
 * @param body - The parsed JSON body (one message or a batch), or `undefined`.
 * @param headers - The raw `MCP-Protocol-Version`, `Mcp-Method` and `Mcp-Name` values.
 */
export function lacksModernHeaders(body: unknown, headers: ModernHeaders): boolean {
  const messages = Array.isArray(body) ? body : [body];
  return messages.some((message) => violates(message, headers));
}

/**
 * The routing check the gate runs on a request's parsed body, the one value it also hands to the
 * transport: `Mcp-Method`/`Mcp-Name` must match the body ({@link checkToolCalls}) and, on a
 * 2026-07-28 request, be present ({@link lacksModernHeaders}). Either failure is the same
 * JSON-RPC -32020 refusal.
 *
 * @param body - The parsed JSON body, or `undefined` when there is none (GET, DELETE).
 * @param headers - The raw `MCP-Protocol-Version`, `Mcp-Method` and `Mcp-Name` values.
 */
export function checkRouting(body: unknown, headers: ModernHeaders): ToolCallCheck {
  const checked = checkToolCalls(body, { method: headers.method, name: headers.name });
  return checked.ok && lacksModernHeaders(body, headers)
    ? { ok: false, id: jsonRpcIdOf(body) }
    : checked;
}
