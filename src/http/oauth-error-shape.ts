/**
 * Recognises the OAuth errors of both MCP SDK lines by shape, so the core imports neither SDK at
 * run time: SDK 1.x `OAuthError` subclasses expose `errorCode` (`InvalidTokenError` →
 * `"invalid_token"`); SDK 2.x `OAuthError` carries its code in `code` and a brand set under the
 * global symbol `mcp.sdk.errorBrands`.
 *
 * @module
 * @internal
 */

const BRANDS = Symbol.for('mcp.sdk.errorBrands');
const V2_OAUTH_BRAND = 'mcp.OAuthError';

function isV2OAuthError(err: object): boolean {
  const brands = (err as { [BRANDS]?: unknown })[BRANDS];
  return brands instanceof Set && brands.has(V2_OAUTH_BRAND);
}

/**
 * The OAuth error code (`invalid_token`, `insufficient_scope`, …) of an SDK `OAuthError` of
 * either line, or `undefined` for anything else.
 */
export function sdkOAuthErrorCode(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const v1 = (err as { errorCode?: unknown }).errorCode;
  if (typeof v1 === 'string') return v1;
  const v2 = (err as { code?: unknown }).code;
  return isV2OAuthError(err) && typeof v2 === 'string' ? v2 : undefined;
}
