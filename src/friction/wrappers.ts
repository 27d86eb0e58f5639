/**
 * Tool-handler wrappers for the MCP SDK: `frictionControlled` checks a limited tool before its
 * handler runs, `recordToolCall` records an unlimited one. The client key comes from the auth
 * info the SDK hands the tool: `extra.authInfo` on SDK 1.x, `ctx.http.authInfo` on SDK 2.x (both
 * filled from `req.auth`).
 *
 * @module
 */

import { invalidArg } from '../errors.js';
import { defaultLogger } from '../lib/logger.js';
import type { AuthInfo, Logger } from '../types.js';
import { frictionKey } from './client-key.js';
import type { FrictionResult } from './decision.js';
import type { FrictionRegistry } from './registry.js';

/**
 * Any MCP tool handler: `(args, extra)`, or `(extra)` for a tool without an input schema (SDK
 * 1.x); `(args, ctx)` or `(ctx)` (SDK 2.x).
 */
export type ToolHandler = (...args: never[]) => unknown;

/**
 * The `isError` tool result a refused call gets (the `CallToolResult` of both SDK lines).
 *
 * @internal
 */
export interface ToolErrorResult {
  isError: true;
  content: { type: 'text'; text: string }[];
}

/** The handler's last argument: SDK 1.x `extra` or SDK 2.x `ctx`. */
interface HandlerContext {
  readonly authInfo?: AuthInfo;
  readonly http?: { readonly authInfo?: AuthInfo };
}

/**
 * The caller's auth info from a handler's last argument: `extra.authInfo` (SDK 1.x) or
 * `ctx.http.authInfo` (SDK 2.x).
 *
 * @internal
 */
export function authInfoOf(context: unknown): AuthInfo | undefined {
  if (typeof context !== 'object' || context === null) return undefined;
  const c = context as HandlerContext;
  return c.authInfo ?? c.http?.authInfo;
}

/** Options of the wrappers. */
export interface FrictionWrapperOptions {
  /** The registry to use. @default the one set by {@link initFriction} */
  readonly registry?: FrictionRegistry;
  /**
   * What identifies a client: `'clientId'` (the OAuth client, else `sub:<subject>`, else
   * `token:<hash>`), `'subject'` (`sub:<subject>`, else the client, else the token hash) or a
   * function (its answer, else the `'clientId'` order). A token never goes unlimited for lack
   * of the preferred claim.
   * @default 'clientId'
   */
  readonly keyBy?: 'clientId' | 'subject' | ((authInfo: AuthInfo) => string | undefined);
  /**
   * A call without auth info (or without a key): `'allow'` runs it unlimited (the Python
   * package's behaviour, logged), `'deny'` refuses a limited tool with an error result
   * (unlimited tools still run, unrecorded).
   * @default 'allow'
   */
  readonly onMissingAuth?: 'allow' | 'deny';
  /** Receives `friction_missing_auth` warnings. @default the registry's logger */
  readonly logger?: Logger;
}

let defaultRegistry: FrictionRegistry | undefined;

/**
 * Sets the registry used by wrappers created without a `registry` option. Call once at start-up.
 *
 * @returns The registry.
 */
export function initFriction(registry: FrictionRegistry): FrictionRegistry {
  if (typeof registry?.checkAndRecord !== 'function') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', 'The argument "registry" must be a FrictionRegistry');
  }
  defaultRegistry = registry;
  return registry;
}

interface Resolved {
  readonly registry: FrictionRegistry | undefined;
  /** Undefined: the registry's `keyBy` (part of its shared-store key fingerprint). */
  readonly keyBy: FrictionWrapperOptions['keyBy'];
  readonly deny: boolean;
  readonly logger: Logger | undefined;
}

function resolveWrapperOptions(toolName: unknown, handler: unknown, o: FrictionWrapperOptions) {
  if (typeof toolName !== 'string' || toolName === '') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', 'The argument "toolName" must be a non-empty string');
  }
  if (typeof handler !== 'function') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', 'The argument "handler" must be a function');
  }
  const { keyBy, onMissingAuth = 'allow' } = o;
  if (
    keyBy !== undefined &&
    keyBy !== 'clientId' &&
    keyBy !== 'subject' &&
    typeof keyBy !== 'function'
  ) {
    throw invalidArg(
      'ERR_INVALID_ARG_VALUE',
      'The option "keyBy" must be "clientId", "subject" or a function',
    );
  }
  if (onMissingAuth !== 'allow' && onMissingAuth !== 'deny') {
    throw invalidArg(
      'ERR_INVALID_ARG_VALUE',
      'The option "onMissingAuth" must be "allow" or "deny"',
    );
  }
  return Object.freeze<Resolved>({
    registry: o.registry,
    keyBy,
    deny: onMissingAuth === 'deny',
    logger: o.logger,
  });
}

