/**
 * Masking of request bodies in the request log: an allow-list of JSON-RPC members. A credential
 * in a field nobody has heard of must not leak, so nothing is logged unless it is named here.
 *
 * @module
 * @internal
 * @see https://www.jsonrpc.org/specification#request_object
 */

import { REDACTED } from './mask.js';

/**
 * The JSON-RPC members whose values are logged (by path; strings, numbers, booleans and `null`
 * only): what a request is, never what it carries. Every other value is masked, and so is every
 * member name that is not a short plain word.
 */
export const LOGGED_BODY_FIELDS: ReadonlySet<string> = new Set([
  'jsonrpc',
  'id',
  'method',
  'params.name',
  'params.protocolVersion',
  'params.clientInfo.name',
  'params.clientInfo.version',
  'error.code',
]);

/** Member names shown as they are: short plain words (no dot, so no name forges a path). */
const LOGGED_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,23}$/;

/** Objects whose member names are shown: the parents of the logged fields. */
const SHOWN_OBJECTS: ReadonlySet<string> = new Set(
  [...LOGGED_BODY_FIELDS].flatMap((path) => {
    const parts = path.split('.');
    return parts.map((_, i) => parts.slice(0, i).join('.'));
  }),
);

function isPrimitive(value: unknown): value is string | number | boolean | null {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function project(value: unknown, path: string): unknown {
  if (isPrimitive(value)) return LOGGED_BODY_FIELDS.has(path) ? value : REDACTED;
  if (typeof value !== 'object' || Array.isArray(value) || !SHOWN_OBJECTS.has(path)) {
    return REDACTED;
  }
  // Object.fromEntries defines own properties: a "__proto__" member stays a plain member.
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([name, member]) => [
      LOGGED_NAME.test(name) ? name : REDACTED,
      LOGGED_NAME.test(name) ? project(member, path === '' ? name : `${path}.${name}`) : REDACTED,
    ]),
  );
}

/**
 * Copies a parsed body for the log. With `mask` on, a JSON-RPC message (or each message of a
 * batch) keeps only {@link LOGGED_BODY_FIELDS}; every other value, a raw string body, a form
 * field and a member name that is not a short plain word become {@link REDACTED}.
 *
 * @example
 * ```ts
 * maskBody({ jsonrpc: '2.0', id: 1, method: 'tools/call',
 *   params: { name: 'add', arguments: { apiKey: 'k' } } }, true);
 * // → { jsonrpc: '2.0', id: 1, method: 'tools/call',
 * //     params: { name: 'add', arguments: '[REDACTED]' } }
 * ```
 */
export function maskBody(body: unknown, mask: boolean): unknown {
  if (!mask) return body;
  return Array.isArray(body) ? body.map((message) => project(message, '')) : project(body, '');
}
