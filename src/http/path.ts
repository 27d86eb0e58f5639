/**
 * Trailing-slash normalisation of request targets.
 *
 * @module
 * @internal
 */

/**
 * Drops every trailing slash of the path part of a request target, keeping the query:
 * `/mcp/` → `/mcp`, `/mcp//?a=1` → `/mcp?a=1`; `/` stays `/`.
 */
export function stripTrailingSlashes(url: string): string {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const query = queryStart === -1 ? '' : url.slice(queryStart);
  const trimmed = path.replace(/\/+$/, '');
  return `${trimmed === '' ? (path === '' ? '' : '/') : trimmed}${query}`;
}
