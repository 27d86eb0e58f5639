import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntrospectionUnavailableError, TokenRejectedError } from '../../src/errors.js';
import { parseAuthorizationHeader } from '../../src/http/authorization-header.js';
import { type BearerAuthOptions, createBearerGate } from '../../src/http/bearer.js';
import { captureLogger } from '../helpers/auth-log-capture.js';
import { parseWwwAuthenticate } from '../helpers/www-authenticate.js';

const NOW_MS = 1_800_000_000_000;
const SERVER_URL = 'https://mcp.example.com/mcp';
const PRM = 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp';
const b64token = fc.stringMatching(/^[A-Za-z0-9\-._~+/]{1,40}=*$/);

/** A verifier that knows a fixed table of tokens (what a user's own verifier would be). */
function tableVerifier(table: Record<string, Partial<AuthInfo> | Error>) {
  const seen: string[] = [];
  return {
    seen,
    serverUrl: SERVER_URL,
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      seen.push(token);
      const entry = table[token];
      if (entry instanceof Error) throw entry;
      if (entry === undefined) throw new TokenRejectedError('ERR_TOKEN_INACTIVE', 'inactive');
      return { token, clientId: 'c1', scopes: [], expiresAt: NOW_MS / 1000 + 60, ...entry };
    },
  };
}

function gateWith(options: Partial<BearerAuthOptions> = {}, table = {}) {
  const verifier = tableVerifier({
    reader: { scopes: ['read'] },
    writer: { scopes: ['read', 'write'] },
    expired: { scopes: ['read'], expiresAt: NOW_MS / 1000 - 1 },
    down: new IntrospectionUnavailableError('down', { retryAfterSeconds: 3 }),
    boom: new Error('boom with secret'),
    ...table,
  });
  const gate = createBearerGate({ verifier, now: () => NOW_MS, ...options });
  return { gate, verifier };
}

const call = (name: string, id: number | string = 1) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: {} },
});

describe('parseAuthorizationHeader', () => {
  it('property: any b64token with any scheme casing parses back to the token', () => {
    const scheme = fc.constantFrom('Bearer', 'bearer', 'BEARER', 'bEaReR');
    fc.assert(
      fc.property(scheme, b64token, fc.integer({ min: 1, max: 3 }), (s, token, spaces) => {
        expect(parseAuthorizationHeader(`${s}${' '.repeat(spaces)}${token}`)).toEqual({
          kind: 'bearer',
          token,
        });
      }),
    );
  });

  it('property: a token with a character outside b64token is malformed', () => {
    const bad = fc
      .tuple(b64token, fc.constantFrom(' ', ',', '"', '\\', '@', '!', '=a', '\t', 'é'), b64token)
      .map(([a, c, b]) => `${a}${c}${b}`);
    fc.assert(
      fc.property(bad, (token) => {
        expect(parseAuthorizationHeader(`Bearer ${token}`).kind).toBe('malformed');
      }),
    );
  });

  it('refuses empty, other schemes, several credentials and several headers', () => {
    for (const value of ['', '  ', 'Bearer', 'Bearer ', 'Basic abc', 'Bearer a, Bearer b', 'abc']) {
      expect(parseAuthorizationHeader(value).kind, value).toBe('malformed');
    }
    expect(parseAuthorizationHeader(['Bearer a', 'Bearer b']).kind).toBe('malformed');
    expect(parseAuthorizationHeader(['Bearer a'])).toEqual({ kind: 'bearer', token: 'a' });
    expect(parseAuthorizationHeader(undefined).kind).toBe('missing');
    expect(parseAuthorizationHeader(null).kind).toBe('missing');
    expect(parseAuthorizationHeader([]).kind).toBe('missing');
  });
});

