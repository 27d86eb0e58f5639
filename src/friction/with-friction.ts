/**
 * `withFriction`: friction for every tool of an SDK `McpServer`, without touching each
 * registration.
 *
 * @module
 */

import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { invalidArg } from '../errors.js';
import type { FrictionRegistry } from './registry.js';
import {
  type FrictionWrapperOptions,
  frictionControlled,
  recordToolCall,
  type ToolHandler,
} from './wrappers.js';

type ToolUpdate = Parameters<RegisteredTool['update']>[0];
type Register = (name: string, ...rest: unknown[]) => RegisteredTool;

const patched = new WeakSet<object>();

function wrapFor(registry: FrictionRegistry, opts: FrictionWrapperOptions) {
  const o = { ...opts, registry };
  return (name: string, handler: ToolHandler): ToolHandler =>
    registry.isConfigured(name)
      ? frictionControlled(name, handler, o)
      : recordToolCall(name, handler, o);
}

/**
 * Wraps the handler of one registered tool, and keeps it wrapped across `update()` (a new
 * callback or a new name). Task-based handlers (objects with `createTask`) are left alone.
 */
function patchTool(name: string, tool: RegisteredTool, wrap: ReturnType<typeof wrapFor>): void {
  if (patched.has(tool)) return;
  patched.add(tool);
  let current = name;
  let original = tool.handler as unknown;
  if (typeof original === 'function')
    tool.handler = wrap(current, original as ToolHandler) as never;
  const update = tool.update;
  tool.update = (updates: ToolUpdate) => {
    const next = { ...updates } as ToolUpdate & { callback?: unknown };
    const renamed = typeof updates.name === 'string' && updates.name !== current;
    if (renamed) current = updates.name as string;
    if (typeof next.callback === 'function') original = next.callback;
    if ((renamed || next.callback !== undefined) && typeof original === 'function') {
      next.callback = wrap(current, original as ToolHandler) as never;
    }
    update(next as ToolUpdate);
  };
}

/**
 * Applies friction to every tool of `server`: tools configured in the registry are checked
 * ({@link frictionControlled}), all others recorded ({@link recordToolCall}). Covers tools
 * registered before and after the call, through `registerTool()` and `tool()`.
 *
 * @param server - The SDK `McpServer`.
 * @param registry - The friction registry.
 * @param opts - Wrapper options (`keyBy`, `onMissingAuth`, `logger`).
 * @returns `server`.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` when `server` has no `registerTool`.
 *
 * @example
 * ```ts
 * const server = withFriction(new McpServer({ name: 'tasks', version: '1.0.0' }), registry);
 * server.registerTool('delete_task', { inputSchema: { id: z.string() } }, deleteTask);
 * ```
 */
export function withFriction<S extends McpServer>(
  server: S,
  registry: FrictionRegistry,
  opts: Omit<FrictionWrapperOptions, 'registry'> = {},
): S {
  if (typeof server?.registerTool !== 'function' || typeof server.tool !== 'function') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', 'The argument "server" must be an McpServer');
  }
  if (typeof registry?.isConfigured !== 'function') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', 'The argument "registry" must be a FrictionRegistry');
  }
  if (patched.has(server)) return server;
  patched.add(server);
  const wrap = wrapFor(registry, opts);
  const host = server as unknown as Record<'registerTool' | 'tool', Register>;
  for (const method of ['registerTool', 'tool'] as const) {
    const original = host[method].bind(server);
    host[method] = (name: string, ...rest: unknown[]) => {
      const tool = original(name, ...rest);
      patchTool(name, tool, wrap);
      return tool;
    };
  }
  // Tools registered before this call; the SDK keeps them in a private map (1.x).
  const existing = (server as unknown as { _registeredTools?: Record<string, RegisteredTool> })
    ._registeredTools;
  for (const [name, tool] of Object.entries(existing ?? {})) patchTool(name, tool, wrap);
  return server;
}
