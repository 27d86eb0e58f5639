import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_AUDIENCE_LENGTH, normaliseResource } from '../../src/verify/introspection/audience.js';
import { resourceMatches } from '../../src/verify/introspection/claims.js';

// Issue 11, class 7: an `aud` with userinfo, dot segments (also %2e), a query or a fragment
// never matches serverUrl; URLs are compared normalised.

const SERVER = 'https://mcp.example.com/api/mcp';

describe('audience attack variants never match', () => {
  it.each([
    'https://attacker@mcp.example.com/api/mcp',
    'https://user:pw@mcp.example.com/api',
    'https://mcp.example.com@evil.example/api/mcp',
    'https://evil.example/../api/mcp',
    'https://mcp.example.com/other/../api/mcp',
    'https://mcp.example.com/api/./mcp',
    'https://mcp.example.com/other/%2e%2e/api/mcp',
    'https://mcp.example.com/other/%2E%2E/api',
    'https://mcp.example.com/other/.%2e/api',
    'https://mcp.example.com/api/%2e/mcp',
    'https://mcp.example.com/api/mcp/..',
    'https://mcp.example.com/api?x=1',
    'https://mcp.example.com/api/mcp?',
    'https://mcp.example.com/api#frag',
    'https://mcp.example.com/api/mcp#',
    'https://mcp.example.com\\api\\mcp',
    'https://mcp.example.com/api\\mcp',
    'https://mcp.example.com/api/m\tcp',
    'https://mcp.example.com/api/m\ncp',
    ' https://mcp.example.com/api',
    'https://%6dcp.example.com/api',
    'https:///mcp.example.com/api',
    'https://mcp.example.com./api',
    'https://mcp.example.com/api/mcp%2F',
    `https://mcp.example.com/${'a/'.repeat(MAX_AUDIENCE_LENGTH)}`,
  ])('%j', (aud) => {
    expect(resourceMatches(aud, SERVER)).toBe(false);
  });
});

describe('normalised comparison', () => {
  it.each([
    ['HTTPS://MCP.EXAMPLE.COM/api', true],
    ['https://mcp.example.com:443/api/mcp', true],
    ['https://mcp.example.com/%61pi/mcp', true],
    ['https://mcp.example.com/api/', true],
    ['https://mcp.example.com', true],
    ['https://mcp.example.com/api/mcp/', true],
    ['https://mcp.example.com/API', false],
    ['https://mcp.example.com/ap', false],
  ])('%s → %s', (aud, expected) => {
    expect(resourceMatches(aud, SERVER)).toBe(expected);
  });

  it('percent-encodings: hex case folded, unreserved decoded, reserved kept', () => {
    expect(normaliseResource('https://h/a%2fb%7e%41')?.path).toBe('/a%2Fb~A');
    expect(normaliseResource('https://h/a%zz')?.path).toBe('/a%zz');
    expect(normaliseResource('https://h:99999/')).toBeUndefined();
    expect(normaliseResource('ftp://h/')).toBeUndefined();
  });

  const segment = fc.stringMatching(/^[a-z0-9]{1,6}$/);
  const path = fc.array(segment, { maxLength: 4 }).map((s) => s.join('/'));

  it('property: adding userinfo, a query, a fragment or a dot segment never matches', () => {
    const trick = fc.constantFrom(
      (p: string) => `https://u@h.example/${p}`,
      (p: string) => `https://h.example/${p}?q`,
      (p: string) => `https://h.example/${p}#f`,
      (p: string) => `https://h.example/x/../${p}`,
      (p: string) => `https://h.example/x/%2E%2e/${p}`,
      (p: string) => `https://h.example/./${p}`,
    );
    fc.assert(
      fc.property(path, trick, (p, make) => {
        expect(resourceMatches(make(p), `https://h.example/${p}`)).toBe(false);
      }),
    );
  });

  it('property: a plain audience covers itself and its sub-paths, in any letter case of scheme/host', () => {
    fc.assert(
      fc.property(path, segment, fc.boolean(), (p, child, upper) => {
        const origin = upper ? 'HTTPS://H.EXAMPLE' : 'https://h.example';
        const aud = `${origin}/${p}`;
        expect(resourceMatches(aud, `https://h.example/${p}`)).toBe(true);
        expect(
          resourceMatches(
            aud,
            `https://h.example/${p}/${child}`.replace('//', '/').replace('https:/', 'https://'),
          ),
        ).toBe(true);
      }),
    );
  });

  it('property: never throws on any string', () => {
    fc.assert(
      fc.property(fc.string(), (a) => {
        expect(typeof resourceMatches(a, SERVER)).toBe('boolean');
        expect(typeof resourceMatches(`https://${a}`, SERVER)).toBe('boolean');
      }),
    );
  });
});
