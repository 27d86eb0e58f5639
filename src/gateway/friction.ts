/**
 * Friction in front of the upstream: every `tools/call` of the one parsed JSON-RPC body is
 * checked (limited tools) or recorded (the others) before anything is forwarded. A refused call
 * is answered by the gateway with the same `isError` result `withFriction` gives, retry hint
 * included; the upstream never sees it.
 *
 * @module
 */

import { frictionKey } from '../friction/client-key.js';
import type { FrictionRegistry } from '../friction/registry.js';
import { rateLimitedResult } from '../friction/wrappers.js';
import type { AuthInfo } from '../types.js';

/** A JSON-RPC answer the gateway sends itself, or `undefined` to forward the request. */
export type FrictionAnswer = unknown;

interface Call {
  readonly id: unknown;
  readonly tool: string | undefined;
  readonly isRequest: boolean;
}

function callsOf(body: unknown): Call[] {
  const messages = Array.isArray(body) ? body : [body];
  return messages.map((m) => {
    const message = (typeof m === 'object' && m !== null ? m : {}) as Record<string, unknown>;
    const params = message.params as { name?: unknown } | undefined;
    const isCall = message.method === 'tools/call' && typeof params?.name === 'string';
    return {
      id: message.id,
      tool: isCall ? (params?.name as string) : undefined,
      isRequest: typeof message.method === 'string' && 'id' in message,
    };
  });
}

function refusedAnswer(
  calls: readonly Call[],
  refusals: ReadonlyMap<number, unknown>,
  batch: boolean,
) {
  const answers = calls.flatMap((call, i): Record<string, unknown>[] => {
    const refused = refusals.get(i);
    if (refused !== undefined) return [{ jsonrpc: '2.0', id: call.id, result: refused }];
    if (!call.isRequest) return [];
    // Not run: a batch is answered as a whole, and part of this one was refused.
    const message = 'Not run: another call in this batch was rate-limited';
    return [{ jsonrpc: '2.0', id: call.id, error: { code: -32000, message } }];
  });
  return batch ? answers : answers[0];
}

/**
 * Checks the tool calls of a body against the registry.
 *
 * @param registry - The friction registry (memory or a shared `RedisStore`).
 * @param auth - The verified caller.
 * @param body - The parsed JSON-RPC body (message or batch).
 * @returns The JSON-RPC answer for a refused call (a batch answered as a whole), or `undefined`.
 */
export async function checkFriction(
  registry: FrictionRegistry,
  auth: AuthInfo,
  body: unknown,
): Promise<FrictionAnswer | undefined> {
  const calls = callsOf(body);
  if (calls.every((c) => c.tool === undefined)) return undefined;
  const key = frictionKey(auth, registry.keyBy);
  if (key === undefined) return undefined;
  const refusals = new Map<number, unknown>();
  for (const [i, call] of calls.entries()) {
    if (call.tool === undefined) continue;
    if (!registry.isConfigured(call.tool)) {
      await registry.recordUnconfigured(key, call.tool);
      continue;
    }
    const decision = await registry.checkAndRecord(key, call.tool);
    if (!decision.allowed) refusals.set(i, rateLimitedResult(call.tool, decision));
  }
  return refusals.size === 0 ? undefined : refusedAnswer(calls, refusals, Array.isArray(body));
}
