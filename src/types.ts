/**
 * Shared public types.
 *
 * @module
 */

/** One structured log record: a plain JSON-serialisable object. */
export type LogRecord = Readonly<Record<string, unknown>>;

/**
 * The logger every component accepts. Each method receives one structured record; records never
 * contain a token or a secret.
 */
export interface Logger {
  debug(record: LogRecord): void;
  info(record: LogRecord): void;
  warn(record: LogRecord): void;
  error(record: LogRecord): void;
}

/** A clock: epoch milliseconds. Injected everywhere time matters. */
export type Clock = () => number;

/**
 * What a verified access token says about its caller: the `AuthInfo` shape shared by MCP SDK
 * 1.x (`@modelcontextprotocol/sdk`) and SDK 2.x (`@modelcontextprotocol/server`). Declared here
 * so the library's types need neither SDK line installed.
 */
export interface AuthInfo {
  /** The access token. */
  token: string;
  /** The OAuth client the token was issued to. */
  clientId: string;
  /** Scopes granted to the token. */
  scopes: string[];
  /** Expiry, in seconds since the epoch. */
  expiresAt?: number;
  /** The RFC 8707 resource the token was issued for. */
  resource?: URL;
  /** Further data (this library puts `subject`, `issuer` and the raw claims here). */
  extra?: Record<string, unknown>;
}

/**
 * Anything that turns a bearer token into {@link AuthInfo}: this library's verifiers, and any
 * `OAuthTokenVerifier` of either MCP SDK line.
 */
export interface AuthInfoVerifier {
  /** Verifies `token`; throws for a bad token or when no verdict can be reached. */
  verifyAccessToken(token: string): Promise<AuthInfo>;
}
