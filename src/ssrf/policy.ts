/**
 * Address classification for outbound connections: which resolved or literal IP addresses a
 * request may reach. Built on `ipaddr.js`; IPv4-mapped IPv6 (`::ffff:10.0.0.1`), NAT64
 * (`64:ff9b::/96`, `64:ff9b:1::/48`), 6to4 and Teredo addresses are judged by the IPv4 address
 * they carry (one function for `isSafeUrl` and the connector).
 *
 * @module
 */

import { isIP } from 'node:net';
import { type IPv4, type IPv6, ipaddr } from './ip-addr.js';
import { classifyHost } from './url-authority.js';

/**
 * The class of an IP address, as the outbound policy sees it:
 * - `public`: globally routable unicast;
 * - `loopback`: 127/8 and `::1`;
 * - `private`: RFC 1918, carrier-grade NAT (100.64/10) and IPv6 unique-local (fc00::/7);
 * - `forbidden`: everything else (unspecified `0.0.0.0` and `::`, link-local, multicast,
 *   broadcast, reserved and documentation ranges, IPv4-compatible IPv6, translated or tunnelled
 *   IPv6 carrying a loopback or non-public IPv4, …), cloud
 *   metadata addresses, and any string that is not a plain IP address.
 */
export type AddressClass = 'public' | 'loopback' | 'private' | 'forbidden';

/** Which non-public address classes a connection may reach. */
export interface AddressPolicy {
  /** Allow loopback addresses. */
  readonly allowLoopback: boolean;
  /** Allow private addresses (RFC 1918, CGNAT, ULA). */
  readonly allowPrivateNetwork: boolean;
}

/** Cloud metadata services that sit outside the link-local ranges. */
const METADATA_ADDRESSES: ReadonlySet<string> = new Set([
  // AWS IMDS over IPv6 (a ULA address).
  'fd00:ec2:0:0:0:0:0:254',
  // Alibaba Cloud metadata (inside CGNAT space).
  '100.100.100.200',
  // Azure WireServer (a public-looking address that serves platform secrets).
  '168.63.129.16',
]);

const PRIVATE_RANGES: ReadonlySet<string> = new Set(['private', 'carrierGradeNat', 'uniqueLocal']);

function ipv4At(parts: readonly number[], index: number, mask = 0): IPv4 {
  const high = (parts[index] as number) ^ (mask >>> 16);
  const low = (parts[index + 1] as number) ^ (mask & 0xffff);
  return ipaddr.fromByteArray([high >> 8, high & 0xff, low >> 8, low & 0xff]) as IPv4;
}

/**
 * The IPv4 addresses an IPv6 address carries, when it is one of the translation or tunnel forms:
 * NAT64 `64:ff9b::/96` (RFC 6052) and the local-use `64:ff9b:1::/48` (RFC 8215, judged at every
 * RFC 6052 prefix length since the operator's choice is unknown), 6to4 `2002::/16` (RFC 3056)
 * and Teredo `2001::/32` (RFC 4380: server and obfuscated client).
 */
function embeddedIpv4(ip: IPv6): IPv4[] | undefined {
  const p = ip.parts;
  if (p[0] === 0x64 && p[1] === 0xff9b && p.slice(2, 6).every((x) => x === 0)) {
    return [ipv4At(p, 6)];
  }
  if (p[0] === 0x64 && p[1] === 0xff9b && p[2] === 0x1) {
    const b = ip.toByteArray();
    const at = (i: readonly number[]) => ipaddr.fromByteArray(i.map((k) => b[k] as number)) as IPv4;
    // RFC 6052 §2.2: /48 → bytes 6,7,9,10; /56 → 7,9,10,11; /64 → 9..12; /96 → 12..15.
    return [at([6, 7, 9, 10]), at([7, 9, 10, 11]), at([9, 10, 11, 12]), at([12, 13, 14, 15])];
  }
  if (p[0] === 0x2002) return [ipv4At(p, 1)];
  if (p[0] === 0x2001 && p[1] === 0) return [ipv4At(p, 2), ipv4At(p, 6, 0xffffffff)];
  return undefined;
}

