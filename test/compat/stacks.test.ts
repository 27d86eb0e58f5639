/**
 * The supported stacks, as a user installs them: the package is built and packed once, then the
 * tarball goes into one fresh project per stack next to that stack's client or framework, with
 * plain `npm install` (no `--force`, no `--legacy-peer-deps`, strict peer checks), and a script
 * exercises it there: the store essentials on real Redis, or the gate and discovery in a real
 * Express app on 127.0.0.1. Installs run in parallel from the npm cache (`--prefer-offline`).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeRedis, REDIS_URL } from '../helpers/redis-env.js';

interface Stack {
  readonly name: string;
  /** What the project installs besides the tarball and the MCP SDK. */
  readonly install: readonly string[];
  /** The check script and its arguments. */
  readonly check: readonly string[];
  /** The MCP SDK version (the default is the one this repository tests with). */
  readonly sdk?: string;
}

const ROOT = resolve(import.meta.dirname, '../..');
const SDK_RANGE_FLOOR = '1.32.0';

/** The matrix (README "Supported stacks"). */
const STACKS: readonly Stack[] = [
  { name: 'ioredis 5', install: ['ioredis@5'], check: ['check-store.mjs', 'ioredis'] },
  { name: 'ioredis 6', install: ['ioredis@6'], check: ['check-store.mjs', 'ioredis'] },
  { name: 'node-redis 5', install: ['redis@5'], check: ['check-store.mjs', 'redis'] },
  { name: 'node-redis 6', install: ['redis@6'], check: ['check-store.mjs', 'redis'] },
  { name: 'iovalkey', install: ['iovalkey@0'], check: ['check-store.mjs', 'iovalkey'] },
  // The SDK at the floor of its peer range, once.
  { name: 'Express 4', install: ['express@4'], check: ['check-express.mjs'], sdk: SDK_RANGE_FLOOR },
  { name: 'Express 5', install: ['express@5'], check: ['check-express.mjs'] },
];

interface Outcome {
  readonly ok: boolean;
  readonly output: string;
}

/** The environment of a child npm: none of the parent `npm test`'s `npm_*` settings. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.toLowerCase().startsWith('npm_')) env[k] = v;
  }
  return { ...env, ...extra };
}

function run(
  cmd: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = cleanEnv(),
): Promise<Outcome> {
  return new Promise((done) => {
    execFile(cmd, args, { cwd, env, timeout: 180_000, maxBuffer: 8 << 20 }, (err, out, errOut) => {
      done({ ok: err === null, output: `${cmd} ${args.join(' ')}\n${out}${errOut}`.trim() });
    });
  });
}

async function must(cmd: string, args: readonly string[], cwd: string): Promise<string> {
  const outcome = await run(cmd, args, cwd);
  if (!outcome.ok) throw new Error(outcome.output);
  return outcome.output;
}

/** Builds the library into a staging copy (the worktree's `dist` is left alone) and packs it. */
async function packTarball(dir: string): Promise<string> {
  const staging = join(dir, 'package');
  mkdirSync(staging);
  await must('npx', ['tsup', '--silent', '--out-dir', join(staging, 'dist')], ROOT);
  for (const file of ['package.json', 'README.md']) {
    copyFileSync(join(ROOT, file), join(staging, file));
  }
  await must('npm', ['pack', '--silent', '--pack-destination', dir], staging);
  const { version, name } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  return join(dir, `${name}-${version}.tgz`);
}

function installedSdkVersion(): string {
  const file = join(ROOT, 'node_modules/@modelcontextprotocol/sdk/package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

async function runStack(stack: Stack, dir: string, tarball: string): Promise<Outcome> {
  const project = join(dir, stack.name.replace(/\W+/g, '-'));
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'compat-project', private: true, type: 'module' }),
  );
  const script = stack.check[0] as string;
  copyFileSync(join(import.meta.dirname, 'fixtures', script), join(project, script));
  const sdk = `@modelcontextprotocol/sdk@${stack.sdk ?? installedSdkVersion()}`;
  const flags = ['--prefer-offline', '--no-audit', '--no-fund', '--strict-peer-deps'];
  const install = await run(
    'npm',
    ['install', ...flags, '--ignore-scripts', '--loglevel=error', tarball, sdk, ...stack.install],
    project,
  );
  if (!install.ok) return install;
  const keyPrefix = `mcp-authflow-compat:${process.pid}:${randomBytes(4).toString('hex')}:`;
  const env = cleanEnv({ REDIS_URL, KEY_PREFIX: keyPrefix });
  return run(process.execPath, stack.check, project, env);
}

describeRedis('compatibility stacks (packed tarball, fresh projects)', () => {
  let dir: string;
  const outcomes = new Map<string, Outcome>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-authflow-compat-'));
    const started = performance.now();
    const tarball = await packTarball(dir);
    const results = await Promise.all(STACKS.map((stack) => runStack(stack, dir, tarball)));
    for (const [i, stack] of STACKS.entries()) outcomes.set(stack.name, results[i] as Outcome);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.info(`compat: ${STACKS.length} stacks packed, installed and checked in ${seconds} s`);
  }, 240_000);

  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it.each(STACKS.map((s) => s.name))('%s installs without --force and passes', (name) => {
    const outcome = outcomes.get(name);
    expect(outcome, 'the stack ran').toBeDefined();
    if (!outcome?.ok) throw new Error(`${name} failed:\n${outcome?.output.slice(-4000)}`);
    expect(outcome.output).toMatch(/\nok /);
  });
});
