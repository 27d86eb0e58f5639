import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSafeUrl } from '../../src/ssrf/is-safe-url.js';

/** [url, expected with allowLocalhost true (the default), expected with allowLocalhost false] */
type Row = readonly [url: string, withLocalhost: boolean, withoutLocalhost: boolean];

const allowed: readonly Row[] = [
  ['https://auth.example.com/introspect', true, true],
  ['https://example.com', true, true],
  ['HTTPS://EXAMPLE.COM/', true, true],
  ['https://auth.example.com:8443/oauth/introspect?x=1#frag', true, true],
  ['https://example.com./', true, true],
  ['https://xn--bcher-kva.example/', true, true],
  ['https://a_b.example.com/', true, true],
  ['https://123.example.com/', true, true],
  ['https://backend/', true, true],
  ['https://a.b.cluster.local/', true, true],
  ['https://example.com:/', true, true],
  ['http://mcp-auth/', true, true],
  ['http://mcp-auth:8080/introspect', true, true],
  ['http://backend:3000', true, true],
  ['http://MCP-AUTH:8080/', true, true],
  ['http://a1/', true, true],
  ['http://auth-server-2/', true, true],
  ['http://evil.com@mcp-auth/', true, true],
  ['http://user:pass@backend:9000/x', true, true],
  ['http://svc.ns.svc.cluster.local/', true, true],
  ['http://a.b.c.d.cluster.local:1234/path', true, true],
  ['http://auth-server.default.svc.cluster.local:8080/introspect', true, true],
  ['http://10-0-0-1.default.pod.cluster.local/', true, true],
];

const loopback: readonly Row[] = [
  ['http://localhost/', true, false],
  ['http://localhost:8000/introspect', true, false],
  ['http://LOCALHOST:8000/', true, false],
  ['https://localhost/', true, false],
  ['http://127.0.0.1/', true, false],
  ['http://127.0.0.1:9000/introspect', true, false],
  ['http://127.255.255.254/', true, false],
  ['https://127.0.0.1:8443/', true, false],
  ['http://[::1]/', true, false],
  ['http://[::1]:8080/', true, false],
  ['http://[::ffff:127.0.0.1]/', true, false],
  ['http://[::ffff:7f00:1]/', true, false],
  ['http://[0:0:0:0:0:0:0:1]/', true, false],
  ['http://[::FFFF:127.0.0.2]:1/', true, false],
];

const refusedHosts: readonly Row[] = [
  ['http://example.com/', false, false],
  ['http://auth.example.com:8080/', false, false],
  ['http://mcp--auth/', false, false],
  ['http://mcp-/', false, false],
  ['http://-mcp/', false, false],
  ['http://1backend/', false, false],
  ['http://mcp_auth/', false, false],
  ['http://cluster.local/', false, false],
  ['http://cluster.local.evil.com/steal', false, false],
  ['http://evil.com/x.cluster.local', false, false],
  ['http://.cluster.local/', false, false],
  ['http://a..cluster.local/', false, false],
  ['http://a_b.cluster.local/', false, false],
  ['http://metadata.google.internal/', false, false],
  ['http://localhost./', false, false],
  ['https://localhost./', false, false],
  ['http://mcp-auth./', false, false],
  ['http://sub.localhost/', false, false],
  ['https://sub.localhost/', false, false],
  ['https://exa!mple.com/', false, false],
  ['https://a..b.com/', false, false],
  ['https://-a.example.com/', false, false],
];

const refusedAddresses: readonly Row[] = [
  ['http://10.0.0.1/', false, false],
  ['https://10.0.0.1/', false, false],
  ['http://192.168.1.1/', false, false],
  ['http://172.16.0.1/', false, false],
  ['http://100.64.0.1/', false, false],
  ['http://169.254.169.254/latest/meta-data', false, false],
  ['https://169.254.169.254/', false, false],
  ['http://8.8.8.8/', false, false],
  ['https://8.8.8.8/', false, false],
  ['http://[fe80::1]/', false, false],
  ['http://[fd00:ec2::254]/', false, false],
  ['http://[::ffff:169.254.169.254]/', false, false],
  ['http://[::ffff:10.0.0.1]/', false, false],
  ['http://[::127.0.0.1]/', false, false],
  ['http://[2606:4700::1111]/', false, false],
  ['http://0.0.0.0/', false, false],
  ['http://0.0.0.0:8080/', false, false],
  ['http://[::]/', false, false],
  ['http://[::ffff:0.0.0.0]/', false, false],
];

