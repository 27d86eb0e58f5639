import { describe, expect, it } from 'vitest';
import { buildProtectedResourceMetadata } from '../../src/discovery/protected-resource.js';
import { AuthflowError } from '../../src/errors.js';
import { authErrorResponse } from '../../src/http/challenge.js';

// MCP 2026-07-28: a resource server advertises and asks for no `offline_access`.
describe('no offline_access from the resource server', () => {
  it('is dropped from scopes_supported', () => {
    const prm = buildProtectedResourceMetadata({
      serverUrl: 'https://mcp.example.com/mcp',
      authServerPublicUrl: 'https://auth.example.com',
      scopes: ['read', 'offline_access', 'write'],
    });
    expect(prm.scopes_supported).toEqual(['read', 'write']);
  });

  it('is dropped from 401 and 403 challenges, even when the token holds it', () => {
    const scope = new AuthflowError('ERR_INSUFFICIENT_SCOPE', 'x');
    const forbidden = authErrorResponse(scope, {
      requiredScopes: ['write'],
      grantedScopes: ['read', 'offline_access'],
    });
    expect(forbidden.challenge).toContain('scope="write read"');
    const missing = authErrorResponse(new AuthflowError('ERR_TOKEN_MISSING', 'x'), {
      requiredScopes: ['offline_access', 'read'],
    });
    expect(missing.challenge).toBe('Bearer scope="read"');
  });
});
