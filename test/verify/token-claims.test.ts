import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  evaluateClaims,
  parseAudience,
  parseScopes,
  resourceMatches,
} from '../../src/verify/introspection/claims.js';

const SERVER = 'https://h.example/api/mcp';
const NOW = 1_800_000_000_000;

describe('resourceMatches', () => {
  it.each([
    ['https://h.example/api/mcp', SERVER, true],
    ['https://h.example/api', SERVER, true],
    ['https://h.example/api/', SERVER, true],
    ['https://h.example/', SERVER, true],
    ['https://h.example', SERVER, true],
    ['HTTPS://H.EXAMPLE/api', SERVER, true],
    ['https://h.example:443/api', SERVER, true],
    ['https://h.example/api#frag', SERVER, false],
    ['https://h.example/api', 'https://h.example/api123', false],
    ['https://h.example/api', 'https://h.example/ap', false],
    ['https://h.example/api/mcp/extra', SERVER, false],
    ['https://h.example/API', SERVER, false],
    ['http://h.example/api', SERVER, false],
    ['https://h.example:8443/api', SERVER, false],
    ['https://other.example/api', SERVER, false],
    ['https://h.example.evil/api', SERVER, false],
    ['https://evil.example/h.example/api', SERVER, false],
    ['https://h.example/api/mcp', 'https://h.example/api/mcp/', true],
    ['https://h.example/api/mcp/', 'https://h.example/api/mcp', true],
    ['urn:example:mcp', 'urn:example:mcp', true],
    ['urn:example:mcp', SERVER, false],
    ['mcp-server', SERVER, false],
    ['', SERVER, false],
  ])('%s covers %s → %s', (aud, server, expected) => {
    expect(resourceMatches(aud, server)).toBe(expected);
  });

  const segment = fc.stringMatching(/^[a-z0-9]{1,8}$/);

  it('a path never matches a sibling that only shares a prefix', () => {
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 4 }), segment, segment, (base, last, extra) => {
        const aud = `https://h/${[...base, last].join('/')}`;
        expect(resourceMatches(aud, `${aud}${extra}`)).toBe(false);
        expect(resourceMatches(aud, `${aud}/${extra}`)).toBe(true);
        expect(resourceMatches(aud, aud)).toBe(true);
      }),
    );
  });

  it('a more specific audience never covers its parent', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), segment, (base, child) => {
        const parent = `https://h/${base.join('/')}`;
        expect(resourceMatches(`${parent}/${child}`, parent)).toBe(false);
      }),
    );
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(typeof resourceMatches(a, b)).toBe('boolean');
      }),
    );
  });
});

describe('parseScopes / parseAudience', () => {
  it.each([
    ['read write', ['read', 'write']],
    ['  read   write ', ['read', 'write']],
    ['', []],
    [
      ['read', 'tasks:write'],
      ['read', 'tasks:write'],
    ],
    [
      ['read', 1, null, '', 'x'],
      ['read', 'x'],
    ],
    [42, []],
    [undefined, []],
    [{ read: true }, []],
  ])('scope %j → %j', (input, expected) => {
    expect(parseScopes(input)).toEqual(expected);
  });

  it.each([
    ['https://a', ['https://a']],
    ['', []],
    [
      ['https://a', 'https://b'],
      ['https://a', 'https://b'],
    ],
    [['https://a', 7, ''], ['https://a']],
    [null, []],
    [{}, []],
  ])('aud %j → %j', (input, expected) => {
    expect(parseAudience(input)).toEqual(expected);
  });

  it('scope strings round-trip through space joining', () => {
    const scope = fc.stringMatching(/^[\x21\x23-\x5b\x5d-\x7e]{1,10}$/);
    fc.assert(
      fc.property(fc.array(scope, { maxLength: 6 }), (scopes) => {
        expect(parseScopes(scopes.join(' '))).toEqual(scopes);
        expect(parseScopes(scopes)).toEqual(scopes);
      }),
    );
  });
});

describe('evaluateClaims', () => {
  const ctx = { nowMs: NOW, validateResource: true, serverUrl: SERVER };
  const ok = { active: true, aud: SERVER };

  it.each([
    [{ ...ok, active: 'true' }, 'ERR_TOKEN_INACTIVE'],
    [{ ...ok, active: false }, 'ERR_TOKEN_INACTIVE'],
    [{ aud: SERVER }, 'ERR_TOKEN_INACTIVE'],
    [{ ...ok, exp: NOW / 1000 }, 'ERR_TOKEN_EXPIRED'],
    [{ ...ok, exp: NOW / 1000 - 1 }, 'ERR_TOKEN_EXPIRED'],
    [{ ...ok, exp: String(NOW / 1000 + 60) }, 'ERR_TOKEN_INACTIVE'],
    [{ ...ok, nbf: NOW / 1000 + 1 }, 'ERR_TOKEN_INACTIVE'],
    [{ ...ok, nbf: 'soon' }, 'ERR_TOKEN_INACTIVE'],
    [{ active: true }, 'ERR_TOKEN_AUDIENCE'],
    [{ active: true, aud: '' }, 'ERR_TOKEN_AUDIENCE'],
    [{ active: true, aud: [] }, 'ERR_TOKEN_AUDIENCE'],
    [{ active: true, aud: ['https://other/'] }, 'ERR_TOKEN_AUDIENCE'],
  ])('%j → %s', (claims, code) => {
    expect(evaluateClaims(claims, ctx)).toMatchObject({ ok: false, code });
  });

  it('accepts when any aud element matches, and reports that element', () => {
    const verdict = evaluateClaims(
      { active: true, aud: ['https://other/', 'https://h.example/api'], exp: NOW / 1000 + 1 },
      ctx,
    );
    expect(verdict).toMatchObject({ ok: true, resource: 'https://h.example/api' });
  });

  it('fills defaults: unknown client, no scopes', () => {
    expect(evaluateClaims({ ...ok, nbf: NOW / 1000 }, ctx)).toEqual({
      ok: true,
      clientId: 'unknown',
      scopes: [],
      exp: undefined,
      nbf: NOW / 1000,
      resource: SERVER,
      subject: undefined,
      issuer: undefined,
    });
  });

  it('skips the audience check when validateResource is off', () => {
    const off = { ...ctx, validateResource: false };
    expect(evaluateClaims({ active: true }, off)).toMatchObject({ ok: true, resource: undefined });
    expect(evaluateClaims({ active: true, aud: ['x', 'y'] }, off)).toMatchObject({
      ok: true,
      resource: 'x',
    });
  });
});
