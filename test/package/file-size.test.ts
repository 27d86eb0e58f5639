import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const LIMIT = 300;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|lua)$/.test(entry.name) ? [relative(ROOT, path)] : [];
  });
}

const lines = (file: string): number =>
  readFileSync(join(ROOT, file), 'utf8').replace(/\n$/, '').split('\n').length;

describe(`source files stay under ${LIMIT} lines`, () => {
  const files = sources(join(ROOT, 'src'));

  it('every file in src/', () => {
    expect(files.length).toBeGreaterThan(0);
    const long = files
      .map((f) => [f, lines(f)] as const)
      .filter(([, n]) => n > LIMIT)
      .map(([f, n]) => `${f}: ${n} lines`);
    expect(long, `split these files (one concept each): ${long.join(', ')}`).toEqual([]);
  });
});
