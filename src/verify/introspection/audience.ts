/**
 * RFC 8707 audience matching on normalised URLs. An `aud` that is an http(s) URL covers the
 * server URL only when it is a plain `scheme://host[:port][/path]`: userinfo, dot segments
 * (`.`, `..`, also percent-encoded `%2e`), a query, a fragment, a backslash, control or space
 * characters, or a percent-encoded host make it match nothing (issue 11, class 7) — the WHATWG
 * URL parser would otherwise quietly rewrite them into something that looks like the server.
 *
 * @module
 * @internal
 */

/** Longest `aud` element compared, in characters; longer ones match nothing. */
export const MAX_AUDIENCE_LENGTH = 2048;

/** An http(s) URL reduced to what audience matching compares. */
export interface NormalisedResource {
  /** `scheme://host[:port]`, lower-case, default port folded (WHATWG `origin`). */
  readonly origin: string;
  /** The path with percent-encodings normalised (RFC 3986 §6.2.2). */
  readonly path: string;
}

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const HEX = /^[0-9A-Fa-f]{2}$/;

/** Upper-case hex in percent-encodings and decode unreserved characters (RFC 3986 §6.2.2). */
function normalisePercentEncoding(path: string): string {
  if (!path.includes('%')) return path;
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const hex = path.slice(i + 1, i + 3);
    if (path[i] !== '%' || !HEX.test(hex)) {
      out += path[i];
      continue;
    }
    const char = String.fromCharCode(Number.parseInt(hex, 16));
    out += UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
    i += 2;
  }
  return out;
}

function isDotSegment(segment: string): boolean {
  const s = segment.toLowerCase().replaceAll('%2e', '.');
  return s === '.' || s === '..';
}

/** Control characters, space, `\`, `?` and `#`: never in an audience we compare. */
function hasForbiddenChar(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f || c === 0x5c || c === 0x3f || c === 0x23) return true;
  }
  return false;
}

/** Whether `value` starts with `http://` or `https://` (any case): a URL audience. */
export function looksLikeHttpUrl(value: string): boolean {
  const head = value.slice(0, 8).toLowerCase();
  return head.startsWith('http://') || head.startsWith('https://');
}

/**
 * Normalises an http(s) URL for audience matching, or `undefined` when it is not a plain
 * `scheme://host[:port][/path]` (see the module). Never throws.
 *
 * @see https://www.rfc-editor.org/rfc/rfc3986#section-6.2.2
 */
export function normaliseResource(value: string): NormalisedResource | undefined {
  if (value.length > MAX_AUDIENCE_LENGTH || !looksLikeHttpUrl(value)) return undefined;
  if (hasForbiddenChar(value)) return undefined;
  const rest = value.slice(value.indexOf('//') + 2);
  const slash = rest.indexOf('/');
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  if (authority.length === 0 || authority.includes('@') || authority.includes('%')) {
    return undefined;
  }
  const rawPath = slash === -1 ? '' : rest.slice(slash);
  if (rawPath.split('/').some(isDotSegment)) return undefined;
  if (!URL.canParse(value)) return undefined;
  const url = new URL(value);
  return { origin: url.origin, path: normalisePercentEncoding(url.pathname) };
}

function trimTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path[end - 1] === '/') end--;
  return path.slice(0, end);
}

/**
 * Whether the normalised audience `aud` covers the normalised server URL: same origin, and the
 * server path starts with the audience path on a `/` boundary (`https://h/api` covers
 * `https://h/api/mcp` but not `https://h/api123`; trailing slashes of the audience ignored).
 */
export function covers(aud: NormalisedResource, server: NormalisedResource): boolean {
  if (aud.origin !== server.origin) return false;
  const prefix = trimTrailingSlashes(aud.path);
  return server.path === prefix || server.path.startsWith(`${prefix}/`);
}