const refusedNumeric: readonly Row[] = [
  ['http://0/', false, false],
  ['http://2130706433/', false, false],
  ['https://2130706433/', false, false],
  ['http://0x7f000001/', false, false],
  ['http://0x7f.0.0.1/', false, false],
  ['http://0x7f.0x0.0x0.0x1/', false, false],
  ['http://127.1/', false, false],
  ['http://127.0.1/', false, false],
  ['http://0177.0.0.1/', false, false],
  ['https://0177.0.0.1/', false, false],
  ['http://127.000.000.001/', false, false],
  ['http://017700000001/', false, false],
  ['http://127.0.0.1./', false, false],
  ['http://1.2.3.4.5/', false, false],
  ['http://256.0.0.1/', false, false],
  ['https://foo.123/', false, false],
  ['https://foo.0x1f/', false, false],
];

const refusedSyntax: readonly Row[] = [
  ['http://%6C%6F%63%61%6C%68%6F%73%74/', false, false],
  ['https://%6C%6F%63%61%6C%68%6F%73%74/', false, false],
  ['http://127%2E0%2E0%2E1/', false, false],
  ['http://mcp%2dauth/', false, false],
  ['http://[::1%25eth0]/', false, false],
  ['http:///path', false, false],
  ['http://', false, false],
  ['https:///example.com', false, false],
  ['http://:80/', false, false],
  ['http://user@/', false, false],
  ['http:\\\\localhost\\', false, false],
  ['http://localhost\\@evil.com/', false, false],
  ['https://example.com\\@evil.com/', false, false],
  ['http://mcp-auth/\\path', false, false],
  ['http://mcp-auth /', false, false],
  ['http://mcp-auth/\n', false, false],
  ['http://mcp-auth/\t', false, false],
  [' https://example.com/', false, false],
  ['https://example.com/ ', false, false],
  ['https://exa\u0000mple.com/', false, false],
  ['https://example.com/\u00a0', false, false],
  ['https://example.com/\u0085', false, false],
  ['https://example.com/\u2028', false, false],
  ['https://ex\u200bample.com/', false, false],
  ['https://bücher.example/', false, false],
  ['https://\u24dbocalhost/', false, false],
  ['https://\uff11\uff12\uff17.\uff10.\uff10.\uff11/', false, false],
  ['https://example.com:99999/', false, false],
  ['https://example.com:abc/', false, false],
  ['https://example.com:80:80/', false, false],
  ['https://[::1/', false, false],
  ['https://[1.2.3.4]/', false, false],
  ['http://[::ffff:127.1]/', false, false],
  ['ftp://example.com/', false, false],
  ['file:///etc/passwd', false, false],
  ['data:text/plain,hello', false, false],
  ['javascript:alert(1)', false, false],
  ['gopher://localhost:70/', false, false],
  ['ws://localhost/', false, false],
  ['example.com', false, false],
  ['//example.com/', false, false],
  ['', false, false],
  ['http:mcp-auth', false, false],
  ['https:example.com', false, false],
  ['http:/mcp-auth/', false, false],
  [`https://example.com/${'a'.repeat(9000)}`, false, false],
];

const table: readonly Row[] = [
  ...allowed,
  ...loopback,
  ...refusedHosts,
  ...refusedAddresses,
  ...refusedNumeric,
  ...refusedSyntax,
];

describe('isSafeUrl: verdict table', () => {
  it('has at least 80 distinct rows', () => {
    expect(new Set(table.map(([url]) => url)).size).toBe(table.length);
    expect(table.length).toBeGreaterThanOrEqual(80);
  });

  it.each(table)('%j → %s (allowLocalhost true), %s (false)', (url, yes, no) => {
    expect(isSafeUrl(url)).toBe(yes);
    expect(isSafeUrl(url, { allowLocalhost: true })).toBe(yes);
    expect(isSafeUrl(url, { allowLocalhost: false })).toBe(no);
  });

  it('returns false, never throws, for non-string input', () => {
    for (const value of [
      undefined,
      null,
      42,
      {},
      ['https://example.com'],
      new URL('https://a.b'),
    ]) {
      expect(isSafeUrl(value as unknown as string)).toBe(false);
    }
  });

  it('throws a coded TypeError for a non-boolean allowLocalhost', () => {
    expect(() => isSafeUrl('https://example.com', { allowLocalhost: 'no' as never })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE', name: 'TypeError' }),
    );
  });
});

const octet = fc.integer({ min: 0, max: 255 });
const scheme = fc.constantFrom('http', 'https', 'HTTP', 'Https');
const flag = fc.boolean();
const serviceLabel = fc.stringMatching(/^[a-z][a-z0-9]{0,8}(?:-[a-z0-9]{1,8}){0,3}$/);
const safeUrl = fc.oneof(
  serviceLabel.map((label) => `http://${label}:8080/path`),
  serviceLabel.map((label) => `https://${label}.example.com/x?y=1`),
  serviceLabel.map((label) => `http://${label}.ns.svc.cluster.local/`),
);
const badChar = fc.oneof(
  fc.constant('\\'),
  fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0x7f, max: 0x9f }).map((c) => String.fromCharCode(c)),
  fc.constantFrom(' ', '\u00a0', '\u1680', '\u2003', '\u2028', '\u2029', '\u3000', '\ufeff'),
);

