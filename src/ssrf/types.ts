/**
 * The contract of the one outbound HTTP client every part of this library uses.
 *
 * @module
 */

import type { LookupFunction } from 'node:net';

/** Options of {@link createSafeHttpClient}. */
export interface SafeHttpClientOptions {
  /**
   * Allow loopback targets (`localhost`, 127/8, `::1`, `::ffff:127.x`).
   * @default true
   */
  readonly allowLocalhost?: boolean;
  /**
   * Allow private (RFC 1918, CGNAT, ULA) resolved addresses for https names. Link-local and
   * cloud metadata addresses stay refused.
   * @default false
   */
  readonly allowPrivateNetwork?: boolean;
  /** DNS resolver, injectable for tests. @default `dns.lookup` */
  readonly lookup?: LookupFunction;
  /** Idle keep-alive timeout of pooled connections, in ms. @default 30000 */
  readonly keepAliveTimeoutMs?: number;
  /** Connect timeout in ms. @default 5000 */
  readonly connectTimeoutMs?: number;
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
