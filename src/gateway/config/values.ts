/**
 * Checks of single gateway setting values; each names the field it refuses.
 *
 * @module
 * @internal
 */

import { GatewayConfigError } from './error.js';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const TOOL_NAME = /^[A-Za-z0-9_./-]{1,128}$/;
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
/** Headers the proxy owns: framing, routing and the identity it sends itself. */
const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'proxy-connection',
]);

/** An absolute `http:` or `https:` URL, returned as written (an issuer is compared exactly). */
export function httpUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new GatewayConfigError(field, 'must be an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GatewayConfigError(field, 'must be an http: or https: URL');
  }
  if (url.username !== '' || url.password !== '') {
    throw new GatewayConfigError(field, 'must not hold credentials');
  }
  return value;
}

/** A whole number in `[min, max]`. */
export function intIn(value: number, field: string, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new GatewayConfigError(field, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** An RFC 6749 §3.3 scope token. */
export function scope(value: string, field: string): string {
  if (!SCOPE.test(value)) throw new GatewayConfigError(field, `"${value}" is not a valid scope`);
  return value;
}

function splitPair(item: string, field: string, sep: string): [string, string] {
  const at = item.indexOf(sep);
  if (at <= 0) throw new GatewayConfigError(field, `"${item}" must look like name${sep}value`);
  const name = item.slice(0, at).trim();
  if (!TOOL_NAME.test(name)) throw new GatewayConfigError(field, `"${name}" is not a tool name`);
  return [name, item.slice(at + 1).trim()];
}

/** `tool=a,b` items → `{ tool: ['a', 'b'] }`. */
export function toolScopes(items: readonly string[], field: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const item of items) {
    const [tool, list] = splitPair(item, field, '=');
    const scopes = list
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (scopes.length === 0) throw new GatewayConfigError(field, `"${tool}" names no scope`);
    out[tool] = [...new Set([...(out[tool] ?? []), ...scopes.map((s) => scope(s, field))])];
  }
  return out;
}

/** `tool=0.05` items → `{ tool: 0.05 }`, each rate in (0, 1]. */
export function frictionRates(items: readonly string[], field: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) {
    const [tool, text] = splitPair(item, field, '=');
    const rate = /^(?:\d+(?:\.\d+)?|\.\d+)(?:e-?\d+)?$/i.test(text) ? Number(text) : Number.NaN;
    if (!(rate > 0 && rate <= 1)) {
      throw new GatewayConfigError(field, `the target rate of "${tool}" must be in (0, 1]`);
    }
    out[tool] = rate;
  }
  return out;
}

/** `Name: value` items → pairs; refuses framing headers and the identity headers. */
export function upstreamHeaders(
  items: readonly string[],
  field: string,
  identity: readonly string[],
): [string, string][] {
  return items.map((item) => {
    const at = item.indexOf(':');
    const name = at === -1 ? '' : item.slice(0, at).trim();
    const value = item.slice(at + 1).trim();
    if (!TOKEN.test(name)) throw new GatewayConfigError(field, 'each must look like "Name: value"');
    const lower = name.toLowerCase();
    if (RESERVED_HEADERS.has(lower) || identity.includes(lower)) {
      throw new GatewayConfigError(field, `"${name}" is set by the gateway itself`);
    }
    // Bytes outside visible ASCII and tab/space are refused: no header injection (RFC 9110 §5.5).
    if (!/^[\t\x20-\x7E]*$/.test(value)) {
      throw new GatewayConfigError(field, `the value of "${name}" holds forbidden characters`);
    }
    return [name, value];
  });
}

const ORIGIN_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]+\/?$/;

function origin(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new GatewayConfigError(field, `"${value}" is not an origin (scheme://host[:port])`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GatewayConfigError(field, 'origins must be http: or https:');
  }
  if (url.username !== '' || url.password !== '') {
    throw new GatewayConfigError(field, 'origins must not hold credentials');
  }
  if (!ORIGIN_FORM.test(value)) {
    throw new GatewayConfigError(field, `"${value}" must be scheme://host[:port] with no path`);
  }
  return url.origin;
}

/**
 * Origins allowed to call the MCP endpoint from a browser: `'*'` alone, or exact origins in the
 * form a browser sends as `Origin` (lower-case scheme and host, no default port); `undefined`
 * when none (CORS off).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6454#section-6.1
 */
export function corsOrigins(items: readonly string[], field: string): '*' | string[] | undefined {
  const trimmed = [...new Set(items.map((item) => item.trim()))];
  if (trimmed.length === 0) return undefined;
  if (trimmed.includes('*')) {
    if (trimmed.length > 1) throw new GatewayConfigError(field, '"*" cannot be mixed with origins');
    return '*';
  }
  return [...new Set(trimmed.map((item) => origin(item, field)))];
}
