import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  basicAuthorization,
  buildIntrospectionRequest,
  classifyIntrospectionResponse,
  formEncode,
} from '../../src/verify/introspection/request.js';

function decodeBasic(header: string): [string, string] {
  const pair = Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8');
  const colon = pair.indexOf(':');
  const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, '%20'));
  return [decode(pair.slice(0, colon)), decode(pair.slice(colon + 1))];
}

describe('client_secret_basic encoding (RFC 6749 §2.3.1)', () => {
  it.each([
    ['plain', 'secret', 'plain:secret'],
    ['id:with:colons', 's:e:c', 'id%3Awith%3Acolons:s%3Ae%3Ac'],
    ['100%', 'a%2Fb', '100%25:a%252Fb'],
    ['sp ace', 'p+lus', 'sp+ace:p%2Blus'],
    ['émile', 'ключ', '%C3%A9mile:%D0%BA%D0%BB%D1%8E%D1%87'],
  ])('%s / %s', (id, secret, pair) => {
    expect(basicAuthorization(id, secret)).toBe(`Basic ${Buffer.from(pair).toString('base64')}`);
    expect(decodeBasic(basicAuthorization(id, secret))).toEqual([id, secret]);
  });

  it('round-trips any id and secret, and the pair has exactly one raw colon', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.string({ unit: 'grapheme' }),
        (id, secret) => {
          const header = basicAuthorization(id, secret);
          expect(decodeBasic(header)).toEqual([id, secret]);
          expect(Buffer.from(header.slice(6), 'base64').toString().split(':')).toHaveLength(2);
        },
      ),
    );
  });

  it('formEncode matches URLSearchParams', () => {
    expect(formEncode('a b&c=d')).toBe('a+b%26c%3Dd');
  });
});

describe('buildIntrospectionRequest', () => {
  const token = 'tok.en';
  const form = (body: string) => Object.fromEntries(new URLSearchParams(body));

  it('client_secret_basic', () => {
    const r = buildIntrospectionRequest(token, {
      clientAuthMethod: 'client_secret_basic',
      clientId: 'id',
      clientSecret: 's',
    });
    expect(r.headers.authorization).toBe(basicAuthorization('id', 's'));
    expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(form(r.body)).toEqual({ token, token_type_hint: 'access_token' });
  });

  it('client_secret_post', () => {
    const r = buildIntrospectionRequest(token, {
      clientAuthMethod: 'client_secret_post',
      clientId: 'id',
      clientSecret: 's&x',
    });
    expect(r.headers.authorization).toBeUndefined();
    expect(form(r.body)).toEqual({
      token,
      token_type_hint: 'access_token',
      client_id: 'id',
      client_secret: 's&x',
    });
  });

  it('bearer', () => {
    const r = buildIntrospectionRequest(token, {
      clientAuthMethod: 'bearer',
      clientId: 'id',
      clientSecret: 'b',
    });
    expect(r.headers.authorization).toBe('Bearer b');
    expect(form(r.body)).toEqual({ token, token_type_hint: 'access_token' });
  });

  it('none, with and without a client id', () => {
    const withId = buildIntrospectionRequest(token, {
      clientAuthMethod: 'none',
      clientId: 'id',
      clientSecret: undefined,
    });
    expect(withId.headers.authorization).toBeUndefined();
    expect(form(withId.body)).toEqual({ token, token_type_hint: 'access_token', client_id: 'id' });
    const bare = buildIntrospectionRequest(token, {
      clientAuthMethod: 'none',
      clientId: undefined,
      clientSecret: undefined,
    });
    expect(form(bare.body)).toEqual({ token, token_type_hint: 'access_token' });
  });
});

describe('classifyIntrospectionResponse', () => {
  const res = (status: number, body: string, headers: Record<string, string> = {}) => ({
    status,
    headers,
    body: new TextEncoder().encode(body),
  });

  it.each([
    [res(200, '{"active":true}'), { kind: 'response', claims: { active: true } }],
    [res(200, '[]'), { kind: 'unavailable', reason: 'not_json_object' }],
    [res(200, ''), { kind: 'unavailable', reason: 'not_json_object' }],
    [res(301, ''), { kind: 'unavailable', reason: 'redirect' }],
    [res(307, ''), { kind: 'unavailable', reason: 'redirect' }],
    [res(429, '', { 'retry-after': '9' }), { kind: 'unavailable', retryAfterSeconds: 9 }],
    [res(503, '', { 'retry-after': '99999' }), { kind: 'unavailable', retryAfterSeconds: 300 }],
    [res(503, '', { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }), { kind: 'unavailable' }],
    [res(401, ''), { kind: 'credentials-rejected', status: 401 }],
    [res(403, ''), { kind: 'credentials-rejected', status: 403 }],
    [res(400, '{"error":"invalid_client"}'), { kind: 'credentials-rejected', status: 400 }],
    [
      res(400, '{"error":"unsupported_token_type"}'),
      { kind: 'token-error', code: 'ERR_TOKEN_INACTIVE' },
    ],
    [res(400, '{"error":"invalid_request"}'), { kind: 'token-error', code: 'ERR_TOKEN_MALFORMED' }],
    [res(400, '{"error":"__proto__"}'), { kind: 'unavailable', reason: 'bad_request' }],
    [res(400, 'nope'), { kind: 'unavailable', reason: 'bad_request' }],
  ])('%# → %j', (response, expected) => {
    expect(classifyIntrospectionResponse(response)).toMatchObject(expected);
  });

  it('never throws, whatever the body', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), fc.uint8Array(), (status, body) => {
        const outcome = classifyIntrospectionResponse({ status, headers: {}, body });
        expect(['response', 'token-error', 'credentials-rejected', 'unavailable']).toContain(
          outcome.kind,
        );
        if (status !== 200) expect(outcome.kind).not.toBe('response');
      }),
    );
  });
});
