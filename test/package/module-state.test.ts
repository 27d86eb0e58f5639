/**
 * Issue 12: no module-level mutable state in `src` — state lives in instances, so two verifiers,
 * registries or servers in one process (or two tests in one worker) never share it. Module-scope
 * `let`s and mutable collections are listed here with the reason they are process-wide; a new one
 * fails this test.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;

/** `file: name` → why it is process-wide. This list only shrinks. */
const KNOWN: Readonly<Record<string, string>> = {
  'src/telemetry/api.ts: loaded':
    'the @opentelemetry/api module, loaded lazily once; the api itself is process-global',
  'src/telemetry/metrics.ts: provider': 'the global MeterProvider the instruments belong to',
  'src/telemetry/metrics.ts: instruments':
    'created lazily from that provider, re-created on change',
  'src/telemetry/metrics.ts: VERIFICATION': 'memoised frozen attribute sets (finite keys)',
  'src/telemetry/metrics.ts: FRICTION': 'memoised frozen attribute sets (configured tools only)',
  'src/friction/wrappers.ts: defaultRegistry':
    "the seed's initFriction(): public, ported 1:1 from the Python package; pass `registry`",
  'src/friction/with-friction.ts: patched':
    'a WeakSet marking tool objects already wrapped: state of each tool, never shared',
  'src/friction/tool-handlers.ts: wrapped':
    'a WeakSet marking handlers already wrapped: state of each handler, never shared',
  'src/friction/wrappers.ts: refusals':
    'a WeakSet marking the results friction produced: state of each result object',
  'src/friction/decision.ts: IDLE_MESSAGES':
    'memoised message per frozen resolved tool (derived data, weakly held)',
  'src/friction/state.ts: UNWRITTEN':
    'one frozen copy of the relief-only arrays per frozen resolved config (derived, weakly held)',
  'src/verify/cache.ts: SYNCHRONOUS':
    'a WeakMap from the memory caches this module created to their synchronous readers: a fact about each cache object',
};

/** Module-scope declarations that can change: `let`, and `const` bound to a mutable collection. */
const MUTABLE =
  /^(?:export )?(?:let (\w+)|const (\w+)(?:: (?!Readonly)[^=]+)? = new (?:Map|Set|WeakMap|WeakSet|LRUCache|Array)\b)/gm;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [relative(ROOT, path)] : [];
  });
}

describe('module-level mutable state', () => {
  const found = sources(join(ROOT, 'src')).flatMap((file) =>
    [...readFileSync(join(ROOT, file), 'utf8').matchAll(MUTABLE)].map(
      (m) => `${file}: ${m[1] ?? m[2]}`,
    ),
  );

  it('exists only where it is listed with its reason', () => {
    expect(found.filter((entry) => !(entry in KNOWN))).toEqual([]);
  });

  it('the list holds nothing that is gone', () => {
    expect(Object.keys(KNOWN).filter((entry) => !found.includes(entry))).toEqual([]);
  });

  it('the checker sees what it must (control)', () => {
    const sample = 'let a = 1;\nconst b = new Map();\nconst c: ReadonlySet<string> = new Set();\n';
    expect([...sample.matchAll(MUTABLE)].map((m) => m[1] ?? m[2])).toEqual(['a', 'b']);
  });
});
