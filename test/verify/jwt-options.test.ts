import { describe, expect, it } from 'vitest';
import { IntrospectionUnavailableError, VerifierUnavailableError } from '../../src/errors.js';
import { authErrorResponse } from '../../src/http/challenge.js';
import { CompositeTokenVerifier } from '../../src/verify/composite.js';
import { acceptedAudience, jwtClientId, jwtScopes } from '../../src/verify/jwt/claims.js';
import { metadataUrls } from '../../src/verify/jwt/metadata.js';
import { isJwtShaped } from '../../src/verify/jwt/shape.js';
import type { JwtTokenVerifierOptions } from '../../src/verify/jwt/types.js';
import { JwtTokenVerifier } from '../../src/verify/jwt/verifier.js';

const base: JwtTokenVerifierOptions = {
  issuer: 'https://auth.example.com',
  serverUrl: 'https://mcp.example.com/mcp',
};

describe('JwtTokenVerifier options', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['options', { toString: null }, 'ERR_INVALID_ARG_TYPE'],
    ['issuer missing', { issuer: undefined }, 'ERR_INVALID_ARG_VALUE'],
    ['issuer empty list', { issuer: [] }, 'ERR_INVALID_ARG_VALUE'],
    ['issuer not a string', { issuer: 5 }, 'ERR_INVALID_ARG_TYPE'],
    ['issuer unsafe', { issuer: 'http://10.0.0.1' }, 'ERR_INVALID_ARG_VALUE'],
    ['issuer function without jwksUri', { issuer: () => true }, 'ERR_INVALID_ARG_VALUE'],
    ['jwksUri type', { jwksUri: 1 }, 'ERR_INVALID_ARG_TYPE'],
    ['jwksUri unsafe', { jwksUri: 'http://169.254.169.254/' }, 'ERR_INVALID_ARG_VALUE'],
    ['algorithms none', { algorithms: ['none'] }, 'ERR_INVALID_ARG_VALUE'],
    ['algorithms HS256', { algorithms: ['RS256', 'HS256'] }, 'ERR_INVALID_ARG_VALUE'],
    ['algorithms empty', { algorithms: [] }, 'ERR_INVALID_ARG_VALUE'],
    ['serverUrl', { serverUrl: 'not a url' }, 'ERR_INVALID_ARG_VALUE'],
    ['no audience', { serverUrl: undefined }, 'ERR_INVALID_ARG_VALUE'],
    ['tokenType', { tokenType: 'JWT' }, 'ERR_INVALID_ARG_VALUE'],
    ['clockSkewMs', { clockSkewMs: -1 }, 'ERR_INVALID_ARG_VALUE'],
    ['validateResource', { validateResource: 'yes' }, 'ERR_INVALID_ARG_TYPE'],
    ['cache', { cache: 5 }, 'ERR_INVALID_ARG_TYPE'],
    ['cache.ttlMs', { cache: { ttlMs: 0 } }, 'ERR_INVALID_ARG_VALUE'],
    ['now', { now: 5 }, 'ERR_INVALID_ARG_TYPE'],
    ['logger', { logger: {} }, 'ERR_INVALID_ARG_TYPE'],
    ['httpClient', { httpClient: null }, 'ERR_INVALID_ARG_TYPE'],
  ])('refuses a bad %s', (_name, patch, code) => {
    const options = _name === 'options' ? null : { ...base, ...patch };
    expect(() => new JwtTokenVerifier(options as unknown as JwtTokenVerifierOptions)).toThrow(
      expect.objectContaining({ code }),
    );
  });

  it('accepts the documented variants', async () => {
    const variants: JwtTokenVerifierOptions[] = [
      base,
      { ...base, issuer: ['https://a.example', 'https://b.example'], audience: 'api://x' },
      { issuer: (iss) => iss.length > 0, jwksUri: 'https://a.example/jwks', audience: ['x'] },
      { ...base, validateResource: false, serverUrl: undefined, tokenType: 'any', cache: false },
      { ...base, algorithms: ['ES384', 'Ed25519'], cache: { ttlMs: 5, maxEntries: 1 } },
    ];
    for (const options of variants) await new JwtTokenVerifier(options).close();
  });
});

