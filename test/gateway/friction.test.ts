import { describe, expect, it } from 'vitest';
import { FrictionRegistry } from '../../src/friction/registry.js';
import { checkFriction } from '../../src/gateway/friction.js';
import { silentLogger } from '../../src/lib/logger.js';

const auth = { token: 't', clientId: 'client-1', scopes: ['read'] };

function registry(): FrictionRegistry {
  return new FrictionRegistry({
    toolConfigs: { rm: { targetRate: 0.9, ceiling: { limit: 1, windowMs: 60_000 } } },
    logger: silentLogger,
  });
}

const call = (id: number, name: string) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: {} },
});

describe('friction at the gateway', () => {
  it('lets calls through until refused, then answers with the isError result', async () => {
    const r = registry();
    expect(await checkFriction(r, auth, call(1, 'rm'))).toBeUndefined();
    const refused = (await checkFriction(r, auth, call(2, 'rm'))) as {
      id: number;
      result: { isError: boolean; content: { text: string }[] };
    };
    expect(refused.id).toBe(2);
    expect(refused.result.isError).toBe(true);
    expect(refused.result.content[0]?.text).toMatch(/'rm' is temporarily rate-limited/);
    expect(await checkFriction(r, auth, call(3, 'ls'))).toBeUndefined();
    expect(await checkFriction(r, auth, { jsonrpc: '2.0', id: 4, method: 'tools/list' })).toBe(
      undefined,
    );
    await r.close();
  });

  it('answers a batch holding a refused call as a whole', async () => {
    const r = registry();
    await checkFriction(r, auth, call(1, 'rm'));
    const answer = await checkFriction(r, auth, [
      call(2, 'ls'),
      call(3, 'rm'),
      { jsonrpc: '2.0', method: 'notifications/progress' },
    ]);
    expect(answer).toEqual([
      {
        jsonrpc: '2.0',
        id: 2,
        error: { code: -32000, message: expect.stringMatching(/^Not run/) },
      },
      { jsonrpc: '2.0', id: 3, result: expect.objectContaining({ isError: true }) },
    ]);
    await r.close();
  });
});
