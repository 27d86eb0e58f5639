/**
 * The packed tarball, built once per vitest run and shared by every test file that needs it, and
 * consumer projects that install it as a user would.
 *
 * Test files run in separate processes: the first caller takes a lock directory (keyed by the
 * run id that `global-setup.ts` provides) and runs `npm run build` + `npm pack`; the others wait
 * for its result file.
 */

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

/** The repository's root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** One file of the tarball, as `npm pack --json` lists it. */
export interface PackedFile {
  readonly path: string;
  readonly size: number;
}

/** What `npm pack` produced. */
export interface PackedPackage {
  /** Absolute path of the `.tgz`. */
  readonly tarball: string;
  /** Size of the `.tgz`, bytes. */
  readonly size: number;
  /** Sum of the files' sizes, bytes. */
  readonly unpackedSize: number;
  readonly files: readonly PackedFile[];
}

const PACK_WAIT_MS = 240_000;

/** The folder of this run's shared artefacts. */
export function runDir(): string {
  return join(tmpdir(), `mcp-authflow-package-${inject('packageRunId')}`);
}

function npm(args: readonly string[], cwd: string): string {
  return execFileSync('npm', [...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 180_000,
  });
}

function build(dir: string): PackedPackage {
  npm(['run', '-s', 'build'], ROOT);
  const [result] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], ROOT)) as {
    filename: string;
    size: number;
    unpackedSize: number;
    files: PackedFile[];
  }[];
  if (result === undefined) throw new Error('npm pack printed no result');
  return {
    tarball: join(dir, result.filename),
    size: result.size,
    unpackedSize: result.unpackedSize,
    files: result.files.map(({ path, size }) => ({ path, size })),
  };
}

/** Builds and packs the package once per run; later calls (from any test file) reuse it. */
export async function packedPackage(): Promise<PackedPackage> {
  const dir = runDir();
  const lock = join(dir, 'pack.lock');
  const done = join(dir, 'pack.json');
  mkdirSync(dir, { recursive: true });
  let owner = false;
  try {
    mkdirSync(lock);
    owner = true;
  } catch {
    // Another test file is packing: wait for its result below.
  }
  if (owner) {
    try {
      writeFileSync(done, JSON.stringify({ ok: build(dir) }));
    } catch (err) {
      writeFileSync(done, JSON.stringify({ error: String(err) }));
    }
  }
  for (const start = Date.now(); !existsSync(done); ) {
    if (Date.now() - start > PACK_WAIT_MS) throw new Error('timed out waiting for npm pack');
    await delay(250);
  }
  const result = JSON.parse(readFileSync(done, 'utf8')) as { ok?: PackedPackage; error?: string };
  if (result.ok === undefined) throw new Error(`packing failed: ${result.error}`);
  return result.ok;
}

/** The version of `name` in the repository's lockfile (so installs hit the npm cache). */
export function lockedVersion(name: string): string | undefined {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  return lock.packages[`node_modules/${name}`]?.version;
}

/**
 * Creates an ESM consumer project in this run's folder and installs the tarball plus `deps`
 * (each pinned to the lockfile's version when it has one).
 */
export function installConsumer(
  name: string,
  tarball: string,
  deps: readonly string[],
  devDeps: readonly string[] = [],
): string {
  const dir = join(runDir(), name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: `consumer-${name}`, private: true, type: 'module' }),
  );
  const pin = (dep: string) => {
    const version = lockedVersion(dep);
    return version === undefined ? dep : `${dep}@${version}`;
  };
  const flags = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
  npm(['install', ...flags, tarball, ...deps.map(pin)], dir);
  if (devDeps.length > 0) npm(['install', '-D', ...flags, ...devDeps.map(pin)], dir);
  return dir;
}
