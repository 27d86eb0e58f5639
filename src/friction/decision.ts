/**
 * The outcome of a friction check: levels, the result object and its messages (the Python
 * package's texts, numbers formatted with `toFixed`).
 *
 * @module
 */

import type { ResolvedTool } from './config-types.js';

/** Qualitative friction level, for display and logging. */
export type FrictionLevel = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'BLOCKED';

/** The decision for one proposed tool call. A refused call is a result, never a rejection. */
export interface FrictionResult {
  readonly toolName: string;
  /** Whether the call may run. */
  readonly allowed: boolean;
  /** `minCost + friction × (maxCost − minCost)`; 0 for an unconfigured tool. */
  readonly cost: number;
  readonly frictionLevel: FrictionLevel;
  /** The tool's EMA share of calls (configured tool) or its raw window share (unconfigured). */
  readonly currentRate: number;
  /** The configured target share; 0 for an unconfigured tool. */
  readonly targetRate: number;
  /** The target after saturation relief. */
  readonly effectiveTarget: number;
  /** Friction in [0, 1]. */
  readonly friction: number;
  /** Friction has reached `justificationThreshold`. */
  readonly justificationRequired: boolean;
  /** Saturation relief has been triggered for this tool (sticky). */
  readonly saturationDetected: boolean;
  /** Human-readable reason, e.g. `Blocked: friction 1.00 >= threshold 0.95`. */
  readonly message: string;
  /**
   * For a call refused by friction (not by budget) while time decay is on: milliseconds of
   * idleness until friction falls below the block threshold. Absent otherwise.
   */
  readonly retryAfterMs?: number;
}

/** The result for a tool with no friction configured. @internal */
export function unconfiguredResult(toolName: string, rawRate: number): FrictionResult {
  return {
    toolName,
    allowed: true,
    cost: 0,
    frictionLevel: 'NONE',
    currentRate: rawRate,
    targetRate: 0,
    effectiveTarget: 0,
    friction: 0,
    justificationRequired: false,
    saturationDetected: false,
    message: 'No friction configured',
  };
}

function levelOf(friction: number, blocked: boolean, justification: boolean): FrictionLevel {
  if (blocked) return 'BLOCKED';
  if (justification) return 'HIGH';
  if (friction > 0.3) return 'MEDIUM';
  return friction > 0 ? 'LOW' : 'NONE';
}

/** Inputs of {@link configuredResult}: the decayed view of one tool's state. @internal */
export interface ToolView {
  readonly friction: number;
  readonly ema: number;
  readonly effectiveTarget: number;
  readonly saturated: boolean;
  readonly budgetRemaining: number;
  /** λ per millisecond (0 = no time decay). */
  readonly decayPerMs: number;
}

/**
 * The message of an allowed call at friction 0, per tool: the most common decision, whose two
 * `toFixed` calls would otherwise dominate building the result. Derived from frozen tools only.
 */
const IDLE_MESSAGES = new WeakMap<ResolvedTool, string>();

function idleMessage(tool: ResolvedTool, cost: number): string {
  let message = IDLE_MESSAGES.get(tool);
  if (message === undefined) {
    message = `Allowed: friction ${(0).toFixed(2)}, cost ${cost.toFixed(1)}`;
    IDLE_MESSAGES.set(tool, message);
  }
  return message;
}

/** Builds the result of a check of a configured tool (Python `FrictionController.check`). @internal */
export function configuredResult(tool: ResolvedTool, view: ToolView): FrictionResult {
  const f = view.friction;
  const cost = tool.minCost + f * (tool.maxCost - tool.minCost);
  const justificationRequired = f >= tool.justificationThreshold;
  const blocked = f >= tool.hardBlockThreshold;
  const budgetOk = view.budgetRemaining >= cost;
  let message: string;
  if (!budgetOk) {
    message = `Insufficient budget: ${view.budgetRemaining.toFixed(1)} < ${cost.toFixed(1)}`;
  } else if (blocked) {
    message = `Blocked: friction ${f.toFixed(2)} >= threshold ${tool.thresholdText}`;
  } else if (justificationRequired) {
    message = `Justification required: friction ${f.toFixed(2)}, cost ${cost.toFixed(1)}`;
  } else if (f === 0) {
    // f = ±0 gives cost = minCost exactly, the same text for every call.
    message = idleMessage(tool, cost);
  } else {
    message = `Allowed: friction ${f.toFixed(2)}, cost ${cost.toFixed(1)}`;
  }
  const allowed = budgetOk && !blocked;
  // f·e^(−λt) < h  ⇔  t > ln(f/h)/λ; one extra millisecond lands strictly below.
  const retryAfterMs =
    budgetOk && blocked && view.decayPerMs > 0
      ? Math.ceil(Math.log(f / tool.hardBlockThreshold) / view.decayPerMs) + 1
      : undefined;
  const result: { -readonly [K in keyof FrictionResult]: FrictionResult[K] } = {
    toolName: tool.name,
    allowed,
    cost,
    frictionLevel: levelOf(f, blocked, justificationRequired),
    currentRate: view.ema,
    targetRate: tool.targetRate,
    effectiveTarget: view.effectiveTarget,
    friction: f,
    justificationRequired,
    saturationDetected: view.saturated,
    message,
  };
  if (retryAfterMs !== undefined) result.retryAfterMs = retryAfterMs;
  return result;
}

/** Diagnostic status of one configured tool for one client. */
export interface ToolFrictionStatus {
  readonly friction: number;
  readonly emaRate: number;
  /** Raw share of the sliding window. */
  readonly rawRate: number;
  readonly targetRate: number;
  readonly effectiveTarget: number;
  readonly saturationDetected: boolean;
  readonly cost: number;
  readonly level: FrictionLevel;
  readonly allowed: boolean;
}

/** Status of every configured tool of one client, keyed by tool name. */
export type FrictionClientStatus = Readonly<Record<string, ToolFrictionStatus>>;
