/**
 * Masking of secrets in what the request logger records: headers and query strings (bodies:
 * `mask-body.ts`). Both are allow-lists.
 *
 * @module
 * @internal
 */

/** What a masked value is replaced by. */
export const REDACTED = '[REDACTED]';

/**
 * The headers whose values are logged; every other header value is masked (an allow-list: a
 * credential in a header nobody has heard of must not leak). `mcp-session-id` is masked: it is
 * a handle to a session.
 */
export const LOGGED_HEADERS: ReadonlySet<string> = new Set([
  'accept',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'connection',
  'content-length',
  'content-type',
  'host',
  'last-event-id',
  'mcp-method',
  'mcp-name',
  'mcp-protocol-version',
  'origin',
  'traceparent',
  'tracestate',
  'user-agent',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-request-id',
]);
/** Authorization schemes kept in front of the mask (`Bearer [REDACTED]`). */
const SCHEMES: ReadonlySet<string> = new Set(['basic', 'bearer', 'digest', 'dpop', 'negotiate']);
/**
 * Query parameter names shown as they are (values always masked); any other name becomes
 * `[REDACTED]` too: a bare token in the query must not leak as a key.
 */
const LOGGED_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,23}$/;

/** Whether a header's value is masked: every header outside {@link LOGGED_HEADERS}. */
export function isSecretHeader(name: string): boolean {
  return !LOGGED_HEADERS.has(name.toLowerCase());
}

function maskHeaderValue(name: string, value: string): string {
  if (!isSecretHeader(name)) return value;
  const space = value.indexOf(' ');
  const scheme = space === -1 ? '' : value.slice(0, space);
  return name.toLowerCase().endsWith('authorization') && SCHEMES.has(scheme.toLowerCase())
    ? `${scheme} ${REDACTED}`
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

/**
 * The query string of a URL as a record. With `mask` on every value is masked (`&` and `;` both
 * separate parameters), and a name that is not a short plain word is itself replaced by
 * {@link REDACTED}: a bare token in the query must not leak as a key either.
 */
export function maskQuery(search: string, mask: boolean): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const text = search.startsWith('?') ? search.slice(1) : search;
  const pairs = mask ? text.split(/[&;]/) : [];
  const entries = mask
    ? pairs.filter((p) => p !== '').map((p) => [decodeName(p.split('=', 1)[0] as string), REDACTED])
    : [...new URLSearchParams(search)];
  for (const [rawName, value] of entries as [string, string][]) {
    const name = mask && !LOGGED_NAME.test(rawName) ? REDACTED : rawName;
    const previous = out[name];
    if (previous === undefined) out[name] = value;
    else out[name] = Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return out;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replaceAll('+', ' '));
  } catch {
    return REDACTED;
  }
}