describe('JWT claims mapping', () => {
  it.each<[Record<string, unknown>, string[]]>([
    [{ scope: 'a b', scp: 'c' }, ['a', 'b']],
    [{ scp: 'c d' }, ['c', 'd']],
    [{ scp: ['e', 'f'], permissions: ['g'] }, ['e', 'f']],
    [{ permissions: ['read:x'] }, ['read:x']],
    [{}, []],
  ])('scopes of %j', (claims, scopes) => {
    expect(jwtScopes(claims)).toEqual(scopes);
  });

  it.each<[Record<string, unknown>, string]>([
    [{ client_id: 'a', azp: 'b' }, 'a'],
    [{ client_id: '', azp: 'b', appid: 'c' }, 'b'],
    [{ appid: 'c', cid: 'd' }, 'c'],
    [{ cid: 'd' }, 'd'],
    [{ client_id: 5 }, 'unknown'],
  ])('client id of %j', (claims, clientId) => {
    expect(jwtClientId(claims)).toBe(clientId);
  });

  it('audience: serverUrl by path prefix, audience values exactly, or off', () => {
    const ctx = { validateResource: true, serverUrl: 'https://h/api/mcp', audience: ['api://x'] };
    expect(acceptedAudience(['z', 'https://h/api'], ctx)).toBe('https://h/api');
    expect(acceptedAudience('api://x', ctx)).toBe('api://x');
    expect(acceptedAudience('https://h/api123', ctx)).toBeNull();
    expect(acceptedAudience(undefined, ctx)).toBeNull();
    expect(acceptedAudience('api://x', { ...ctx, serverUrl: undefined })).toBe('api://x');
    expect(acceptedAudience(['q'], { ...ctx, validateResource: false })).toBe('q');
  });

  it('metadata URLs: RFC 8414 path-inserted, then OpenID', () => {
    expect(metadataUrls('https://a.example/realms/x/')).toEqual([
      'https://a.example/.well-known/oauth-authorization-server/realms/x',
      'https://a.example/realms/x/.well-known/openid-configuration',
    ]);
    expect(metadataUrls('https://a.example')).toEqual([
      'https://a.example/.well-known/oauth-authorization-server',
      'https://a.example/.well-known/openid-configuration',
    ]);
  });

  it('JWT shape', () => {
    const header = Buffer.from('{"alg":"RS256"}').toString('base64url');
    expect(isJwtShaped(`${header}.e30.sig`)).toBe(true);
    expect(isJwtShaped('opaque-token_value')).toBe(false);
    expect(isJwtShaped('a.b.c')).toBe(false);
    expect(isJwtShaped(`${Buffer.from('{"x":1}').toString('base64url')}.e30.sig`)).toBe(false);
    expect(isJwtShaped(`${Buffer.from('null').toString('base64url')}.e30.sig`)).toBe(false);
  });
});

describe('errors and the composite verifier', () => {
  it('VerifierUnavailableError → 503 with Retry-After; introspection outage is a subclass', () => {
    const jwks = new VerifierUnavailableError('x', { retryAfterSeconds: 12 });
    expect(jwks.code).toBe('ERR_VERIFIER_UNAVAILABLE');
    const response = authErrorResponse(jwks);
    expect(response.status).toBe(503);
    expect(response.headers['Retry-After']).toBe('12');
    const intro = new IntrospectionUnavailableError('y');
    expect(intro).toBeInstanceOf(VerifierUnavailableError);
    expect(intro.code).toBe('ERR_INTROSPECTION_UNAVAILABLE');
    expect(authErrorResponse(intro).headers['Retry-After']).toBe('5');
  });

  it('routes JWT-shaped tokens to jwt and others to introspection; closes both', async () => {
    const calls: string[] = [];
    const member = (name: string, serverUrl?: string) => ({
      serverUrl,
      verifyAccessToken: async (token: string) => {
        calls.push(`${name}:${token}`);
        return { token, clientId: name, scopes: [] };
      },
      verifyToken: async (token: string) => {
        calls.push(`${name}?${token}`);
        return null;
      },
      close: async () => {
        calls.push(`${name} closed`);
      },
    });
    const jwt = `${Buffer.from('{"alg":"ES256"}').toString('base64url')}.e30.c2ln`;
    const v = new CompositeTokenVerifier({
      jwt: member('jwt'),
      introspection: member('intro', 'u'),
    });
    expect(v.serverUrl).toBe('u');
    await v.verifyAccessToken(jwt);
    await v.verifyAccessToken('opaque');
    await v.verifyToken('a.b.c');
    await v.close();
    expect(calls).toEqual([
      `jwt:${jwt}`,
      'intro:opaque',
      'intro?a.b.c',
      'jwt closed',
      'intro closed',
    ]);
    expect(
      () => new CompositeTokenVerifier({ jwt: {} as never, introspection: member('i') }),
    ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
  });
});