/** Numeric hosts a resolver or the WHATWG parser would read as an IPv4 address. */
const nonCanonicalNumericHost = fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }).map(String),
  fc.integer({ min: 0, max: 0xffffffff }).map((n) => `0x${n.toString(16)}`),
  fc.array(octet, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('.')),
  fc
    .tuple(fc.array(octet, { minLength: 4, maxLength: 4 }), fc.nat(3))
    .map(([parts, i]) => parts.map((p, j) => (j === i ? `0x${p.toString(16)}` : p)).join('.')),
  fc
    .tuple(fc.array(octet, { minLength: 4, maxLength: 4 }), fc.nat(3))
    .map(([parts, i]) => parts.map((p, j) => (j === i ? `0${p.toString(8)}` : p)).join('.')),
  fc.array(octet, { minLength: 5, maxLength: 6 }).map((parts) => parts.join('.')),
);

describe('isSafeUrl: properties', () => {
  it('never throws, whatever the string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), flag, (text, allowLocalhost) => {
        expect(typeof isSafeUrl(text, { allowLocalhost })).toBe('boolean');
        expect(typeof isSafeUrl(`http://${text}`, { allowLocalhost })).toBe('boolean');
        expect(typeof isSafeUrl(`https://[${text}]/`, { allowLocalhost })).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on URL-shaped strings built from URL syntax characters', () => {
    const piece = fc.constantFrom(...'@:/?#[]%.\\-_0123456789abcxf'.split(''), 'localhost', '::');
    fc.assert(
      fc.property(scheme, fc.array(piece, { maxLength: 20 }), flag, (s, parts, allowLocalhost) => {
        expect(typeof isSafeUrl(`${s}://${parts.join('')}`, { allowLocalhost })).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('accepts the generated safe URLs (sanity check for the next property)', () => {
    fc.assert(
      fc.property(safeUrl, flag, (url, allowLocalhost) => isSafeUrl(url, { allowLocalhost })),
    );
  });

  it('refuses any URL containing a backslash, control character or white space', () => {
    fc.assert(
      fc.property(safeUrl, badChar, fc.nat(), flag, (url, c, at, allowLocalhost) => {
        const i = at % (url.length + 1);
        expect(isSafeUrl(url.slice(0, i) + c + url.slice(i), { allowLocalhost })).toBe(false);
      }),
    );
  });

  it('refuses every non-canonical numeric host', () => {
    fc.assert(
      fc.property(scheme, nonCanonicalNumericHost, flag, (s, host, allowLocalhost) => {
        expect(isSafeUrl(`${s}://${host}/`, { allowLocalhost })).toBe(false);
        expect(isSafeUrl(`${s}://${host}:8080/x`, { allowLocalhost })).toBe(false);
      }),
    );
  });

  it('lets canonical loopback dotted quads follow allowLocalhost', () => {
    fc.assert(
      fc.property(scheme, octet, octet, octet, flag, (s, b, c, d, allowLocalhost) => {
        const host = `127.${b}.${c}.${d}`;
        expect(isSafeUrl(`${s}://${host}:9000/x`, { allowLocalhost })).toBe(allowLocalhost);
        expect(isSafeUrl(`${s}://[::ffff:${host}]/`, { allowLocalhost })).toBe(allowLocalhost);
      }),
    );
  });

  it('refuses every canonical non-loopback dotted quad', () => {
    const quad = fc.tuple(octet, octet, octet, octet).filter(([a]) => a !== 127);
    fc.assert(
      fc.property(scheme, quad, flag, (s, parts, allowLocalhost) => {
        expect(isSafeUrl(`${s}://${parts.join('.')}/`, { allowLocalhost })).toBe(false);
      }),
    );
  });

  it('judges the host after the last @, whatever the userinfo says', () => {
    const userinfo = fc.stringMatching(/^[a-z0-9.:-]{0,20}$/);
    fc.assert(
      fc.property(userinfo, safeUrl, flag, (info, url, allowLocalhost) => {
        const withInfo = url.replace('://', `://${info}@`);
        expect(isSafeUrl(withInfo, { allowLocalhost })).toBe(isSafeUrl(url, { allowLocalhost }));
        expect(isSafeUrl(`http://${info}@example.com/`, { allowLocalhost })).toBe(false);
      }),
    );
  });
});
