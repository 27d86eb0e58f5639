/**
 * The core works when `@opentelemetry/api` (an optional peer) is not installed: every record
 * is dropped and every span-wrapped round trip still runs.
 */

import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { describe, expect, it, vi } from 'vitest';

vi.mock('node:module', async (original) => ({
  ...(await original<typeof import('node:module')>()),
  createRequire: () => (id: string) => {
    throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
  },
}));

const { createBearerGate } = await import('../../src/http/bearer.js');
const { FrictionRegistry } = await import('../../src/friction/registry.js');
const { openTelemetryApi } = await import('../../src/telemetry/api.js');
const { recordJwksFetch, recordVerification } = await import('../../src/telemetry/metrics.js');
const { withClientSpan } = await import('../../src/telemetry/spans.js');
const { observeIntrospection } = await import('../../src/telemetry/verification.js');

describe('without @opentelemetry/api', () => {
  it('loads nothing, records nothing and still decides', async () => {
    expect(openTelemetryApi()).toBeUndefined();
    const verifier = {
      verifyAccessToken: async (token: string): Promise<AuthInfo> => ({
        token,
        clientId: 'c',
        scopes: ['read'],
        expiresAt: Date.now() / 1000 + 60,
      }),
    };
    const gate = createBearerGate({ verifier, requiredScopes: ['read'] });
    expect((await gate({ authorization: 'Bearer abc' })).ok).toBe(true);
    expect((await gate({ authorization: undefined })).ok).toBe(false);
    recordJwksFetch('ok');
    recordVerification({ method: 'jwt', result: 'active', cache: 'hit' });
    await expect(withClientSpan('mcp_authflow.jwks.fetch', async () => 7)).resolves.toBe(7);
    await expect(observeIntrospection(async () => ({ active: true }))).resolves.toEqual({
      active: true,
    });
    const registry = new FrictionRegistry({ toolConfigs: { t: { targetRate: 0.5 } } });
    expect((await registry.checkAndRecord('k', 't')).allowed).toBe(true);
    await registry.close();
  });
});
