/**
 * Friction simulation harness: one client calling tools with Poisson arrivals at total rate Λ,
 * the per-tool demand mix given by a scenario function of time, against the real
 * {@link FrictionController} with an injected clock. A refused call is either dropped or
 * retried after the result's `retryAfterMs` (1 s when absent, at most {@link MAX_RETRIES}
 * times). Seeded (mulberry32), so every run is reproducible.
 *
 * @module
 */

import type {
  ControllerConfig,
  ToolFrictionConfig,
  ToolGroupConfig,
} from '../../src/friction/config.js';
import { FrictionController } from '../../src/friction/controller.js';
import { mulberry32 } from '../lib/prng.js';

/** Retries of one refused call before the retrying client gives up. */
export const MAX_RETRIES = 5;
/** Tool index used for calls of the unconfigured tool (`read`). */
export const READ = -1;

/** A scenario: a tool configuration, a rate and a demand mix over time. */
export interface Scenario {
  readonly name: string;
  readonly tools: Readonly<Record<string, ToolFrictionConfig>>;
  readonly groups?: Readonly<Record<string, ToolGroupConfig>>;
  /** Λ: total call attempts per second (Poisson). */
  readonly rate: number;
  readonly durationS: number;
  /** Probability that an attempt at `tSec` is of configured tool i (order of `tools`); the rest reads. */
  readonly mix: (tSec: number) => readonly number[];
  /** No arrivals from this time on (retries still happen). */
  readonly silentFromS?: number;
  /** From this time on, `check` tool 0 every second (a view) and note when it is first allowed. */
  readonly probeFromS?: number;
}

/** How the simulated client and controller behave. */
export interface SimOptions {
  readonly controller: 'proportional' | 'adaptive';
  /** Extra controller tuning. */
  readonly config?: ControllerConfig;
  /** What the client does with a refused call. @default 'drop' */
  readonly client?: 'drop' | 'retry';
  /** @default 1 */
  readonly seed?: number;
}

/** Every decision of a run, in time order. */
export interface Trace {
  readonly scenario: Scenario;
  /** Decision times, seconds. */
  readonly t: number[];
  /** Tool index, or {@link READ}. */
  readonly tool: number[];
  /** 1 = allowed. */
  readonly allowed: number[];
  /** 1 = a retried attempt. */
  readonly retry: number[];
  /** Highest `friction` seen in any result. */
  readonly maxFriction: number;
  /** First probe time (s) at which tool 0 was allowed, or undefined. */
  readonly probeAllowedAtS: number | undefined;
}

/** A min-heap of pending retries keyed by time. */
class RetryQueue {
  readonly #items: { t: number; tool: number; n: number }[] = [];
  get size(): number {
    return this.#items.length;
  }
  peek(): { t: number; tool: number; n: number } | undefined {
    return this.#items[0];
  }
  push(item: { t: number; tool: number; n: number }): void {
    const a = this.#items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]!.t <= a[i]!.t) break;
      [a[p], a[i]] = [a[i]!, a[p]!];
      i = p;
    }
  }
  pop(): { t: number; tool: number; n: number } | undefined {
    const a = this.#items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]!.t < a[m]!.t) m = l;
        if (r < a.length && a[r]!.t < a[m]!.t) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}

function pick(mix: readonly number[], u: number): number {
  let acc = 0;
  for (let i = 0; i < mix.length; i++) {
    acc += mix[i]!;
    if (u < acc) return i;
  }
  return READ;
}

/**
 * Runs one scenario.
 *
 * @param sc - The scenario.
 * @param opts - Controller and client.
 * @returns The decision trace.
 */
export function runScenario(sc: Scenario, opts: SimOptions): Trace {
  const names = Object.keys(sc.tools);
  const c = new FrictionController({
    ...opts.config,
    controller: opts.controller,
    toolConfigs: sc.tools,
    toolGroups: sc.groups,
  });
  const rand = mulberry32(opts.seed ?? 1);
  const retrying = opts.client === 'retry';
  const queue = new RetryQueue();
  const out = {
    t: [] as number[],
    tool: [] as number[],
    allowed: [] as number[],
    retry: [] as number[],
  };
  let maxFriction = 0;
  let probeAt = sc.probeFromS;
  let probeAllowedAtS: number | undefined;
  const silentFrom = sc.silentFromS ?? Number.POSITIVE_INFINITY;
  let next = -Math.log(1 - rand()) / sc.rate;
  for (;;) {
    const head = queue.peek();
    const arrival = next < silentFrom ? next : Number.POSITIVE_INFINITY;
    const t = Math.min(arrival, head?.t ?? Number.POSITIVE_INFINITY);
    while (probeAt !== undefined && probeAt <= Math.min(t, sc.durationS)) {
      if (c.check(names[0]!, probeAt * 1000).allowed) {
        probeAllowedAtS = probeAt;
        probeAt = undefined;
      } else probeAt += 1;
    }
    if (!(t < sc.durationS)) break;
    let tool: number;
    let n = 0;
    if (t === arrival) {
      tool = pick(sc.mix(t), rand());
      next = t - Math.log(1 - rand()) / sc.rate;
    } else {
      const item = queue.pop()!;
      tool = item.tool;
      n = item.n;
    }
    let allowed = 1;
    if (tool === READ) c.recordUnconfigured('read', t * 1000);
    else {
      const r = c.checkAndRecord(names[tool]!, t * 1000);
      if (r.friction > maxFriction) maxFriction = r.friction;
      if (!r.allowed) {
        allowed = 0;
        if (retrying && n < MAX_RETRIES) {
          queue.push({ t: t + (r.retryAfterMs ?? 1000) / 1000, tool, n: n + 1 });
        }
      }
    }
    out.t.push(t);
    out.tool.push(tool);
    out.allowed.push(allowed);
    out.retry.push(n > 0 ? 1 : 0);
  }
  return { scenario: sc, ...out, maxFriction, probeAllowedAtS };
}
