/**
 * The undici connector behind the safe HTTP client: it resolves the host itself, refuses the
 * connection unless every resolved address is allowed, connects to a checked address (no second
 * lookup; TLS still verifies and sends SNI for the hostname), and re-checks the socket's
 * remote address once connected. IP-literal hosts go through the same checks, since undici's
 * own `connect.lookup` hook is never called for them.
 *
 * @module
 * @internal
 */

import { isIP, type LookupFunction, type Socket } from 'node:net';
import { buildConnector } from 'undici';
import { SsrfBlockedError } from '../errors.js';
import { ipaddr } from './ip-addr.js';
import type { AddressPolicy } from './policy.js';
import { classifyAddress, isAddressAllowed } from './policy.js';

type Connect = ReturnType<typeof buildConnector>;
type ConnectOptions = Parameters<Connect>[0];
type ConnectCallback = Parameters<Connect>[1];

/** Settings of {@link createPinnedConnector}. */
export interface PinnedConnectorOptions {
  /** The address policy for a URL host, or `undefined` when the host is refused outright. */
  readonly policyFor: (hostname: string) => AddressPolicy | undefined;
  readonly lookup: LookupFunction;
  /** Bounds the DNS lookup and each connection attempt. */
  readonly connectTimeoutMs: number;
  /** Extra TLS trust anchors (PEM). */
  readonly ca?: string | readonly string[] | undefined;
  /** The connector that opens sockets to checked addresses. @default undici's `buildConnector` */
  readonly baseConnect?: Connect;
}

/** The most resolved addresses tried, one after the other, before giving up. */
const MAX_ATTEMPTS = 4;

function codedError(code: string, message: string, cause?: unknown): Error {
  return Object.assign(new Error(message, { cause }), { code });
}

function lookupAll(hostname: string, lookup: LookupFunction, timeoutMs: number): Promise<string[]> {
  if (isIP(hostname) !== 0) return Promise.resolve([hostname]);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(codedError('UND_ERR_CONNECT_TIMEOUT', `DNS lookup of ${hostname} timed out`));
    }, timeoutMs);
    timer.unref();
    lookup(hostname, { all: true }, (err, result) => {
      clearTimeout(timer);
      if (err) reject(codedError('ERR_DNS_LOOKUP', `DNS lookup of ${hostname} failed`, err));
      else resolve(Array.isArray(result) ? result.map((entry) => entry.address) : [result]);
    });
  });
}

function blocked(hostname: string, address: string): SsrfBlockedError {
  return new SsrfBlockedError(
    `Connection to ${hostname} refused: it resolves to ${address} (${classifyAddress(address)})`,
  );
}

function attempt(base: Connect, options: ConnectOptions, address: string): Promise<Socket> {
  // `host` keeps the original name so undici derives SNI and certificate checks from it.
  const pinned = { ...options, host: options.host ?? options.hostname, hostname: address };
  return new Promise((resolve, reject) => {
    base(pinned, (err, socket) => (err ? reject(err) : resolve(socket as Socket)));
  });
}

function checkSocket(socket: Socket, expected: string, policy: AddressPolicy): boolean {
  const remote = socket.remoteAddress;
  if (remote === undefined || !isAddressAllowed(remote, policy)) return false;
  return (
    ipaddr.process(remote).toNormalizedString() === ipaddr.process(expected).toNormalizedString()
  );
}

async function connectChecked(
  base: Connect,
  settings: PinnedConnectorOptions,
  options: ConnectOptions,
): Promise<Socket> {
  const { hostname } = options;
  const policy = settings.policyFor(hostname);
  if (policy === undefined) {
    throw new SsrfBlockedError(`Connection to ${hostname} refused: host not allowed`);
  }
  const addresses = await lookupAll(hostname, settings.lookup, settings.connectTimeoutMs);
  if (addresses.length === 0) throw codedError('ERR_DNS_LOOKUP', `No address for ${hostname}`);
  for (const address of addresses) {
    if (!isAddressAllowed(address, policy)) throw blocked(hostname, address);
  }
  let lastError: unknown;
  for (const address of addresses.slice(0, MAX_ATTEMPTS)) {
    let socket: Socket;
    try {
      socket = await attempt(base, options, address);
    } catch (err) {
      lastError = err;
      continue;
    }
    if (checkSocket(socket, address, policy)) return socket;
    socket.destroy();
    throw new SsrfBlockedError(
      `Connection to ${hostname} refused: the socket is not connected to the checked address`,
    );
  }
  throw lastError;
}

/**
 * Builds the connector: `connect` option of an undici `Agent`.
 *
 * @returns An undici connector function.
 */
export function createPinnedConnector(settings: PinnedConnectorOptions): Connect {
  const base =
    settings.baseConnect ??
    buildConnector({
      timeout: settings.connectTimeoutMs,
      ...(settings.ca === undefined ? {} : { ca: settings.ca as string | string[] }),
    });
  return function pinnedConnect(options: ConnectOptions, callback: ConnectCallback): void {
    connectChecked(base, settings, options).then(
      (socket) => callback(null, socket),
      (err: Error) => callback(err, null),
    );
  };
}