function keyOf(keyBy: NonNullable<FrictionWrapperOptions['keyBy']>, a: AuthInfo) {
  return frictionKey(a, keyBy);
}

const refusals = new WeakSet<object>();

function errorResult(text: string): ToolErrorResult {
  const result: ToolErrorResult = { isError: true, content: [{ type: 'text', text }] };
  refusals.add(result);
  return result;
}

/**
 * Whether `value` is a refusal returned by a wrapper (its handler did not run).
 *
 * @internal
 */
export function isRefusal(value: unknown): value is ToolErrorResult {
  return typeof value === 'object' && value !== null && refusals.has(value);
}

/**
 * The result returned for a refused call, with a retry hint when friction decays over time.
 *
 * @param toolName - The tool.
 * @param result - The refusing decision.
 */
export function rateLimitedResult(toolName: string, result: FrictionResult): ToolErrorResult {
  const wait =
    result.retryAfterMs === undefined
      ? 'wait before retrying'
      : `wait about ${Math.max(1, Math.ceil(result.retryAfterMs / 1000))} seconds before retrying`;
  return errorResult(
    `Tool '${toolName}' is temporarily rate-limited. ${result.message}. ` +
      `Please try a different approach or ${wait}.`,
  );
}

type Gate = (registry: FrictionRegistry, key: string) => Promise<ToolErrorResult | undefined>;

function wrap<H extends ToolHandler>(
  name: string,
  handler: H,
  opts: FrictionWrapperOptions,
  gate: Gate,
  limited: boolean,
): H {
  const o = resolveWrapperOptions(name, handler, opts);
  const deny = o.deny && limited;
  let warned = false;
  async function wrapped(this: unknown, ...args: unknown[]): Promise<unknown> {
    const registry = o.registry ?? defaultRegistry;
    const run = () => (handler as unknown as (...a: unknown[]) => unknown).apply(this, args);
    if (registry === undefined) return run();
    const auth = authInfoOf(args[args.length - 1]);
    const raw = auth === undefined ? undefined : keyOf(o.keyBy ?? registry.keyBy, auth);
    const key = typeof raw === 'string' && raw !== '' ? raw : undefined;
    if (key === undefined) {
      const record = { event_type: 'friction_missing_auth', tool_name: name, allowed: !deny };
      const logger = o.logger ?? registry.logger ?? defaultLogger;
      if (!warned || deny) logger.warn(record);
      else logger.debug(record);
      warned = true;
      return deny ? errorResult(`Tool '${name}' requires an authenticated client.`) : run();
    }
    const refusal = await gate(registry, key);
    return refusal ?? run();
  }
  return wrapped as unknown as H;
}

/**
 * Wraps the handler of a limited tool: the call is checked (and recorded) first; a refused call
 * returns an `isError` result and the handler does not run.
 *
 * @param toolName - The tool's name as configured in the registry's `toolConfigs`.
 * @param handler - The SDK tool handler.
 * @param opts - See {@link FrictionWrapperOptions}.
 * @returns A handler with the same signature.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` for bad arguments.
 */
export function frictionControlled<H extends ToolHandler>(
  toolName: string,
  handler: H,
  opts: FrictionWrapperOptions = {},
): H {
  return wrap(
    toolName,
    handler,
    opts,
    async (registry, key) => {
      const result = await registry.checkAndRecord(key, toolName);
      return result.allowed ? undefined : rateLimitedResult(toolName, result);
    },
    true,
  );
}

/**
 * Wraps the handler of an unlimited tool so its calls count in the client's window (the
 * denominator of every share).
 *
 * @param toolName - The tool's name.
 * @param handler - The SDK tool handler.
 * @param opts - See {@link FrictionWrapperOptions}.
 * @returns A handler with the same signature.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` for bad arguments.
 */
export function recordToolCall<H extends ToolHandler>(
  toolName: string,
  handler: H,
  opts: FrictionWrapperOptions = {},
): H {
  return wrap(
    toolName,
    handler,
    opts,
    async (registry, key) => {
      await registry.recordUnconfigured(key, toolName);
      return undefined;
    },
    false,
  );
}