describe('createBearerGate', () => {
  it('passes a valid token and returns its AuthInfo', async () => {
    const { gate } = gateWith({ requiredScopes: ['read'] });
    const result = await gate({ authorization: 'Bearer reader' });
    expect(result).toMatchObject({ ok: true, authInfo: { token: 'reader', clientId: 'c1' } });
  });

  it('no credentials → 401 without error, pointing at the metadata derived from serverUrl', async () => {
    const { gate, verifier } = gateWith({ requiredScopes: ['read'] });
    const result = await gate({ authorization: undefined });
    if (result.ok) throw new Error('expected a refusal');
    expect(result.response.status).toBe(401);
    expect(result.response.challenge).toBe(`Bearer resource_metadata="${PRM}", scope="read"`);
    expect(verifier.seen).toEqual([]);
  });

  it('resourceMetadataUrl: explicit option, then serverUrl, then the verifier, else none', async () => {
    const explicit = gateWith({ resourceMetadataUrl: 'https://x.example/prm' }).gate;
    const fromServer = gateWith({ serverUrl: 'https://other.example/api/' }).gate;
    const none = createBearerGate({
      verifier: { verifyAccessToken: async () => ({}) as AuthInfo },
    });
    const challenge = async (gate: typeof explicit) => {
      const r = await gate({ authorization: undefined });
      return r.ok ? undefined : parseWwwAuthenticate(r.response.challenge ?? '').params;
    };
    expect((await challenge(explicit))?.resource_metadata).toBe('https://x.example/prm');
    expect((await challenge(fromServer))?.resource_metadata).toBe(
      'https://other.example/.well-known/oauth-protected-resource/api',
    );
    expect((await challenge(gateWith().gate))?.resource_metadata).toBe(PRM);
    expect(await challenge(none)).toEqual({});
  });

  it('malformed header → 400 invalid_request without calling the verifier', async () => {
    const { gate, verifier } = gateWith();
    for (const authorization of [
      'Basic dXNlcjpwYXNz',
      'Bearer a b',
      ['Bearer a', 'Bearer b'],
      '',
    ]) {
      const result = await gate({ authorization });
      expect(result.ok ? 0 : result.response.status).toBe(400);
    }
    expect(verifier.seen).toEqual([]);
  });

  it('bad and expired tokens → 401 invalid_token; outage → 503; surprise → 500 logged', async () => {
    const logger = captureLogger();
    const { gate } = gateWith({ logger });
    const status = async (token: string) => {
      const r = await gate({ authorization: `Bearer ${token}` });
      return r.ok ? 200 : r.response;
    };
    expect(await status('unknown')).toMatchObject({ status: 401, error: 'invalid_token' });
    expect(await status('expired')).toMatchObject({
      status: 401,
      description: 'The access token has expired',
    });
    expect(await status('down')).toMatchObject({ status: 503, headers: { 'Retry-After': '3' } });
    const boom = await status('boom');
    expect(boom).toMatchObject({ status: 500 });
    expect(JSON.stringify(boom)).not.toContain('secret');
    expect(logger.records).toEqual([
      { level: 'error', record: { event: 'bearer_auth_error', error: 'Error' } },
    ]);
  });

  it('requiredScopes → 403 naming the missing scope plus those held', async () => {
    const { gate } = gateWith({ requiredScopes: ['read', 'admin'] });
    const result = await gate({ authorization: 'Bearer writer' });
    if (result.ok) throw new Error('expected a refusal');
    expect(result.response.status).toBe(403);
    expect(parseWwwAuthenticate(result.response.challenge ?? '').params.scope).toBe(
      'read admin write',
    );
  });

  it('toolScopes: checked from tools/call bodies, batches included, before anything runs', async () => {
    const { gate } = gateWith({ requiredScopes: ['read'], toolScopes: { add: ['write'] } });
    const reader = 'Bearer reader';
    expect((await gate({ authorization: reader, body: call('list') })).ok).toBe(true);
    const single = await gate({ authorization: reader, body: call('add') });
    const batch = await gate({ authorization: reader, body: [call('list', 1), call('add', 2)] });
    for (const result of [single, batch]) {
      expect(result.ok ? 200 : result.response.status).toBe(403);
    }
    expect((await gate({ authorization: 'Bearer writer', body: [call('add')] })).ok).toBe(true);
    const operationOnly = gateWith({ toolScopes: { add: ['write'] }, scopeChallenge: 'operation' });
    const r = await operationOnly.gate({ authorization: reader, body: call('add') });
    expect(r.ok ? '' : parseWwwAuthenticate(r.response.challenge ?? '').params.scope).toBe('write');
  });

  it('the 401 for a tool call names the tool scopes too', async () => {
    const { gate } = gateWith({ requiredScopes: ['read'], toolScopes: { add: ['write'] } });
    const r = await gate({ authorization: undefined, body: call('add') });
    expect(r.ok ? '' : parseWwwAuthenticate(r.response.challenge ?? '').params.scope).toBe(
      'read write',
    );
  });

  it('Mcp-Method / Mcp-Name headers are used, and a mismatch is refused with -32020', async () => {
    const { gate } = gateWith({ toolScopes: { add: ['write'] } });
    const reader = 'Bearer reader';
    const byHeader = await gate({ authorization: reader, mcpMethod: 'tools/call', mcpName: 'add' });
    expect(byHeader.ok ? 200 : byHeader.response.status).toBe(403);
    const mismatch = await gate({
      authorization: 'Bearer writer',
      body: call('list', 'req-9'),
      mcpMethod: 'tools/call',
      mcpName: 'add',
    });
    if (mismatch.ok) throw new Error('expected a refusal');
    expect(mismatch.response.status).toBe(400);
    expect(mismatch.response.body).toMatchObject({ id: 'req-9', error: { code: -32020 } });
    const methodMismatch = await gate({
      authorization: 'Bearer writer',
      body: call('list'),
      mcpMethod: 'tools/list',
    });
    expect(methodMismatch.ok).toBe(false);
    const encoded = `=?base64?${Buffer.from('add').toString('base64')}?=`;
    const matching = await gate({
      authorization: reader,
      body: call('add'),
      mcpMethod: 'tools/call',
      mcpName: encoded,
    });
    expect(matching.ok ? 200 : matching.response.status).toBe(403);
    const other = await gate({
      authorization: reader,
      body: { jsonrpc: '2.0', id: 1, method: 'ping' },
      mcpMethod: 'ping',
    });
    expect(other.ok).toBe(true);
  });

  it('refuses bad options with coded TypeErrors naming the option', () => {
    const verifier = tableVerifier({});
    const cases: [Partial<BearerAuthOptions>, string, string][] = [
      [{ verifier: {} as never }, 'ERR_INVALID_ARG_TYPE', 'verifier'],
      [{ requiredScopes: 'read' as never }, 'ERR_INVALID_ARG_TYPE', 'requiredScopes'],
      [{ requiredScopes: ['a b'] }, 'ERR_INVALID_ARG_VALUE', 'requiredScopes'],
      [{ toolScopes: { add: 'write' } as never }, 'ERR_INVALID_ARG_TYPE', 'toolScopes'],
      [{ scopeChallenge: 'all' as never }, 'ERR_INVALID_ARG_VALUE', 'scopeChallenge'],
      [{ resourceMetadataUrl: 'not a url' }, 'ERR_INVALID_ARG_VALUE', 'resourceMetadataUrl'],
      [{ serverUrl: 'ftp://x/mcp' }, 'ERR_INVALID_ARG_VALUE', 'serverUrl'],
      [{ now: 5 as never }, 'ERR_INVALID_ARG_TYPE', 'now'],
    ];
    for (const [options, code, name] of cases) {
      const build = () => createBearerGate({ verifier, ...options });
      expect(build).toThrow(TypeError);
      expect(build).toThrow(expect.objectContaining({ code }));
      expect(build).toThrow(name);
    }
  });
});
