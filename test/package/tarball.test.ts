import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  installConsumer,
  type PackedPackage,
  packedPackage,
  ROOT,
} from '../helpers/packed-package.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, unknown>;
  peerDependencies: Record<string, string>;
};
const subpaths = Object.keys(pkg.exports).filter((s) => s !== './package.json');
const specifiers = subpaths.map((s) => (s === '.' ? pkg.name : `${pkg.name}/${s.slice(2)}`));

/** What the tarball may hold: the built library, its declarations and the package's papers. */
const ALLOWED = /^(dist\/[\w.-]+\.(js|d\.ts)|README\.md|LICENSE|CHANGELOG\.md|package\.json)$/;

let packed: PackedPackage;
let consumer: string;

function node(args: readonly string[]): string {
  return execFileSync(process.execPath, [...args], {
    cwd: consumer,
    encoding: 'utf8',
    timeout: 30_000,
  }).trim();
}

describe('the packed tarball', () => {
  beforeAll(async () => {
    packed = await packedPackage();
    // Runtime dependencies come with the tarball; add the peers only, as a user would.
    consumer = installConsumer('runtime', packed.tarball, Object.keys(pkg.peerDependencies));
  }, 300_000);

  it('holds the library, its types and the papers, nothing else', () => {
    const paths = packed.files.map((f) => f.path);
    const stray = paths.filter((p) => !ALLOWED.test(p));
    expect(stray, `unexpected files in the tarball: ${stray.join(', ')}`).toEqual([]);
    for (const required of ['README.md', 'LICENSE', 'CHANGELOG.md', 'package.json']) {
      expect(paths).toContain(required);
    }
    expect(paths).toContain('dist/cli.js');
    for (const entry of ['index', 'express', 'node', 'redis', 'sdk-v1', 'sdk-v2']) {
      expect(paths).toContain(`dist/${entry}.js`);
      expect(paths).toContain(`dist/${entry}.d.ts`);
    }
    expect(paths.some((p) => p.endsWith('.map'))).toBe(false);
    // ~300 KB unpacked today; a bundled dependency or fixture would show here first.
    expect(packed.unpackedSize).toBeLessThan(600_000);
  });

  it('bundles no test fixture, demo or development dependency', () => {
    const dist = join(consumer, 'node_modules', pkg.name, 'dist');
    for (const file of readdirSync(dist).filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(join(dist, file), 'utf8');
      expect(code, file).not.toMatch(/oidc-provider|test\/helpers|sourceMappingURL/);
      expect(code, file).not.toMatch(/\bzod\b|ZodError|\$ZodType/);
      expect(code, file).not.toMatch(/runDemo|DemoCheckError/);
    }
  });

  it('declares the gateway bin; `npx mcp-authflow-resource gateway --help` works after a plain install', () => {
    const installed = JSON.parse(
      readFileSync(join(consumer, 'node_modules', pkg.name, 'package.json'), 'utf8'),
    ) as { bin?: unknown };
    expect(installed.bin).toEqual({ 'mcp-authflow-resource': './dist/cli.js' });
    // Nothing but the tarball: what `npm install mcp-authflow-resource` gives a user.
    const plain = installConsumer('plain', packed.tarball, []);
    const npx = (args: readonly string[]) =>
      spawnSync('npx', ['--no', 'mcp-authflow-resource', ...args], {
        cwd: plain,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, AUTHFLOW_CONFIG: '' },
      });
    const help = npx(['gateway', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(
      /^Usage: mcp-authflow-resource gateway \(--upstream <url> \| --stdio/,
    );
    expect(help.stdout).toContain('--tool-scope <tool>=<a,b>');
    const bad = npx(['gateway', '--upstream', 'http://127.0.0.1:1/mcp', '--port', 'x']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--port: must be a whole number');
  }, 240_000);

  it.each(specifiers)('imports %s with import and require', (specifier) => {
    const viaImport = node([
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(specifier)}); console.log(Object.keys(m).sort().join(','));`,
    ]);
    const viaRequire = node([
      '-e',
      `console.log(Object.keys(require(${JSON.stringify(specifier)})).filter((k) => k !== '__esModule' && k !== 'module.exports').sort().join(','));`,
    ]);
    expect(viaImport.length).toBeGreaterThan(0);
    expect(viaRequire).toBe(viaImport);
  });

  it('finds its types under moduleResolution node10 (main/types/typesVersions)', () => {
    const lines = specifiers.map((s, i) => `import * as m${i} from '${s}';\nvoid m${i};`);
    lines.push(
      `import { IntrospectionTokenVerifier } from '${pkg.name}';`,
      `import { RedisStore } from '${pkg.name}/redis';`,
      'export const names: string[] = [IntrospectionTokenVerifier.name, RedisStore.name];',
    );
    writeFileSync(join(consumer, 'node10.ts'), `${lines.join('\n')}\n`);
    const tsconfig = {
      compilerOptions: {
        module: 'commonjs',
        moduleResolution: 'node10',
        target: 'ES2022',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: [],
      },
      files: ['node10.ts'],
    };
    writeFileSync(join(consumer, 'tsconfig.node10.json'), JSON.stringify(tsconfig));
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    let out = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', 'tsconfig.node10.json'], {
        cwd: consumer,
        encoding: 'utf8',
        timeout: 60_000,
      });
    } catch (err) {
      out = String((err as { stdout?: string }).stdout ?? err);
    }
    expect(out).toBe('');
  }, 90_000);
});
