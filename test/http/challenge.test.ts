import { validateHeaderValue } from 'node:http';
import {
  InsufficientScopeError,
  InvalidRequestError,
  InvalidTokenError,
  ServerError,
  TemporarilyUnavailableError,
} from '@modelcontextprotocol/sdk/server/auth/errors.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AuthflowError,
  IntrospectionUnavailableError,
  TokenRejectedError,
} from '../../src/errors.js';
import {
  authErrorResponse,
  buildWwwAuthenticate,
  quoteHeaderValue,
} from '../../src/http/challenge.js';
import { McpHeaderMismatchError } from '../../src/http/json-rpc.js';
import { parseWwwAuthenticate } from '../helpers/www-authenticate.js';

const PRM = 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp';
const printable = fc
  .array(fc.integer({ min: 0x20, max: 0x7e }), { maxLength: 60 })
  .map((codes) => String.fromCharCode(...codes));
const scopeToken = fc.stringMatching(/^[\x21\x23-\x5b\x5d-\x7e]{1,12}$/);

describe('buildWwwAuthenticate', () => {
  it('writes the no-credentials challenge without an error (RFC 6750 §3.1)', () => {
    expect(buildWwwAuthenticate({ resourceMetadata: PRM, scope: ['read'] })).toBe(
      `Bearer resource_metadata="${PRM}", scope="read"`,
    );
  });

  it('puts error first and the free-text description last', () => {
    const header = buildWwwAuthenticate({
      error: 'insufficient_scope',
      errorDescription: 'needs scope="admin"',
      scope: ['read', 'write'],
      resourceMetadata: PRM,
      realm: 'mcp',
    });
    expect(header).toBe(
      `Bearer realm="mcp", error="insufficient_scope", resource_metadata="${PRM}", ` +
        `scope="read write", error_description="needs scope=\\"admin\\""`,
    );
  });

  it('leaves out empty parameters', () => {
    expect(buildWwwAuthenticate({})).toBe('Bearer');
    expect(buildWwwAuthenticate({ scope: [], errorDescription: '' })).toBe('Bearer');
  });

  it('escapes backslash and quote, and replaces controls and non-ASCII', () => {
    expect(quoteHeaderValue('a\\b"c')).toBe('"a\\\\b\\"c"');
    expect(quoteHeaderValue('x\r\nSet-Cookie: y\u0000\u00e9\u{1f600}')).toBe(
      '"x??Set-Cookie: y???"',
    );
  });

  it('property: any printable value round-trips through the builder and a strict parser', () => {
    fc.assert(
      fc.property(printable, printable, fc.array(scopeToken, { maxLength: 5 }), (d, m, s) => {
        const header = buildWwwAuthenticate({
          error: 'invalid_token',
          errorDescription: d,
          resourceMetadata: m,
          scope: s,
        });
        const parsed = parseWwwAuthenticate(header);
        expect(parsed.scheme).toBe('Bearer');
        expect(parsed.params.error).toBe('invalid_token');
        expect(parsed.params.error_description).toBe(d === '' ? undefined : d);
        expect(parsed.params.resource_metadata).toBe(m === '' ? undefined : m);
        expect(parsed.params.scope).toBe(s.length === 0 ? undefined : s.join(' '));
      }),
      { numRuns: 300 },
    );
  });

  it('property: any string at all yields a legal header value that parses', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
        const header = buildWwwAuthenticate({ error: 'invalid_request', errorDescription: value });
        expect(() => validateHeaderValue('WWW-Authenticate', header)).not.toThrow();
        const parsed = parseWwwAuthenticate(header).params.error_description ?? '';
        expect(parsed).toHaveLength([...value].length);
        expect(parsed).toBe([...value].map((c) => (/^[\x20-\x7e]$/.test(c) ? c : '?')).join(''));
      }),
      { numRuns: 300 },
    );
  });
});

