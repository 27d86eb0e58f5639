import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { FrictionRegistry } from '../../src/friction/registry.js';
import { withFriction } from '../../src/friction/with-friction.js';
import { frictionControlled, initFriction, recordToolCall } from '../../src/friction/wrappers.js';
import { captureLogger } from './_logger.js';

const ok: CallToolResult = { content: [{ type: 'text', text: 'ok' }] };
const auth = (clientId: string, subject?: string) => ({
  authInfo: { token: 't', clientId, scopes: [], ...(subject ? { extra: { subject } } : {}) },
});

function blockedAfterSpam(registry: FrictionRegistry) {
  return registry.getClientStatus.bind(registry);
}

describe('tool wrappers', () => {
  const make = () =>
    new FrictionRegistry({
      defaultConfig: { controller: 'proportional', warmupCalls: 0, timeDecayRate: 0 },
      toolConfigs: { delete_task: {} },
      logger: captureLogger(),
    });

  it('keys by subject when asked, so two users of one client are separate', async () => {
    const registry = make();
    const h = frictionControlled('delete_task', async (_a: unknown, _e: unknown) => ok, {
      registry,
      keyBy: 'subject',
    });
    for (let i = 0; i < 30; i++) await h({}, auth('app', 'alice'));
    expect((await h({}, auth('app', 'bob'))).isError).toBeUndefined();
    expect((await h({}, auth('app', 'alice'))).isError).toBe(true);
    expect(await blockedAfterSpam(registry)('app')).toBeUndefined();
  });

  it('supports a custom key function and handlers without input schema (extra only)', async () => {
    const registry = make();
    const h = frictionControlled('delete_task', async (_e: unknown) => ok, {
      registry,
      keyBy: (a) => `k:${a.clientId}`,
    });
    await h(auth('c1'));
    expect(await registry.getClientStatus('k:c1')).toBeDefined();
  });

  it('denies unauthenticated calls of limited tools with onMissingAuth deny; reads still run', async () => {
    const registry = make();
    const opts = { registry, onMissingAuth: 'deny' as const };
    const limited = frictionControlled('delete_task', async (_e: unknown) => ok, opts);
    const read = recordToolCall('get_tasks', async (_e: unknown) => ok, opts);
    const refused = await limited({});
    expect(refused.isError).toBe(true);
    expect((refused.content[0] as { text: string }).text).toBe(
      "Tool 'delete_task' requires an authenticated client.",
    );
    expect(await read({})).toBe(ok);
    expect(registry.clientCount).toBe(0);
  });

  it('uses the registry set by initFriction, and runs unchecked without one', async () => {
    const h = frictionControlled('delete_task', async (_e: unknown) => ok);
    const registry = make();
    expect(initFriction(registry)).toBe(registry);
    await h(auth('c9'));
    expect(await registry.getClientStatus('c9')).toBeDefined();
    expect(() => initFriction({} as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
  });

  it('rejects bad arguments at creation', () => {
    const h = async () => ok;
    expect(() => frictionControlled('', h)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
    expect(() => frictionControlled('x', 1 as never)).toThrow('handler');
    expect(() => recordToolCall('x', h, { keyBy: 'email' as never })).toThrow('keyBy');
    expect(() => recordToolCall('x', h, { onMissingAuth: 'maybe' as never })).toThrow(
      'onMissingAuth',
    );
    expect(() => withFriction({} as never, make())).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
  });

  it('keeps tools wrapped across update() with a new callback or a new name', async () => {
    const registry = make();
    const server = withFriction(new McpServer({ name: 's', version: '1' }), registry);
    expect(withFriction(server, registry)).toBe(server);
    let runs = 0;
    const tool = server.registerTool('other', {}, async () => ok);
    tool.update({ name: 'delete_task' });
    const call = () => (tool.handler as (e: unknown) => Promise<{ isError?: boolean }>)(auth('u'));
    await call();
    expect((await registry.getClientStatus('u'))!.delete_task!.rawRate).toBe(1);
    tool.update({
      callback: async () => {
        runs++;
        return ok;
      },
    });
    let refused = false;
    for (let i = 0; i < 40 && !refused; i++) refused = Boolean((await call()).isError);
    expect(refused).toBe(true);
    expect(runs).toBeLessThan(40);
  });
});
