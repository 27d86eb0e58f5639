/**
 * `createSafeHttpClient`: the one outbound HTTP client of this library (introspection, metadata,
 * backend calls), with SSRF protection at connect time, a total deadline and a body size cap.
 *
 * @module
 */

import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent } from 'undici';
import { invalidArg, SsrfBlockedError } from '../errors.js';
import { assertKnownKeys, type OptionKeys } from '../lib/option-keys.js';
import { createPinnedConnector } from './connector.js';
import { isSafeUrl } from './is-safe-url.js';
import { addressPolicyForHost } from './policy.js';
import { flattenHeaders, readBody, toHttpError } from './read-response.js';
import type {
  SafeHttpClient,
  SafeHttpClientOptions,
  SafeHttpRequest,
  SafeHttpResponse,
} from './types.js';

/** Keys of {@link SafeHttpClientOptions}. */
const SAFE_HTTP_CLIENT_OPTIONS: OptionKeys<SafeHttpClientOptions> = {
  allowLocalhost: true,
  allowPrivateNetwork: true,
  lookup: true,
  keepAliveTimeoutMs: true,
  connectTimeoutMs: true,
  ca: true,
};

const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 30_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST']);

/** {@link SafeHttpClientOptions} with defaults applied. */
interface ResolvedSafeHttpClientOptions {
  readonly allowLocalhost: boolean;
  readonly allowPrivateNetwork: boolean;
  readonly lookup: LookupFunction;
  readonly keepAliveTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly ca: string | readonly string[] | undefined;
}

function optionalBoolean(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw invalidArg('ERR_INVALID_ARG_TYPE', `"${name}" must be a boolean`);
  return value;
}

function positiveMs(value: unknown, name: string, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number')
    throw invalidArg('ERR_INVALID_ARG_TYPE', `"${name}" must be a number`);
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw invalidArg('ERR_INVALID_ARG_VALUE', `"${name}" must be a positive integer`);
  }
  return value;
}

function checkCa(ca: unknown): string | readonly string[] | undefined {
  const valid =
    ca === undefined ||
    typeof ca === 'string' ||
    (Array.isArray(ca) && ca.every((item) => typeof item === 'string'));
  if (!valid) {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"ca" must be a PEM string or an array of them');
  }
  return Array.isArray(ca) ? Object.freeze([...ca]) : (ca as string | undefined);
}

function resolveSafeHttpClientOptions(
  options: SafeHttpClientOptions | undefined,
): ResolvedSafeHttpClientOptions {
  if (options === null || (options !== undefined && typeof options !== 'object')) {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"options" must be an object');
  }
  const o = options ?? {};
  if (o.lookup !== undefined && typeof o.lookup !== 'function') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"lookup" must be a function');
  }
  return Object.freeze({
    allowLocalhost: optionalBoolean(o.allowLocalhost, 'allowLocalhost', true),
    allowPrivateNetwork: optionalBoolean(o.allowPrivateNetwork, 'allowPrivateNetwork', false),
    lookup: o.lookup ?? (dnsLookup as LookupFunction),
    keepAliveTimeoutMs: positiveMs(
      o.keepAliveTimeoutMs,
      'keepAliveTimeoutMs',
      DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
    ),
    connectTimeoutMs: positiveMs(
      o.connectTimeoutMs,
      'connectTimeoutMs',
      DEFAULT_CONNECT_TIMEOUT_MS,
    ),
    ca: checkCa(o.ca),
  });
}

function checkRequest(init: SafeHttpRequest): void {
  if (init === null || typeof init !== 'object') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"init" must be an object');
  }
  if (!METHODS.has(init.method)) {
    throw invalidArg('ERR_INVALID_ARG_VALUE', '"method" must be GET, HEAD or POST');
  }
  positiveMs(init.timeoutMs, 'timeoutMs');
  const max = init.maxResponseBytes;
  if (typeof max !== 'number' || !Number.isSafeInteger(max) || max < 0) {
    throw invalidArg('ERR_INVALID_ARG_VALUE', '"maxResponseBytes" must be a non-negative integer');
  }
  if (init.body !== undefined && typeof init.body !== 'string') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"body" must be a string');
  }
  if (init.signal !== undefined && !(init.signal instanceof AbortSignal)) {
    throw invalidArg('ERR_INVALID_ARG_TYPE', '"signal" must be an AbortSignal');
  }
}