describe('authErrorResponse (the one error → HTTP mapping)', () => {
  const context = { resourceMetadataUrl: PRM, requiredScopes: ['read'] };

  it('missing token → 401 with resource_metadata and scope, no error code', () => {
    const r = authErrorResponse(new AuthflowError('ERR_TOKEN_MISSING', 'x'), context);
    expect(r.status).toBe(401);
    expect(r.challenge).toBe(`Bearer resource_metadata="${PRM}", scope="read"`);
    expect(r.headers).toEqual({ 'WWW-Authenticate': r.challenge });
    expect(r.body).toEqual({ error: r.error, error_description: r.description });
  });

  it('malformed request → 400 invalid_request', () => {
    for (const err of [
      new AuthflowError('ERR_INVALID_REQUEST', 'Several credentials were sent'),
      new InvalidRequestError('bad'),
    ]) {
      const r = authErrorResponse(err, context);
      expect(r.status).toBe(400);
      expect(parseWwwAuthenticate(r.challenge ?? '').params.error).toBe('invalid_request');
      expect(r.body).toMatchObject({ error: 'invalid_request' });
    }
  });

  it('rejected token → 401 invalid_token with a fixed description per code', () => {
    const r = authErrorResponse(new TokenRejectedError('ERR_TOKEN_AUDIENCE', 'detail'), context);
    expect(r.status).toBe(401);
    const params = parseWwwAuthenticate(r.challenge ?? '').params;
    expect(params).toMatchObject({ error: 'invalid_token', scope: 'read' });
    expect(params.error_description).toBe('The access token was not issued for this resource');
    const sdk = authErrorResponse(new InvalidTokenError('Token has expired'), context);
    expect(sdk.status).toBe(401);
    expect(sdk.description).toBe('Token has expired');
  });

  it('missing scope → 403 naming needed plus held scopes, or only needed', () => {
    const err = new AuthflowError('ERR_INSUFFICIENT_SCOPE', 'x');
    const cumulative = authErrorResponse(err, {
      ...context,
      requiredScopes: ['write'],
      grantedScopes: ['read', 'write:x'],
    });
    expect(cumulative.status).toBe(403);
    expect(cumulative.description).toBe('Missing scope: write');
    expect(parseWwwAuthenticate(cumulative.challenge ?? '').params).toMatchObject({
      error: 'insufficient_scope',
      scope: 'write read write:x',
    });
    const operation = authErrorResponse(new InsufficientScopeError('x'), {
      ...context,
      requiredScopes: ['write'],
      grantedScopes: ['read'],
      scopeChallenge: 'operation',
    });
    expect(parseWwwAuthenticate(operation.challenge ?? '').params.scope).toBe('write');
  });

  it('authorization server unavailable → 503 + Retry-After and no challenge', () => {
    const r = authErrorResponse(
      new IntrospectionUnavailableError('down', { retryAfterSeconds: 7 }),
      context,
    );
    expect(r).toMatchObject({
      status: 503,
      challenge: undefined,
      error: 'temporarily_unavailable',
    });
    expect(r.headers).toEqual({ 'Retry-After': '7' });
    const sdk = authErrorResponse(new TemporarilyUnavailableError('x'), context);
    expect(sdk.status).toBe(503);
    expect(Number(sdk.headers['Retry-After'])).toBeGreaterThan(0);
  });

  it('header/body mismatch → 400 with JSON-RPC error -32020', () => {
    const r = authErrorResponse(new McpHeaderMismatchError(7), context);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      jsonrpc: '2.0',
      id: 7,
      error: { code: -32020, message: r.description },
    });
  });

  it('anything else → 500 without the message', () => {
    for (const err of [new Error('secret-token-abc'), new ServerError('secret-token-abc'), 'x']) {
      const r = authErrorResponse(err, context);
      expect(r.status).toBe(500);
      expect(JSON.stringify(r)).not.toContain('secret-token-abc');
    }
  });
});
