/**
 * Compiles the benchmark workers (and the library code they import) the way tsup ships the
 * package: esbuild, ESM, `node20`, no `keepNames`. Running the workers through tsx instead would
 * measure tsx's transform — its `keepNames` wraps every closure created on a hot path in a
 * `__name()` call (an `Object.defineProperty` per call), which halves the friction store's step
 * rate and is not in the published build.
 *
 * @module
 */

import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Where the compiled workers go (inside node_modules so bare imports resolve). */
export const OUT_DIR = fileURLToPath(
  new URL('../../node_modules/.cache/mcp-authflow-bench/', import.meta.url),
);

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** The worker entries, by output name. */
const ENTRIES = {
  'http-server': 'bench/servers/http-server.ts',
  'friction-worker': 'bench/workers/friction-worker.ts',
  'memory-worker': 'bench/workers/memory-worker.ts',
} as const;

/** Optional entries compiled only when their source exists (work landing in parallel). */
const OPTIONAL = { redis: 'src/redis.ts', 'gateway-cli': 'src/cli.ts' } as const;

/** Paths of the compiled entries. */
export type BuiltWorkers = Record<keyof typeof ENTRIES, string> &
  Partial<Record<keyof typeof OPTIONAL, string>>;

/** Compiles every worker into {@link OUT_DIR}; returns the `.mjs` path of each entry. */
export async function buildWorkers(): Promise<BuiltWorkers> {
  await rm(OUT_DIR, { recursive: true, force: true });
  const entryPoints: Record<string, string> = {};
  for (const [name, path] of Object.entries(ENTRIES)) entryPoints[name] = root(path);
  for (const [name, path] of Object.entries(OPTIONAL)) {
    if (existsSync(root(path))) entryPoints[name] = root(path);
  }
  await build({
    entryPoints,
    outdir: OUT_DIR,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    loader: { '.lua': 'text' },
    sourcemap: true,
    logLevel: 'warning',
  });
  const out: Record<string, string> = {};
  for (const name of Object.keys(entryPoints)) out[name] = `${OUT_DIR}${name}.mjs`;
  return out as BuiltWorkers;
}
