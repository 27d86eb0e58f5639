/**
 * Issue 11 §6: IPv6 addresses that carry IPv4 (NAT64, local-use NAT64, 6to4, Teredo) are judged by
 * the IPv4 they carry — in isSafeUrl and in the connector, through one classification function.
 */
import type { LookupFunction } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { createPinnedConnector } from '../../src/ssrf/connector.js';
import { isSafeUrl } from '../../src/ssrf/is-safe-url.js';
import { classifyAddress } from '../../src/ssrf/policy.js';

const hex = (a: number, b: number) => ((a << 8) | b).toString(16);
const nat64 = (v4: number[]) => `64:ff9b::${hex(v4[0]!, v4[1]!)}:${hex(v4[2]!, v4[3]!)}`;
const sixToFour = (v4: number[]) => `2002:${hex(v4[0]!, v4[1]!)}:${hex(v4[2]!, v4[3]!)}::1`;
const teredo = (server: number[], client: number[]) =>
  `2001:0:${hex(server[0]!, server[1]!)}:${hex(server[2]!, server[3]!)}:0:0:${hex(
    client[0]! ^ 0xff,
    client[1]! ^ 0xff,
  )}:${hex(client[2]! ^ 0xff, client[3]! ^ 0xff)}`;

const LOOPBACK = [127, 0, 0, 1];
const PRIVATE = [10, 0, 0, 1];
const METADATA = [169, 254, 169, 254];
const PUBLIC = [8, 8, 8, 8];

describe('addresses that embed IPv4', () => {
  it.each([
    ['NAT64 loopback', nat64(LOOPBACK), 'forbidden'],
    ['NAT64 metadata', nat64(METADATA), 'forbidden'],
    ['NAT64 private', nat64(PRIVATE), 'private'],
    ['NAT64 public', nat64(PUBLIC), 'public'],
    ['local-use NAT64 loopback (/96)', '64:ff9b:1::7f00:1', 'forbidden'],
    ['local-use NAT64 (/48, ambiguous)', '64:ff9b:1:808:8:800::', 'forbidden'],
    ['6to4 loopback', sixToFour(LOOPBACK), 'forbidden'],
    ['6to4 private', sixToFour(PRIVATE), 'private'],
    ['6to4 public', sixToFour(PUBLIC), 'public'],
    ['Teredo, loopback client', teredo(PUBLIC, LOOPBACK), 'forbidden'],
    ['Teredo, metadata client', teredo(PUBLIC, METADATA), 'forbidden'],
    ['Teredo, private server', teredo(PRIVATE, PUBLIC), 'forbidden'],
    ['Teredo, public both', teredo(PUBLIC, [1, 1, 1, 1]), 'public'],
    ['IPv4-mapped loopback stays loopback', '::ffff:127.0.0.1', 'loopback'],
  ])('%s: %s is %s', (_name, address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it('isSafeUrl refuses every IPv4-carrying literal, the issue case included', () => {
    expect(isSafeUrl('https://[64:ff9b::7f00:1]/')).toBe(false);
    for (const address of [nat64(LOOPBACK), sixToFour(LOOPBACK), teredo(PUBLIC, LOOPBACK)]) {
      expect(isSafeUrl(`https://[${address}]/`)).toBe(false);
      expect(isSafeUrl(`http://[${address}]:8080/x`)).toBe(false);
    }
    expect(isSafeUrl('https://[::ffff:127.0.0.1]/')).toBe(true);
  });

  it('a carried IPv4 is never more trusted than the IPv4 itself (property)', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(fc.tuple(octet, octet, octet, octet), (v4) => {
        const plain = classifyAddress(v4.join('.'));
        const expected = plain === 'loopback' ? 'forbidden' : plain;
        expect(classifyAddress(nat64(v4))).toBe(expected);
        expect(classifyAddress(sixToFour(v4))).toBe(expected);
      }),
    );
  });

  it('the connector refuses a DNS answer that carries loopback or metadata IPv4', async () => {
    for (const address of [nat64(LOOPBACK), sixToFour(METADATA), teredo(PUBLIC, LOOPBACK)]) {
      const base = vi.fn();
      const lookup = ((_h: string, _o: unknown, cb: (e: null, a: object[]) => void) =>
        cb(null, [{ address, family: 6 }])) as unknown as LookupFunction;
      const connector = createPinnedConnector({
        policyFor: () => ({ allowLoopback: true, allowPrivateNetwork: true }),
        lookup,
        connectTimeoutMs: 1_000,
        baseConnect: base as never,
      });
      const err = await new Promise((resolve) => {
        const done = (e: unknown) => resolve(e);
        connector({ hostname: 'auth.example.com', protocol: 'https:', port: '443' }, done as never);
      });
      expect(err).toMatchObject({ code: 'ERR_SSRF_BLOCKED' });
      expect(base).not.toHaveBeenCalled();
    }
  });
});
