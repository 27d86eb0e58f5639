import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');
const readme = read('README.md');
const example = read('examples/protect-mcp-server.ts');

/** The code blocks that follow a `<!-- marker: examples/protect-mcp-server.ts -->` comment. */
function markedBlocks(marker: string): string[] {
  const pattern = new RegExp(
    `<!-- ${marker}: examples/protect-mcp-server\\.ts -->\\n\`\`\`ts\\n([\\s\\S]*?)\`\`\`\\n`,
    'g',
  );
  return [...readme.matchAll(pattern)].map((m) => m[1] as string);
}

/** `name → module` for every name a block of import declarations imports. */
function importedNames(code: string): Map<string, string> {
  const names = new Map<string, string>();
  const pattern = /import (?:type )?\{([^}]*)\} from '([^']+)'/g;
  for (const [, list, from] of code.matchAll(pattern)) {
    for (const raw of (list as string).split(',')) {
      const name = raw.replace(/^\s*type\s+/, '').trim();
      if (name !== '') names.set(name, from as string);
    }
  }
  return names;
}

/** The `readonly` fields declared directly in `interface NAME` / `type NAME = … {` of `file`. */
function optionNames(file: string, name: string): string[] {
  const source = read(file);
  const block = new RegExp(`(?:interface|type) ${name}\\b[^{]*\\{([\\s\\S]*?)\\n\\}`).exec(source);
  if (block === null) throw new Error(`${name} not found in ${file}`);
  return [...(block[1] as string).matchAll(/^ {2}readonly (\w+)\??:/gm)].map((m) => m[1] as string);
}

describe('README', () => {
  it('has the two-command quick start', () => {
    expect(readme).toContain('```sh\nnpm ci && npm run demo\n```');
    expect(readme).toContain('```sh\nnpm ci && npm test\n```');
  });

  it('shows code that is the type-checked example: its imports, then a verbatim excerpt', () => {
    const [block] = markedBlocks('excerpt');
    const code = block ?? '';
    const cut = code.indexOf('\n\n/**');
    const head = code.slice(0, cut);
    const body = code.slice(cut + 2);
    expect(body.split('\n').length).toBeGreaterThan(20);
    expect(example).toContain(body);
    const shown = importedNames(head);
    const real = importedNames(example);
    expect(shown.size).toBeGreaterThan(5);
    for (const [name, from] of shown) {
      expect(real.has(name), name).toBe(true);
      const source = real.get(name) as string;
      if (from.startsWith('mcp-authflow-resource')) expect(source).toMatch(/^\.\.\/src\//);
      else expect(source).toBe(from);
    }
    // Everything the excerpt uses that the example imports is shown.
    for (const name of real.keys()) {
      if (new RegExp(`\\b${name}\\b`).test(body)) expect(shown.has(name), name).toBe(true);
    }
  });

  it.each([
    ['src/verify/introspection/types.ts', 'IntrospectionTokenVerifierOptions', ''],
    ['src/verify/cache.ts', 'IntrospectionCacheOptions', 'cache.'],
    ['src/verify/jwt/types.ts', 'JwtTokenVerifierOptions', ''],
    ['src/verify/jwt/types.ts', 'JwtVerdictCacheOptions', 'cache.'],
    ['src/discovery/endpoints.ts', 'OAuthDiscoveryOptions', ''],
    ['src/discovery/protected-resource.ts', 'ProtectedResourceMetadataBase', ''],
    ['src/http/bearer-options.ts', 'BearerAuthOptions', ''],
    ['src/friction/config-types.ts', 'ControllerConfig', ''],
    ['src/friction/config-types.ts', 'ToolFrictionConfig', ''],
    ['src/friction/config-types.ts', 'ToolGroupConfig', ''],
    ['src/friction/registry-options.ts', 'FrictionRegistryOptions', ''],
    ['src/store/redis.ts', 'RedisStoreOptions', ''],
  ])('documents every option of %s %s', (file, name, prefix) => {
    const options = optionNames(file, name);
    expect(options.length).toBeGreaterThan(1);
    for (const option of options) expect(readme, option).toContain(`| \`${prefix}${option}\` |`);
  });
});
