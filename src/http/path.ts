/**
 * Trailing-slash normalisation of request targets.
 *
 * @module
 * @internal
 */

/**
 * Drops every trailing `/` in linear time. (`/\/+$/` backtracks: on a path of many slashes
 * followed by another character every start position rescans the run, quadratic in its length.)
 */
export function trimTrailingSlashes(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x2f) end -= 1;
  return text.slice(0, end);
}

/**
 * Drops every trailing slash of the path part of a request target, keeping the query:
 * `/mcp/` → `/mcp`, `/mcp//?a=1` → `/mcp?a=1`; `/` stays `/`.
 */
export function stripTrailingSlashes(url: string): string {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const query = queryStart === -1 ? '' : url.slice(queryStart);
  const trimmed = trimTrailingSlashes(path);
  return `${trimmed === '' ? (path === '' ? '' : '/') : trimmed}${query}`;
}
