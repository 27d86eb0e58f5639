import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AddressClass,
  type AddressPolicy,
  addressPolicyForHost,
  classifyAddress,
  isAddressAllowed,
} from '../../src/ssrf/policy.js';

const NONE: AddressPolicy = { allowLoopback: false, allowPrivateNetwork: false };
const ALL: AddressPolicy = { allowLoopback: true, allowPrivateNetwork: true };

const classes: readonly (readonly [string, AddressClass])[] = [
  ['8.8.8.8', 'public'],
  ['93.184.216.34', 'public'],
  ['2606:4700::1111', 'public'],
  ['64:ff9b::808:808', 'public'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['::1', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['10.0.0.1', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['100.64.0.1', 'private'],
  ['fd12:3456::1', 'private'],
  ['fc00::1', 'private'],
  ['::ffff:10.0.0.1', 'private'],
  ['::ffff:a00:1', 'private'],
  ['64:ff9b::a00:1', 'private'],
  ['0.0.0.0', 'forbidden'],
  ['0.1.2.3', 'forbidden'],
  ['::', 'forbidden'],
  ['::ffff:0.0.0.0', 'forbidden'],
  ['169.254.169.254', 'forbidden'],
  ['169.254.0.1', 'forbidden'],
  ['::ffff:169.254.169.254', 'forbidden'],
  ['fe80::1', 'forbidden'],
  ['fe80::1%eth0', 'forbidden'],
  ['fd00:ec2::254', 'forbidden'],
  ['100.100.100.200', 'forbidden'],
  ['168.63.129.16', 'forbidden'],
  ['224.0.0.1', 'forbidden'],
  ['ff02::1', 'forbidden'],
  ['255.255.255.255', 'forbidden'],
  ['240.0.0.1', 'forbidden'],
  ['192.0.2.1', 'forbidden'],
  ['::7f00:1', 'forbidden'],
  ['::a00:1', 'forbidden'],
  ['2002:7f00:1::1', 'forbidden'],
  ['2001::1', 'forbidden'],
  ['64:ff9b:1::a00:1', 'forbidden'],
  ['127.1', 'forbidden'],
  ['0x7f.0.0.1', 'forbidden'],
  ['2130706433', 'forbidden'],
  ['010.0.0.1', 'forbidden'],
  ['localhost', 'forbidden'],
  ['[::1]', 'forbidden'],
  ['', 'forbidden'],
];

describe('classifyAddress', () => {
  it.each(classes)('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it('treats non-strings as forbidden', () => {
    expect(classifyAddress(undefined as unknown as string)).toBe('forbidden');
  });
});

describe('isAddressAllowed', () => {
  it('allows public, gates loopback and private, refuses the rest', () => {
    expect(isAddressAllowed('8.8.8.8', NONE)).toBe(true);
    expect(isAddressAllowed('127.0.0.1', NONE)).toBe(false);
    expect(isAddressAllowed('127.0.0.1', { ...NONE, allowLoopback: true })).toBe(true);
    expect(isAddressAllowed('10.0.0.1', NONE)).toBe(false);
    expect(isAddressAllowed('10.0.0.1', { ...NONE, allowPrivateNetwork: true })).toBe(true);
    expect(isAddressAllowed('10.0.0.1', { ...NONE, allowLoopback: true })).toBe(false);
    for (const address of ['169.254.169.254', 'fd00:ec2::254', '0.0.0.0', '::', 'fe80::1']) {
      expect(isAddressAllowed(address, ALL)).toBe(false);
    }
  });
});

describe('addressPolicyForHost', () => {
  const flags = { allowLocalhost: true, allowPrivateNetwork: false };

  it('lets only loopback-naming hosts reach loopback', () => {
    expect(addressPolicyForHost('localhost', flags)?.allowLoopback).toBe(true);
    expect(addressPolicyForHost('127.0.0.1', flags)?.allowLoopback).toBe(true);
    expect(addressPolicyForHost('::1', flags)?.allowLoopback).toBe(true);
    expect(addressPolicyForHost('backend', flags)?.allowLoopback).toBe(false);
    expect(addressPolicyForHost('auth.example.com', flags)?.allowLoopback).toBe(false);
    const noLocal = { ...flags, allowLocalhost: false };
    expect(addressPolicyForHost('localhost', noLocal)?.allowLoopback).toBe(false);
    expect(addressPolicyForHost('127.0.0.1', noLocal)?.allowLoopback).toBe(false);
  });

  it('lets service names reach private addresses, other names only with the flag', () => {
    expect(addressPolicyForHost('backend', flags)?.allowPrivateNetwork).toBe(true);
    expect(addressPolicyForHost('a.ns.svc.cluster.local', flags)?.allowPrivateNetwork).toBe(true);
    expect(addressPolicyForHost('auth.example.com', flags)?.allowPrivateNetwork).toBe(false);
    expect(addressPolicyForHost('localhost', flags)?.allowPrivateNetwork).toBe(false);
    expect(addressPolicyForHost('10.0.0.1', flags)?.allowPrivateNetwork).toBe(false);
    const withPrivate = { ...flags, allowPrivateNetwork: true };
    expect(addressPolicyForHost('auth.example.com', withPrivate)?.allowPrivateNetwork).toBe(true);
    expect(addressPolicyForHost('10.0.0.1', withPrivate)?.allowPrivateNetwork).toBe(false);
  });

  it.each([
    '2130706433',
    '0x7f000001',
    '127.1',
    '127.0.0.1.',
    'localhost.',
    'sub.localhost',
    'mcp-auth.',
    'exa!mple.com',
    '',
    '.',
    'a..b',
    'fe80::1%eth0',
    'x'.repeat(64),
  ])('refuses the host %j outright', (host) => {
    expect(addressPolicyForHost(host, flags)).toBeUndefined();
  });
});

const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.tuple(octet, octet, octet, octet).map((parts) => parts.join('.'));
const policy = fc.record({ allowLoopback: fc.boolean(), allowPrivateNetwork: fc.boolean() });
const hex = (n: number): string => n.toString(16);

/** The IPv4-mapped IPv6 spellings of an IPv4 address. */
function mappedForms(v4: string): string[] {
  const [a, b, c, d] = v4.split('.').map(Number) as [number, number, number, number];
  const high = hex((a << 8) | b);
  const low = hex((c << 8) | d);
  return [
    `::ffff:${v4}`,
    `::FFFF:${v4}`,
    `0:0:0:0:0:ffff:${v4}`,
    `::ffff:${high}:${low}`,
    `0000:0000:0000:0000:0000:ffff:${high.padStart(4, '0')}:${low.padStart(4, '0')}`,
  ];
}

describe('classifyAddress: properties', () => {
  it('gives every IPv4-mapped form of an address the verdict of the address', () => {
    fc.assert(
      fc.property(ipv4, policy, (v4, p) => {
        for (const form of mappedForms(v4)) {
          expect(classifyAddress(form)).toBe(classifyAddress(v4));
          expect(isAddressAllowed(form, p)).toBe(isAddressAllowed(v4, p));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses random 10/8, 172.16/12, 192.168/16 and 100.64/10 addresses without the flag', () => {
    const privateV4 = fc.oneof(
      fc.tuple(octet, octet, octet).map(([b, c, d]) => `10.${b}.${c}.${d}`),
      fc.tuple(fc.integer({ min: 16, max: 31 }), octet, octet).map((p) => `172.${p.join('.')}`),
      fc.tuple(octet, octet).map(([c, d]) => `192.168.${c}.${d}`),
      fc.tuple(fc.integer({ min: 64, max: 127 }), octet, octet).map((p) => `100.${p.join('.')}`),
    );
    fc.assert(
      fc.property(privateV4, fc.boolean(), (address, allowLoopback) => {
        if (address === '100.100.100.200') return;
        expect(isAddressAllowed(address, { allowLoopback, allowPrivateNetwork: false })).toBe(
          false,
        );
        expect(isAddressAllowed(address, { allowLoopback, allowPrivateNetwork: true })).toBe(true);
      }),
    );
  });

  it('never allows link-local, unspecified or multicast addresses, whatever the policy', () => {
    const alwaysForbidden = fc.oneof(
      fc.tuple(octet, octet).map(([c, d]) => `169.254.${c}.${d}`),
      fc.tuple(octet, octet, octet).map(([b, c, d]) => `0.${b}.${c}.${d}`),
      fc.tuple(fc.integer({ min: 224, max: 239 }), octet, octet, octet).map((p) => p.join('.')),
      fc.integer({ min: 0, max: 0xffff }).map((n) => `fe80::${hex(n)}`),
      fc.integer({ min: 0, max: 0xffff }).map((n) => `ff02::${hex(n)}`),
    );
    fc.assert(
      fc.property(alwaysForbidden, policy, (address, p) => {
        expect(isAddressAllowed(address, p)).toBe(false);
        expect(isAddressAllowed(`::ffff:${address}`, p)).toBe(false);
      }),
    );
  });

  it('lets 127/8 through exactly when loopback is allowed', () => {
    fc.assert(
      fc.property(octet, octet, octet, policy, (b, c, d, p) => {
        expect(isAddressAllowed(`127.${b}.${c}.${d}`, p)).toBe(p.allowLoopback);
      }),
    );
  });
});
