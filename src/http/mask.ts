/**
 * Masking of secrets in what the request logger records: headers, query strings and bodies.
 *
 * @module
 * @internal
 */

/** What a masked value is replaced by. */
export const REDACTED = '[REDACTED]';

const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
]);
const SECRET_HEADER_PATTERN = /token|secret|api-?key|session|password/i;
const SECRET_FIELDS = new Set([
  'code',
  'state',
  'assertion',
  'client_assertion',
  'code_verifier',
  'device_code',
  'user_code',
  'key',
  'apikey',
  'api_key',
  'auth',
  'authorization',
  'credentials',
]);
const SECRET_FIELD_PATTERN = /token|secret|passw(?:or)?d|api[-_]?key|private[-_]?key|session/i;
const MAX_DEPTH = 8;

/** Whether a header name carries a credential. */
export function isSecretHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_HEADERS.has(lower) || SECRET_HEADER_PATTERN.test(lower);
}

/** Whether a query, form or JSON field name carries a credential. */
export function isSecretField(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_FIELDS.has(lower) || SECRET_FIELD_PATTERN.test(lower);
}

function maskHeaderValue(name: string, value: string): string {
  if (!isSecretHeader(name)) return value;
  const scheme = /^([A-Za-z][\w-]*) +\S/.exec(value);
  return scheme !== null && name.toLowerCase().endsWith('authorization')
    ? `${scheme[1]} ${REDACTED}`
    : REDACTED;
}

/**
 * Copies request headers, replacing credentials with {@link REDACTED} when `mask` is on
 * (`Authorization: Bearer …` keeps its scheme word).
 */
export function maskHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  mask: boolean,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (!mask) out[name] = value;
    else if (Array.isArray(value)) out[name] = value.map((v) => maskHeaderValue(name, v));
    else out[name] = maskHeaderValue(name, value);
  }
  return out;
}

/** The query string of a URL as a record, secrets masked when `mask` is on. */
export function maskQuery(search: string, mask: boolean): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, raw] of new URLSearchParams(search)) {
    const value = mask && isSecretField(name) ? REDACTED : raw;
    const previous = out[name];
    if (previous === undefined) out[name] = value;
    else out[name] = Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return out;
}

/**
 * Copies a parsed body (JSON value, form record or raw string), masking every secret field at any
 * depth (deeper than that, objects are replaced whole). A string body is replaced whole when it
 * looks like it holds a secret.
 */
export function maskBody(body: unknown, mask: boolean, depth = 0): unknown {
  if (!mask) return body;
  if (typeof body === 'string') {
    return SECRET_FIELD_PATTERN.test(body) || /(?:^|&)(?:code|state)=/.test(body) ? REDACTED : body;
  }
  if (typeof body !== 'object' || body === null) return body;
  if (depth >= MAX_DEPTH) return REDACTED;
  if (Array.isArray(body)) return body.map((item) => maskBody(item, mask, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    out[name] = isSecretField(name) ? REDACTED : maskBody(value, mask, depth + 1);
  }
  return out;
}
