import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { describe, expect, it } from 'vitest';
import { FrictionRegistry } from '../../src/friction/registry.js';
import { withFriction } from '../../src/friction/with-friction.js';

const make = () =>
  new FrictionRegistry({
    defaultConfig: { warmupCalls: 0 },
    toolConfigs: { delete_task: { targetRate: 0.05 } },
  });
const ok = { content: [{ type: 'text', text: 'ok' }] };
const extra = (clientId: string) => ({ authInfo: { token: 't', clientId, scopes: [] } });

interface FakeTool {
  handler: unknown;
  update(u: Record<string, unknown>): void;
  remove(): void;
}

/** A server with public methods only (no internal funnel), as a future SDK might have. */
function publicOnlyServer(keepHandler: boolean) {
  const tools = new Map<string, FakeTool>();
  return {
    tools,
    registerTool(name: string, _config: unknown, handler: unknown): FakeTool {
      const tool: FakeTool = {
        handler: keepHandler ? handler : async () => ok,
        update: (u) => {
          if (u.callback !== undefined) tool.handler = u.callback;
        },
        remove: () => tools.delete(name),
      };
      tools.set(name, tool);
      return tool;
    },
  };
}

describe('withFriction on every registration path, or a loud refusal', () => {
  it('refuses at registration a handler that is neither a function nor a task handler', () => {
    const server = withFriction(new McpServer({ name: 's', version: '1' }), make());
    expect(() => server.registerTool('delete_task', {}, 42 as never)).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_ARG_TYPE',
        message: expect.stringContaining('"delete_task"'),
      }),
    );
    expect(() =>
      server.experimental.tasks.registerToolTask('delete_task', {}, { getTask: 1 } as never),
    ).toThrow(/neither a function nor a task handler/);
  });

  it('refuses (and removes) a tool an unknown registration path left unwrapped', () => {
    const server = withFriction(publicOnlyServer(false), make());
    expect(() => server.registerTool('delete_task', {}, async () => ok)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }),
    );
    expect(server.tools.has('delete_task')).toBe(false);
  });

  it('wraps through the public method when the SDK has no internal funnel', async () => {
    const registry = make();
    const server = withFriction(publicOnlyServer(true), registry);
    let runs = 0;
    const tool = server.registerTool('delete_task', {}, async () => {
      runs++;
      return ok;
    });
    const call = tool.handler as (e: unknown) => Promise<{ isError?: boolean }>;
    let refused = false;
    for (let i = 0; i < 40 && !refused; i++) refused = Boolean((await call(extra('p'))).isError);
    expect(refused).toBe(true);
    expect(runs).toBeLessThan(40);
    tool.update({ callback: async () => ok });
    expect((await (tool.handler as typeof call)(extra('p'))).isError).toBe(true);
  });
});
