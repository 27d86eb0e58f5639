/**
 * The shapes of one `npm run bench` run: what it measured, the machine, and each checked target.
 *
 * @module
 */

import type { RedisFigures } from '../friction-redis.js';
import type { RateTable } from '../friction-throughput.js';
import type { GateFigures } from '../gate-overhead.js';
import type { FanInFigures } from '../introspection-fan-in.js';
import type { McpFigures } from '../mcp-end-to-end.js';
import type { FloodFigures } from '../token-flood.js';
import type { MemoryFigures } from '../workers/memory-worker.js';

/** The machine and the run. */
export interface MachineInfo {
  readonly date: string;
  readonly cores: number;
  readonly cpu: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly command: string;
}

/** Everything one run measured. */
export interface BenchResults {
  readonly machine: MachineInfo;
  readonly settings: unknown;
  readonly gate: GateFigures;
  readonly mcp: McpFigures;
  readonly fanIn: FanInFigures;
  readonly flood: FloodFigures;
  readonly friction: { readonly memory: RateTable; readonly redis: RedisFigures };
  readonly memory: MemoryFigures;
  readonly durationS: number;
}

/** One checked target. */
export interface TargetVerdict {
  readonly name: string;
  readonly target: string;
  readonly measured: string;
  readonly pass: boolean | null;
}
