/**
 * `withFriction`: friction for every tool of an SDK `McpServer` (SDK 1.x or 2.x), without
 * touching each registration.
 *
 * @module
 */

import { invalidArg } from '../errors.js';
import type { FrictionRegistry } from './registry.js';
import { type HandlerWrapper, handlerWrapper, isWrappedHandler } from './tool-handlers.js';
import type { FrictionWrapperOptions } from './wrappers.js';

/** What `withFriction` needs of a server: the `McpServer` of either MCP SDK line. */
export interface FrictionServer {
  /** Registers a tool; the handler is the last argument. */
  registerTool(...args: never[]): unknown;
}

/** The parts of a registered tool `withFriction` uses (both SDK lines). */
interface Tool {
  handler?: unknown;
  update(updates: Record<string, unknown>): void;
  remove?: () => void;
}

type Registration = (...args: unknown[]) => unknown;
type Host = Record<string, unknown> & {
  _registeredTools?: Record<string, Tool>;
  experimental?: { tasks?: Record<string, unknown> };
};

const patched = new WeakSet<object>();

/** Keeps a tool wrapped across `update()`: a new callback, a new name. */
function patchUpdate(name: string, tool: Tool, wrap: HandlerWrapper, unwrapped: unknown): void {
  if (patched.has(tool)) return;
  patched.add(tool);
  let current = name;
  let original = unwrapped;
  const update = tool.update;
  tool.update = (updates) => {
    const next = { ...updates };
    const renamed = typeof updates.name === 'string' && updates.name !== current;
    if (renamed) current = updates.name as string;
    if (next.callback !== undefined && !isWrappedHandler(next.callback)) original = next.callback;
    if (renamed || next.callback !== undefined) next.callback = wrap(current, original);
    update(next);
  };
}

/** Refuses (and removes) a tool whose handler did not end up wrapped. */
function assertWrapped(name: unknown, tool: unknown): void {
  const t = tool as Tool | undefined;
  if (t === undefined || t === null || isWrappedHandler(t.handler)) return;
  t.remove?.();
  throw invalidArg(
    'ERR_INVALID_ARG_VALUE',
    `withFriction could not put tool "${String(name)}" under friction (an SDK registration ` +
      'path it does not know); the tool was removed',
  );
}

function replace(
  owner: Record<string, unknown>,
  method: string,
  make: (o: Registration) => Registration,
) {
  const original = owner[method];
  if (typeof original === 'function') owner[method] = make(original.bind(owner) as Registration);
}

/**
 * Intercepts every registration path: the internal `_createRegisteredTool` that `registerTool`,
 * `tool()` and `experimental.tasks.registerToolTask` all call (SDK 1.x and 2.x) wraps the
 * handler before the SDK builds its executor; each public method then checks the result.
 */
function interceptRegistrations(host: Host, wrap: HandlerWrapper): void {
  const funnel = typeof host._createRegisteredTool === 'function';
  const withHandler = (args: unknown[]): unknown[] => {
    const last = args.length - 1;
    return args.map((arg, i) => (i === last ? wrap(String(args[0]), arg) : arg));
  };
  replace(host, '_createRegisteredTool', (original) => (...args) => {
    const tool = original(...withHandler(args)) as Tool;
    patchUpdate(String(args[0]), tool, wrap, args[args.length - 1]);
    return tool;
  });
  const checked =
    (original: Registration): Registration =>
    (...args) => {
      const tool = original(...(funnel ? args : withHandler(args)));
      if (!funnel) patchUpdate(String(args[0]), tool as Tool, wrap, args[args.length - 1]);
      assertWrapped(args[0], tool);
      return tool;
    };
  replace(host, 'registerTool', checked);
  replace(host, 'tool', checked);
  const tasks = host.experimental?.tasks;
  if (tasks !== undefined) replace(tasks, 'registerToolTask', checked);
}

/**
 * Applies friction to every tool of `server`: tools configured in the registry are checked
 * ({@link frictionControlled}), all others recorded ({@link recordToolCall}). Covers tools
 * registered before and after the call, through every path the SDK offers: `registerTool()`
 * (SDK 1.x and 2.x), `tool()` (1.x) and `experimental.tasks.registerToolTask()` (1.x; a refused
 * call's `createTask` does not run). On SDK 2.x the caller comes from `ctx.http.authInfo`, on
 * 1.x from `extra.authInfo`. A tool that cannot be wrapped is refused with an error at
 * registration, never left unlimited.
 *
 * @param server - The SDK `McpServer` (`@modelcontextprotocol/sdk` 1.x or
 *   `@modelcontextprotocol/server` 2.x).
 * @param registry - The friction registry.
 * @param opts - Wrapper options (`keyBy`, `onMissingAuth`, `logger`).
 * @returns `server`.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` when `server` has no `registerTool`, or a tool's
 *   handler is neither a function nor a task handler; `ERR_INVALID_ARG_VALUE` when a tool did not
 *   end up wrapped.
 *
 * @example
 * ```ts
 * const server = withFriction(new McpServer({ name: 'tasks', version: '1.0.0' }), registry);
 * server.registerTool('delete_task', { inputSchema: { id: z.string() } }, deleteTask);
 * ```
 */
export function withFriction<S extends FrictionServer>(
  server: S,
  registry: FrictionRegistry,
  opts: Omit<FrictionWrapperOptions, 'registry'> = {},
): S {
  if (typeof server?.registerTool !== 'function') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', 'The argument "server" must be an McpServer');
  }
  if (typeof registry?.isConfigured !== 'function') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', 'The argument "registry" must be a FrictionRegistry');
  }
  if (patched.has(server)) return server;
  patched.add(server);
  const wrap = handlerWrapper(registry, opts);
  const host = server as unknown as Host;
  // Tools registered before this call (kept in a private map on both SDK lines). `update()`
  // rebuilds the 2.x executor; on 1.x it replaces the handler.
  for (const [name, tool] of Object.entries(host._registeredTools ?? {})) {
    patchUpdate(name, tool, wrap, tool.handler);
    tool.update({ callback: tool.handler });
    assertWrapped(name, tool);
  }
  interceptRegistrations(host, wrap);
  return server;
}
