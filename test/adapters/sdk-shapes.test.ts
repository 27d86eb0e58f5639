import { McpServer } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { TokenRejectedError } from '../../src/errors.js';
import { FrictionRegistry } from '../../src/friction/registry.js';
import { withFriction } from '../../src/friction/with-friction.js';
import { createBearerGate } from '../../src/http/bearer.js';

const META = 'io.modelcontextprotocol/protocolVersion';

describe('shapes shared by both SDK lines', () => {
  it('TokenRejectedError looks like an OAuth invalid_token error and keeps its stable code', () => {
    const err = new TokenRejectedError('ERR_TOKEN_INACTIVE', 'The access token is not active');
    expect(err.code).toBe('ERR_TOKEN_INACTIVE');
    expect(err.errorCode).toBe('invalid_token');
    expect(err.name).toBe('TokenRejectedError');
    expect(err.toResponseObject()).toEqual({
      error: 'invalid_token',
      error_description: 'The access token is not active',
    });
  });

  it('the gate refuses a 2026-07-28 request (body envelope) without routing headers', async () => {
    let verified = 0;
    const verifier = {
      verifyAccessToken: async (token: string) => {
        verified++;
        return { token, clientId: 'c', scopes: [], expiresAt: 4102444800 };
      },
    };
    const gate = createBearerGate({ verifier });
    const result = await gate({
      authorization: 'Bearer abc',
      body: {
        jsonrpc: '2.0',
        id: 'r1',
        method: 'tools/list',
        params: { _meta: { [META]: '2026-07-28' } },
      },
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.response.status).toBe(400);
    expect(!result.ok && result.response.body).toMatchObject({ id: 'r1', error: { code: -32020 } });
    expect(verified).toBe(0);
    const batch = await gate({
      authorization: 'Bearer abc',
      body: [
        { jsonrpc: '2.0', id: 2, method: 'ping', params: { _meta: { [META]: '2026-07-28' } } },
      ],
    });
    expect(!batch.ok && batch.response.body).toMatchObject({ id: null });
  });

  it('withFriction on an SDK 2.x McpServer: existing tools, update(), keyed by ctx.http.authInfo', async () => {
    const registry = new FrictionRegistry({
      defaultConfig: { warmupCalls: 0 },
      toolConfigs: { hot: { targetRate: 0.05 } },
    });
    const server = new McpServer({ name: 's', version: '1' });
    let runs = 0;
    const tool = server.registerTool('hot', {}, async () => {
      runs++;
      return { content: [] };
    });
    withFriction(server, registry);
    tool.update({ callback: tool.handler as never });
    const authInfo = { token: 't', clientId: 'v2-client', scopes: [] };
    const executor = (tool as unknown as { executor: (a: unknown, c: unknown) => Promise<unknown> })
      .executor;
    let refused = false;
    for (let i = 0; i < 40 && !refused; i++) {
      const r = (await executor(undefined, { http: { authInfo } })) as { isError?: boolean };
      refused = r.isError === true;
    }
    expect(refused).toBe(true);
    expect(runs).toBeLessThan(40);
    expect(await registry.getClientStatus('v2-client')).toBeDefined();
  });
});
