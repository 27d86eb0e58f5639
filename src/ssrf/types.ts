/**
 * The contract of the one outbound HTTP client every part of this library uses.
 *
 * @module
 */

import type { LookupFunction } from 'node:net';

/** Options of {@link createSafeHttpClient}. */
export interface SafeHttpClientOptions {
  /**
   * Allow loopback targets (`localhost`, 127/8, `::1`, `::ffff:127.x`), for local development.
   * Only URLs that name loopback themselves qualify: a name such as `backend` or
   * `auth.example.com` that resolves to a loopback address is refused even when this is on.
   * @default true
   */
  readonly allowLocalhost?: boolean;
  /**
   * Allow private (RFC 1918, CGNAT, ULA) resolved addresses for any name. Single-label
   * (`mcp-auth`) and `*.cluster.local` names may always resolve to private addresses; private
   * IP literals are always refused. Link-local and cloud metadata addresses stay refused.
   * @default false
   */
  readonly allowPrivateNetwork?: boolean;
  /**
   * DNS resolver, called once per new connection with `{ all: true }`; every address it
   * returns must pass the policy. Injectable for tests. @default `dns.lookup`
   */
  readonly lookup?: LookupFunction;
  /** Idle keep-alive timeout of pooled connections, in ms. @default 30000 */
  readonly keepAliveTimeoutMs?: number;
  /** Timeout of the DNS lookup and of each connection attempt, in ms. @default 5000 */
  readonly connectTimeoutMs?: number;
  /**
   * Trusted CA certificates (PEM) for https, for an authorization server behind a private PKI.
   * When set they replace Node's default root store for this client.
   * @default Node's default root store
   */
  readonly ca?: string | readonly string[];
}

/** One outbound request. */
export interface SafeHttpRequest {
  readonly method: 'GET' | 'HEAD' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Total deadline for connect, headers and the whole body, in ms. */
  readonly timeoutMs: number;
  /** The largest response body accepted, in bytes. */
  readonly maxResponseBytes: number;
  /** Caller's cancellation. */
  readonly signal?: AbortSignal;
}

/** A fully read response. Redirects are returned as they are, never followed. */
export interface SafeHttpResponse {
  readonly status: number;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/**
 * The SSRF-safe client. `request` rejects with an `AuthflowError` coded
 * `ERR_SSRF_BLOCKED` (URL refused by `isSafeUrl`, or a forbidden resolved/connected address),
 * `ERR_HTTP_TIMEOUT`, `ERR_HTTP_RESPONSE_TOO_LARGE` or `ERR_HTTP_NETWORK`.
 */
export interface SafeHttpClient {
  request(url: string, init: SafeHttpRequest): Promise<SafeHttpResponse>;
  /** Releases pooled connections. */
  close(): Promise<void>;
}
