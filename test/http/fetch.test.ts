import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { describe, expect, it } from 'vitest';
import { requireBearerAuth } from '../../src/adapters/fetch/bearer.js';
import { IntrospectionUnavailableError, TokenRejectedError } from '../../src/errors.js';
import { parseWwwAuthenticate } from '../helpers/www-authenticate.js';

const verifier = {
  serverUrl: 'https://mcp.example.com/mcp',
  async verifyAccessToken(token: string): Promise<AuthInfo> {
    if (token === 'down') throw new IntrospectionUnavailableError('down');
    if (token !== 'good') throw new TokenRejectedError('ERR_TOKEN_INACTIVE', 'inactive');
    return { token, clientId: 'web', scopes: ['read'], expiresAt: Date.now() / 1000 + 60 };
  },
};

const gate = requireBearerAuth({ verifier, toolScopes: { add: ['write'] }, maxBodyBytes: 256 });

function mcpRequest(
  token: string | undefined,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return new Request('https://mcp.example.com/mcp', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body ?? {}),
  });
}

const call = (name: string) => ({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name } });

describe('requireBearerAuth (fetch)', () => {
  it('returns AuthInfo with the one parsed body and a request rebuilt from the bytes checked', async () => {
    const request = mcpRequest('good', call('list'));
    const result = await gate(request);
    expect(result).toMatchObject({ authInfo: { clientId: 'web' }, parsedBody: call('list') });
    expect(request.bodyUsed).toBe(true);
    expect(await (result as { request: Request }).request.json()).toEqual(call('list'));
  });

  it('returns the refusal as a Response: 401, 403, 503, 400 (-32020), 413', async () => {
    const missing = (await gate(mcpRequest(undefined))) as Response;
    expect(missing.status).toBe(401);
    expect(parseWwwAuthenticate(missing.headers.get('www-authenticate') ?? '').params).toEqual({
      resource_metadata: 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp',
    });
    expect(missing.headers.get('content-type')).toBe('application/json');
    const scope = (await gate(mcpRequest('good', call('add')))) as Response;
    expect(scope.status).toBe(403);
    expect(await scope.json()).toMatchObject({ error: 'insufficient_scope' });
    const down = (await gate(mcpRequest('down'))) as Response;
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    const mismatch = (await gate(
      mcpRequest('good', call('list'), { 'mcp-method': 'tools/call', 'mcp-name': 'other' }),
    )) as Response;
    expect(mismatch.status).toBe(400);
    expect(await mismatch.json()).toMatchObject({ id: 3, error: { code: -32020 } });
    const big = (await gate(mcpRequest('good', { pad: 'x'.repeat(400) }))) as Response;
    expect(big.status).toBe(413);
  });

  it('refuses an unparseable body with a JSON-RPC parse error (400)', async () => {
    const res = (await gate(mcpRequest('good', '{nope'))) as Response;
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: -32700 } });
  });
});