function classifyIp(ip: IPv4 | IPv6): AddressClass {
  if (METADATA_ADDRESSES.has(ip.toNormalizedString())) return 'forbidden';
  if (ip.kind() === 'ipv6' && (ip as IPv6).parts.slice(0, 6).every((p) => p === 0)) {
    // ::/96 holds `::`, `::1` and the deprecated IPv4-compatible addresses (`::127.0.0.1`).
    return ip.toNormalizedString() === '0:0:0:0:0:0:0:1' ? 'loopback' : 'forbidden';
  }
  const range = ip.range();
  if (range === 'unicast') return 'public';
  if (range === 'loopback') return 'loopback';
  return PRIVATE_RANGES.has(range) ? 'private' : 'forbidden';
}

/**
 * An address that carries IPv4 is as safe as the IPv4 it carries: public only when every
 * candidate is public, private when they are private, and never loopback (a translated 127/8 is
 * someone else's loopback, not ours).
 */
function classifyEmbedded(candidates: readonly IPv4[]): AddressClass {
  const classes = new Set(candidates.map(classifyIp));
  if (classes.size !== 1) return 'forbidden';
  const only = [...classes][0] as AddressClass;
  return only === 'loopback' ? 'forbidden' : only;
}

/**
 * Classifies one IP address. Only plain IPv4 dotted quads and IPv6 addresses are addresses:
 * anything else (a name, `0x7f.1`, `127.1`, a zone id `fe80::1%eth0`) is `forbidden`, so a
 * caller can never hand a non-address to a socket that would resolve it again.
 *
 * @param address - The address, as returned by DNS or `socket.remoteAddress`.
 * @returns Its {@link AddressClass}.
 * @see https://www.rfc-editor.org/rfc/rfc6890 Special-purpose address registries
 */
export function classifyAddress(address: string): AddressClass {
  if (typeof address !== 'string' || address.includes('%') || isIP(address) === 0) {
    return 'forbidden';
  }
  // IPv4-mapped (`::ffff:127.0.0.1`) is this host's own IPv4 stack: unwrapped, judged as is.
  const ip = ipaddr.process(address);
  const embedded = ip.kind() === 'ipv6' ? embeddedIpv4(ip as IPv6) : undefined;
  return embedded === undefined ? classifyIp(ip) : classifyEmbedded(embedded);
}

/**
 * Whether a connection may reach `address` under `policy`: public addresses always, loopback and
 * private ones only when the policy allows them, everything else never.
 *
 * @param address - The address, as returned by DNS or `socket.remoteAddress`.
 * @param policy - What the request's URL permits (see {@link addressPolicyForHost}).
 */
export function isAddressAllowed(address: string, policy: AddressPolicy): boolean {
  switch (classifyAddress(address)) {
    case 'public':
      return true;
    case 'loopback':
      return policy.allowLoopback;
    case 'private':
      return policy.allowPrivateNetwork;
    default:
      return false;
  }
}

/** Client-wide switches that {@link addressPolicyForHost} combines with the URL's host. */
export interface HostPolicyOptions {
  readonly allowLocalhost: boolean;
  readonly allowPrivateNetwork: boolean;
}

/**
 * The address policy for connections to one URL host (lower-cased, IPv6 without brackets, as
 * the WHATWG parser spells it):
 * - loopback only when the host itself says loopback (`localhost`, a loopback literal) and
 *   `allowLocalhost` is on: a name such as `backend` or `auth.example.com` that resolves to
 *   127.0.0.1 is refused, so DNS can never turn a remote-looking URL into a request to a
 *   service on this machine;
 * - private addresses when `allowPrivateNetwork` is on, or when the host is a single-label or
 *   `*.cluster.local` service name (internal by definition); never for IP literals, which
 *   `isSafeUrl` refuses unless they are loopback.
 *
 * @returns `undefined` when the host is not one the policy accepts at all.
 * @internal
 */
export function addressPolicyForHost(
  host: string,
  options: HostPolicyOptions,
): AddressPolicy | undefined {
  switch (classifyHost(host)) {
    case 'ip':
      return { allowLoopback: options.allowLocalhost, allowPrivateNetwork: false };
    case 'localhost':
      return {
        allowLoopback: options.allowLocalhost,
        allowPrivateNetwork: options.allowPrivateNetwork,
      };
    case 'internal':
      return { allowLoopback: false, allowPrivateNetwork: true };
    case 'name':
      return { allowLoopback: false, allowPrivateNetwork: options.allowPrivateNetwork };
    default:
      return undefined;
  }
}