async function send(
  agent: Agent,
  allowLocalhost: boolean,
  url: string,
  init: SafeHttpRequest,
): Promise<SafeHttpResponse> {
  checkRequest(init);
  if (!isSafeUrl(url, { allowLocalhost })) {
    throw new SsrfBlockedError('Outbound URL refused by the SSRF policy');
  }
  const target = new URL(url);
  const deadline = AbortSignal.timeout(init.timeoutMs);
  const signal = init.signal ? AbortSignal.any([deadline, init.signal]) : deadline;
  try {
    const response = await agent.request({
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: init.method,
      headers: init.headers ?? {},
      body: init.body ?? null,
      signal,
    });
    const body = await readBody(response, init.method, init.maxResponseBytes);
    return { status: response.statusCode, headers: flattenHeaders(response.headers), body };
  } catch (err) {
    throw toHttpError(err, target.host, deadline, init.signal);
  }
}

/**
 * Creates the SSRF-safe outbound HTTP client. For every request it:
 * 1. refuses the URL unless {@link isSafeUrl} accepts it (with this client's `allowLocalhost`),
 *    before any socket is opened;
 * 2. resolves the host with `lookup` (all addresses), refuses the connection if **any** address
 *    is forbidden, and connects to a checked address: there is no second lookup a rebinding DNS
 *    server could answer differently; TLS still verifies the certificate for, and sends SNI
 *    with, the hostname; IP-literal hosts get the same checks;
 * 3. re-checks the connected socket's remote address;
 * 4. never follows redirects (a 3xx is returned as it is), caps the whole exchange (connect,
 *    headers, body) at `timeoutMs` and the body at `maxResponseBytes`.
 *
 * Which addresses a host may reach:
 * - public unicast: always;
 * - loopback: only when the URL itself names loopback (`localhost`, 127/8,
 *   `::1`, `::ffff:127.x`) and `allowLocalhost` is on. A name such as `backend` or
 *   `auth.example.com` that resolves to 127.0.0.1 is refused even with `allowLocalhost`:
 *   the switch is for URLs that say "this machine", not for DNS answers that do;
 * - private (RFC 1918, CGNAT, ULA): for single-label and `*.cluster.local` names (internal by
 *   definition), or for any name with `allowPrivateNetwork`;
 * - never: unspecified (`0.0.0.0`, `::`, which reach local services on Linux), link-local,
 *   cloud metadata (169.254.169.254, fd00:ec2::254, …), multicast, broadcast, reserved.
 *
 * Connections are pooled with keep-alive (one undici `Agent` per client); call `close()` when
 * done. Only `http:` and `https:` are ever requested.
 *
 * @param options - See {@link SafeHttpClientOptions}.
 * @returns The client. Its `request` rejects with an `AuthflowError` coded `ERR_SSRF_BLOCKED`
 *   (an `SsrfBlockedError`), `ERR_HTTP_TIMEOUT` (the deadline, a connect or DNS timeout, or a
 *   caller's `AbortSignal.timeout`), `ERR_HTTP_RESPONSE_TOO_LARGE`, or `ERR_HTTP_NETWORK`
 *   (anything else, a caller's abort included), with the original error as `cause`; and with a
 *   `TypeError` (`ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`) for a malformed `init`.
 * @throws `TypeError` with code `ERR_INVALID_ARG_TYPE` or `ERR_INVALID_ARG_VALUE` for bad
 *   options, naming the option.
 * @example
 * ```ts
 * const http = createSafeHttpClient({ allowLocalhost: false });
 * const res = await http.request('https://auth.example.com/.well-known/openid-configuration', {
 *   method: 'GET',
 *   timeoutMs: 5000,
 *   maxResponseBytes: 64 * 1024,
 * });
 * await http.close();
 * ```
 * @see https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html
 */
export function createSafeHttpClient(options?: SafeHttpClientOptions): SafeHttpClient {
  assertKnownKeys(options, SAFE_HTTP_CLIENT_OPTIONS, 'createSafeHttpClient');
  const resolved = resolveSafeHttpClientOptions(options);
  const hostOptions = {
    allowLocalhost: resolved.allowLocalhost,
    allowPrivateNetwork: resolved.allowPrivateNetwork,
  };
  const agent = new Agent({
    connect: createPinnedConnector({
      policyFor: (hostname) => addressPolicyForHost(hostname, hostOptions),
      lookup: resolved.lookup,
      connectTimeoutMs: resolved.connectTimeoutMs,
      ca: resolved.ca,
    }),
    keepAliveTimeout: resolved.keepAliveTimeoutMs,
    keepAliveMaxTimeout: resolved.keepAliveTimeoutMs,
  });
  return {
    request: (url, init) => send(agent, resolved.allowLocalhost, url, init),
    close: () => agent.close(),
  };
}
