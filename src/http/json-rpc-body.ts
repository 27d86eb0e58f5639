/**
 * The one parse of a JSON-RPC request body: the gate checks this value and hands this same
 * value to the MCP transport as its parsed body, so the two can never read a request
 * differently.
 *
 * @module
 * @internal
 */

import { isUtf8JsonContentType } from './content-type.js';

/** Why a POST body cannot be read as JSON-RPC, or the value read. */
export type JsonRpcBodyResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: string };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function isMessage(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    (value as { jsonrpc?: unknown }).jsonrpc === '2.0'
  );
}

/**
 * Whether a parsed value has the shape of a JSON-RPC message or batch: an object with
 * `"jsonrpc": "2.0"`, or a non-empty array of them. The SDK validates the rest; the gate only
 * needs to know that what it looked at is what will run.
 */
export function isJsonRpcShape(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0 && value.every(isMessage);
  return isMessage(value);
}

/**
 * Checks the `Content-Type` header(s) of a POST before its body is read.
 *
 * @param contentTypes - Every `Content-Type` value received.
 * @returns `undefined` when the body may be read, else the reason to refuse.
 */
export function contentTypeProblem(contentTypes: readonly string[]): string | undefined {
  return isUtf8JsonContentType(contentTypes)
    ? undefined
    : 'Content-Type must be one application/json header (charset utf-8 or none)';
}

/**
 * Decodes a POST body: strict UTF-8 (a byte-order mark or an invalid sequence is refused, where
 * lenient decoders would drop or replace it), then `JSON.parse`, then the JSON-RPC shape.
 *
 * @param bytes - The body exactly as received.
 */
export function decodeJsonRpcBody(bytes: Uint8Array): JsonRpcBodyResult {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, reason: 'The request body is not UTF-8' };
  }
  if (text.charCodeAt(0) === 0xfeff) {
    return { ok: false, reason: 'The request body starts with a byte-order mark' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'The request body is not JSON' };
  }
  return isJsonRpcShape(value)
    ? { ok: true, value }
    : { ok: false, reason: 'The request body is not a JSON-RPC message or batch' };
}

/**
 * The JSON-RPC error answered (HTTP 400) for a POST the gate cannot read.
 *
 * @param reason - Which rule the request broke (no request data in it).
 */
export function unreadableBody(reason: string): {
  readonly status: 400;
  readonly body: Readonly<Record<string, unknown>>;
} {
  return {
    status: 400,
    body: { jsonrpc: '2.0', id: null, error: { code: -32700, message: `Parse error: ${reason}` } },
  };
}
