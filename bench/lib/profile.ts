/**
 * Summarises V8 `.cpuprofile` files (from `node --cpu-prof`): the frames with the most self
 * time, or (with a filter string instead of a count) the matching frames by inclusive time.
 * Run: `npx tsx bench/lib/profile.ts <file.cpuprofile> [top | filter]`.
 *
 * @module
 */

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  readonly id: number;
  readonly children?: readonly number[];
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** One frame's share of the sampled time. */
export interface FrameShare {
  readonly frame: string;
  readonly selfPercent: number;
}

function frameName(n: ProfileNode): string {
  const { functionName, url, lineNumber } = n.callFrame;
  const file = url.replace(/^.*\/node_modules\//, '').replace(/^.*\/work\/main\//, '');
  return `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
}

/**
 * The `top` frames by self time, idle and program excluded from the total.
 *
 * @param path - A `.cpuprofile` file.
 * @param top - Frames to return.
 */
export function topFrames(path: string, top = 15): FrameShare[] {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (node === undefined || node.callFrame.functionName === '(idle)') return;
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const name = frameName(node);
    self.set(name, (self.get(name) ?? 0) + dt);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([frame, t]) => ({ frame, selfPercent: (100 * t) / Math.max(total, 1) }));
}

/**
 * Frames whose name contains `filter`, by inclusive time (self plus callees).
 *
 * @param path - A `.cpuprofile` file.
 * @param filter - Substring of the frame (function name or file).
 */
export function inclusiveFrames(path: string, filter: string): FrameShare[] {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const incl = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (node === undefined || node.callFrame.functionName === '(idle)') return;
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = frameName(byId.get(cur)!);
      if (name.includes(filter) && !seen.has(name)) {
        seen.add(name);
        incl.set(name, (incl.get(name) ?? 0) + dt);
      }
    }
  });
  return [...incl.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([frame, t]) => ({ frame, selfPercent: (100 * t) / Math.max(total, 1) }));
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  const [file, top] = process.argv.slice(2);
  if (file === undefined) throw new Error('usage: profile.ts <file.cpuprofile> [top | filter]');
  const frames =
    top !== undefined && Number.isNaN(Number(top))
      ? inclusiveFrames(file, top).slice(0, 40)
      : topFrames(file, Number(top ?? 20));
  for (const f of frames) {
    console.log(`${f.selfPercent.toFixed(1).padStart(5)} %  ${f.frame}`);
  }
}
