import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { packedPackage } from '../helpers/packed-package.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  name: string;
  exports: Record<string, unknown>;
};
const subpaths = Object.keys(pkg.exports).filter((s) => s !== './package.json');

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { encoding: 'utf8', timeout: 30_000 });
}

describe('the built package', () => {
  // Builds dist/ once per run (shared with the tarball tests), so no file reads a half-built dist.
  beforeAll(async () => {
    await packedPackage();
  }, 300_000);

  it.each(subpaths)('imports %s through import() and require()', (subpath) => {
    const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
    const viaImport = node([
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(specifier)}); console.log(Object.keys(m).sort().join(','));`,
    ]).trim();
    const viaRequire = node([
      '-e',
      `console.log(Object.keys(require(${JSON.stringify(specifier)})).filter((k) => k !== '__esModule' && k !== 'module.exports').sort().join(','));`,
    ]).trim();
    expect(viaImport.length).toBeGreaterThan(0);
    expect(viaRequire).toBe(viaImport);
  });

  it('the core entry exposes the documented names and no framework', () => {
    const names = node([
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(pkg.name)}); console.log(Object.keys(m).join(','));`,
    ])
      .trim()
      .split(',');
    for (const name of [
      'IntrospectionTokenVerifier',
      'isSafeUrl',
      'FrictionRegistry',
      'frictionControlled',
      'withFriction',
      'buildProtectedResourceMetadata',
      'requireBearerAuth',
      'validateListResponse',
      'JwtTokenVerifier',
      'CompositeTokenVerifier',
      'VerifierUnavailableError',
    ]) {
      expect(names).toContain(name);
    }
    const core = readFileSync('dist/index.js', 'utf8');
    expect(core).not.toMatch(/from ["']express["']/);
    expect(core).not.toMatch(/oidc-provider/);
  });

  it('only the /sdk-v1 and /sdk-v2 entries import an MCP SDK line', () => {
    const files = readdirSync('dist').filter((f) => f.endsWith('.js'));
    const importing = files.filter((f) =>
      /from ["']@modelcontextprotocol\//.test(readFileSync(`dist/${f}`, 'utf8')),
    );
    const bridge = importing.filter((f) => f.startsWith('upstream-'));
    expect(importing.filter((f) => !bridge.includes(f)).sort()).toEqual(['sdk-v1.js', 'sdk-v2.js']);
    // The gateway's stdio bridge (SDK 1.x server transport) is one chunk, reached only by the
    // CLI's dynamic import, never by a library entry or a chunk they load.
    expect(bridge).toHaveLength(1);
    const loaders = files.filter((f) =>
      readFileSync(`dist/${f}`, 'utf8').includes(`./${bridge[0]}`),
    );
    expect(loaders).toEqual(['cli.js']);
    expect(readFileSync('dist/cli.js', 'utf8')).toContain(`import("./${bridge[0]}")`);
  });

  it('passes publint', () => {
    const out = execFileSync('npx', ['publint', '--strict'], { encoding: 'utf8', timeout: 60_000 });
    expect(out).not.toMatch(/error/i);
  }, 90_000);
});
