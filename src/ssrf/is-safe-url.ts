/**
 * `isSafeUrl`: the URL half of the SSRF protection, with the verdicts of the Python original's
 * `is_safe_url`.
 *
 * @module
 */

import { invalidArg } from '../errors.js';
import { ipaddr } from './ip-addr.js';
import { classifyAddress } from './policy.js';
import {
  classifyHost,
  hasForbiddenCharacter,
  parseRawAuthority,
  type RawAuthority,
} from './url-authority.js';

/** Options of {@link isSafeUrl}. */
export interface IsSafeUrlOptions {
  /**
   * Allow loopback targets: `localhost`, 127.0.0.0/8, `::1` and
   * `::ffff:127.x.x.x`, over http or https. Meant for local development.
   * @default true
   */
  readonly allowLocalhost?: boolean;
}

/** Longer URLs are refused outright; no endpoint URL we call comes close. */
const MAX_URL_LENGTH = 8192;

/** Whether the WHATWG parser reads the same host as our raw reading (no silent "fixing"). */
function sameHost(raw: RawAuthority, url: URL): boolean {
  if (!raw.bracketed) return url.hostname === raw.host;
  const parsed = ipaddr.parse(url.hostname.slice(1, -1)).toNormalizedString();
  return parsed === ipaddr.parse(raw.host).toNormalizedString();
}

/**
 * Checks whether an endpoint URL is acceptable for an outbound request (introspection endpoint,
 * authorization server metadata, backend calls). Rules, in order:
 * - only `http:` and `https:`; the URL must contain no backslash, control character or white
 *   space, and its raw authority must name a host (`http:///x` is refused);
 * - the host is read from the raw text, before the WHATWG `URL` parser rewrites it: numeric
 *   hosts other than a canonical dotted quad (`2130706433`, `0x7f.0.0.1`, `127.1`,
 *   `0177.0.0.1`), percent-encoded hosts, Unicode hosts (use the `xn--` form) and anything the
 *   parser would read differently are refused;
 * - IP literals are allowed only when loopback (127/8, `::1`, `::ffff:127.x`) and
 *   `allowLocalhost` is on; `0.0.0.0` and `[::]` are always refused;
 * - `localhost` follows `allowLocalhost`; names under `.localhost` are refused (RFC 6761 lets
 *   them resolve to loopback), and a trailing dot is accepted only on ordinary https names;
 * - any other https hostname is allowed;
 * - plain http only to a single DNS label (`mcp-auth`, `backend`: a letter first, then letters,
 *   digits and single hyphens) or a `*.cluster.local` name.
 *
 * Userinfo is ignored for the verdict: `http://evil.com@mcp-auth/` targets `mcp-auth`.
 *
 * > [!WARNING]
 * > This looks at the URL only. An https name may still resolve to a private or metadata
 * > address; the client from `createSafeHttpClient` checks the resolved addresses at connect
 * > time. Use both.
 *
 * @param url - The URL to check. Never throws for any string: unparsable input is `false`.
 * @param options - See {@link IsSafeUrlOptions}.
 * @returns `true` when the URL may be requested.
 * @throws `TypeError` with code `ERR_INVALID_ARG_TYPE` when `options.allowLocalhost` is given
 *   and not a boolean.
 * @example
 * ```ts
 * isSafeUrl('https://auth.example.com/introspect'); // true
 * isSafeUrl('http://mcp-auth:8080/introspect'); // true
 * isSafeUrl('http://169.254.169.254/latest/meta-data'); // false
 * isSafeUrl('http://localhost:9000/', { allowLocalhost: false }); // false
 * ```
 * @see https://owasp.org/www-community/attacks/Server_Side_Request_Forgery
 */
export function isSafeUrl(url: string, options: IsSafeUrlOptions = {}): boolean {
  const allowLocalhost = options.allowLocalhost ?? true;
  if (typeof allowLocalhost !== 'boolean') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"allowLocalhost" must be a boolean');
  }
  try {
    if (typeof url !== 'string' || url.length > MAX_URL_LENGTH || hasForbiddenCharacter(url)) {
      return false;
    }
    const raw = parseRawAuthority(url);
    if (raw === undefined || !sameHost(raw, new URL(url))) return false;
    switch (classifyHost(raw.host)) {
      case 'ip':
        return allowLocalhost && classifyAddress(raw.host) === 'loopback';
      case 'localhost':
        return allowLocalhost;
      case 'internal':
        return true;
      case 'name':
        return raw.scheme === 'https';
      default:
        return false;
    }
  } catch {
    return false;
  }
}
