/**
 * Normalisation of the public URLs given as options (MCP endpoint, authorization server).
 *
 * @module
 * @internal
 */

import { invalidArg } from '../errors.js';
import { trimTrailingSlashes } from './path.js';

/** A public http(s) URL split into the parts the discovery documents need. */
export interface NormalizedUrl {
  /** `scheme://host[:port]`, lower-cased host, default port dropped. */
  readonly origin: string;
  /** The path without trailing slashes; `''` for the root. */
  readonly path: string;
  /** The query with its `?`, or `''`. */
  readonly search: string;
  /** `origin + path + search`: never a trailing slash. */
  readonly href: string;
}

/**
 * Parses and normalises a public http(s) URL option: trailing slashes dropped (`/mcp/` → `/mcp`,
 * `https://h/` → `https://h`), no fragment, no userinfo.
 *
 * @param value - The option's value.
 * @param optionName - The option's name, quoted in the error.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` when not a string, `ERR_INVALID_ARG_VALUE` when not an
 *   absolute http(s) URL or when it has a fragment or credentials.
 */
export function normalizePublicUrl(value: unknown, optionName: string): NormalizedUrl {
  if (typeof value !== 'string') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', `"${optionName}" must be a string URL`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidArg('ERR_INVALID_ARG_VALUE', `"${optionName}" must be an absolute URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidArg('ERR_INVALID_ARG_VALUE', `"${optionName}" must be an http(s) URL`);
  }
  if (value.includes('#') || url.username !== '' || url.password !== '') {
    throw invalidArg(
      'ERR_INVALID_ARG_VALUE',
      `"${optionName}" must not contain a fragment or credentials`,
    );
  }
  const origin = `${url.protocol}//${url.host}`;
  const path = trimTrailingSlashes(url.pathname);
  return { origin, path, search: url.search, href: `${origin}${path}${url.search}` };
}
