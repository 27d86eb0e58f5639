/**
 * Reads the host of an http(s) URL from its raw text, before the WHATWG `URL` parser gets a chance
 * to "fix" it (`http://2130706433/` → `127.0.0.1`, `http://%6C%6F…/` → `localhost`,
 * `http:\\host` → `http://host`), and sorts hosts into the kinds the SSRF policy cares about.
 *
 * @module
 * @internal
 */

import { isIPv6 } from 'node:net';

/** The authority of an http(s) URL, read from its raw text. */
export interface RawAuthority {
  readonly scheme: 'http' | 'https';
  /** Lower-cased host; an IPv6 literal without its brackets. */
  readonly host: string;
  /** Whether the host was written as a bracketed IPv6 literal. */
  readonly bracketed: boolean;
}

/**
 * What a (lower-cased, unbracketed) host is:
 * - `ip`: a canonical IPv4 dotted quad or an IPv6 literal;
 * - `localhost`: exactly `localhost` (names under `.localhost` are `invalid`);
 * - `internal`: a strict single DNS label (`mcp-auth`) or a `*.cluster.local` name;
 * - `name`: any other well-formed DNS name;
 * - `invalid`: anything else, including numeric hosts that are not a canonical dotted quad.
 */
export type HostKind = 'ip' | 'localhost' | 'internal' | 'name' | 'invalid';

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const PORT = /^(?::\d{0,5})?$/;
const MAX_PORT = 65_535;
const MAX_NAME_LENGTH = 253;
const DOTTED_QUAD =
  /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** A label the WHATWG host parser would read as a number (decimal, or `0x` hex). */
const NUMERIC_LABEL = /^(?:\d+|0x[0-9a-f]*)$/;
const DNS_LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** The Python original's single-label rule: starts with a letter, single hyphens inside. */
const SERVICE_LABEL = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const IPV6_CHARS = /^[0-9a-f:.]+$/;
const CLUSTER_SUFFIX = '.cluster.local';

/**
 * Whether `text` holds a character no URL we accept may contain anywhere: a backslash (which the
 * WHATWG parser turns into `/` for http(s)), an ASCII or C1 control character, or any Unicode
 * white space.
 */
export function hasForbiddenCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x20 || code === 0x5c || (code >= 0x7f && code <= 0xa0)) return true;
  }
  return /\s/u.test(text);
}

/**
 * Reads scheme and host from the raw text of an absolute http(s) URL. Userinfo is skipped (the
 * host follows the last `@`, as in both the WHATWG parser and Python's `urlsplit`).
 *
 * @returns `undefined` when the scheme is not http(s), the authority is missing or empty, the
 *   IPv6 brackets are unbalanced, or the port is not 0–65535.
 */
export function parseRawAuthority(url: string): RawAuthority | undefined {
  const match = SCHEME.exec(url);
  const scheme = match?.[1]?.toLowerCase();
  if (match === null || (scheme !== 'http' && scheme !== 'https')) return undefined;
  const rest = url.slice(match[0].length);
  const end = rest.search(/[/?#]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  let host: string;
  let after: string;
  const bracketed = hostPort.startsWith('[');
  if (bracketed) {
    const close = hostPort.indexOf(']');
    if (close === -1) return undefined;
    host = hostPort.slice(1, close);
    after = hostPort.slice(close + 1);
  } else {
    const colon = hostPort.indexOf(':');
    host = colon === -1 ? hostPort : hostPort.slice(0, colon);
    after = colon === -1 ? '' : hostPort.slice(colon);
  }
  if (host === '' || !PORT.test(after) || Number(after.slice(1)) > MAX_PORT) return undefined;
  return { scheme, host: host.toLowerCase(), bracketed };
}

/**
 * Sorts a lower-cased host (an IPv6 literal without brackets) into a {@link HostKind}. One
 * trailing dot is accepted on an ordinary name (`example.com.`), never on `localhost`, a
 * service label or a `*.cluster.local` name.
 */
export function classifyHost(host: string): HostKind {
  if (host.includes(':')) return IPV6_CHARS.test(host) && isIPv6(host) ? 'ip' : 'invalid';
  if (DOTTED_QUAD.test(host)) return 'ip';
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name === '' || name.length > MAX_NAME_LENGTH) return 'invalid';
  const labels = name.split('.');
  const last = labels[labels.length - 1] as string;
  if (NUMERIC_LABEL.test(last) || !labels.every((label) => DNS_LABEL.test(label))) {
    return 'invalid';
  }
  const kind = classifyName(name, labels);
  // A trailing dot is fine on a public name; on the special names it only hides them.
  return kind !== 'name' && name !== host ? 'invalid' : kind;
}

function classifyName(name: string, labels: readonly string[]): HostKind {
  if (name === 'localhost') return 'localhost';
  // RFC 6761 §6.3 lets names under .localhost resolve to loopback; nothing else uses them.
  if (name.endsWith('.localhost')) return 'invalid';
  if (labels.length === 1) return SERVICE_LABEL.test(name) ? 'internal' : 'name';
  const isClusterLocal =
    name.endsWith(CLUSTER_SUFFIX) &&
    labels.length > 2 &&
    labels.every((label) => LDH_LABEL.test(label));
  return isClusterLocal ? 'internal' : 'name';
}
