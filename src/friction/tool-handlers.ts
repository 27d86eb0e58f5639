/**
 * Puts one registered tool handler under friction, whatever its shape: a plain callback
 * (`registerTool`, `tool()`; both SDK lines) or a task handler (`{ createTask, getTask,
 * getTaskResult }`, SDK 1.x `server.experimental.tasks.registerToolTask`). A handler of any other
 * shape is refused with an error: a tool is never left unwrapped silently.
 *
 * @module
 * @internal
 */

import { AuthflowError, invalidArg } from '../errors.js';
import type { FrictionRegistry } from './registry.js';
import {
  type FrictionWrapperOptions,
  frictionControlled,
  isRefusal,
  recordToolCall,
  type ToolHandler,
} from './wrappers.js';

/** A task-based tool handler (SDK 1.x experimental tasks). */
interface TaskHandler {
  createTask: ToolHandler;
}

/** Wraps one handler for one tool name. */
export type HandlerWrapper = (name: string, handler: unknown) => unknown;

const wrapped = new WeakSet<object>();

/** Whether `handler` is one this module produced. */
export function isWrappedHandler(handler: unknown): boolean {
  return (typeof handler === 'function' || typeof handler === 'object') && handler !== null
    ? wrapped.has(handler)
    : false;
}

function isTaskHandler(handler: unknown): handler is TaskHandler {
  return (
    typeof handler === 'object' &&
    handler !== null &&
    typeof (handler as { createTask?: unknown }).createTask === 'function'
  );
}

/**
 * A task handler whose `createTask` is checked first. A refused call throws: the SDK turns a
 * throwing `createTask` into an `isError` tool result carrying the same retry hint, on the
 * task-augmented path and on the automatic-polling path alike. `getTask` / `getTaskResult` are
 * inherited unchanged (polling is not a call).
 */
function wrapTaskHandler(
  name: string,
  handler: TaskHandler,
  wrapFn: (name: string, fn: ToolHandler) => ToolHandler,
): TaskHandler {
  const createTask = wrapFn(name, handler.createTask) as (...a: unknown[]) => Promise<unknown>;
  const proxy = Object.create(handler) as TaskHandler;
  proxy.createTask = async function checkedCreateTask(this: unknown, ...args: unknown[]) {
    const result = await createTask.apply(this, args);
    if (isRefusal(result)) {
      throw new AuthflowError('ERR_FRICTION_BLOCKED', result.content[0]?.text ?? 'Rate-limited');
    }
    return result;
  };
  return proxy;
}

/**
 * The wrapper `withFriction` applies: configured tools are checked, all others recorded.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` for a handler that is neither a function nor a task
 *   handler: refused at registration (start-up), never skipped.
 */
export function handlerWrapper(
  registry: FrictionRegistry,
  opts: FrictionWrapperOptions,
): HandlerWrapper {
  const o = { ...opts, registry };
  const wrapFn = (name: string, fn: ToolHandler): ToolHandler =>
    registry.isConfigured(name) ? frictionControlled(name, fn, o) : recordToolCall(name, fn, o);
  return (name, handler) => {
    if (isWrappedHandler(handler)) return handler;
    let result: object;
    if (typeof handler === 'function') result = wrapFn(name, handler as ToolHandler);
    else if (isTaskHandler(handler)) result = wrapTaskHandler(name, handler, wrapFn);
    else {
      throw invalidArg(
        'ERR_INVALID_ARG_TYPE',
        `withFriction cannot put tool "${name}" under friction: its handler is neither a ` +
          'function nor a task handler with createTask()',
      );
    }
    wrapped.add(result);
    return result;
  };
}
