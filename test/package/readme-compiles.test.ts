import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installConsumer, packedPackage, ROOT } from '../helpers/packed-package.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** A fenced code block of the README: its language, first code line (1-based) and text. */
interface Block {
  readonly lang: string;
  readonly line: number;
  readonly code: string;
}

function blocks(markdown: string): Block[] {
  const found: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i] as string);
    if (open === null) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end] as string)) end++;
    found.push({
      lang: open[1] as string,
      line: start + 1,
      code: lines.slice(start, end).join('\n'),
    });
    i = end;
  }
  return found;
}

/** Packages named by the README's `npm install` lines: `[runtime, dev]`, without the package. */
function installLines(all: readonly Block[]): [string[], string[]] {
  const runtime: string[] = [];
  const dev: string[] = [];
  for (const block of all.filter((b) => b.lang === 'sh')) {
    for (const line of block.code.split('\n')) {
      const words = line.trim().split(/\s+/);
      if (words[0] !== 'npm' || (words[1] !== 'install' && words[1] !== 'i')) continue;
      const isDev = words.includes('-D') || words.includes('--save-dev');
      for (const word of words.slice(2)) {
        if (word.startsWith('-') || word === 'mcp-authflow-resource') continue;
        (isDev ? dev : runtime).push(word);
      }
    }
  }
  return [runtime, dev];
}

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  },
  include: ['blocks/*.ts'],
};

describe('the README', () => {
  const all = blocks(README);
  const tsBlocks = all.filter((b) => b.lang === 'ts' || b.lang === 'typescript');
  const [runtime, dev] = installLines(all);

  it('names its dependencies on install lines', () => {
    expect(runtime).toEqual(
      expect.arrayContaining(['@modelcontextprotocol/sdk', 'express', 'zod']),
    );
    expect(dev).toEqual(expect.arrayContaining(['typescript', '@types/node']));
  });

  it('compiles every TypeScript block as printed against the packed package', {
    timeout: 300_000,
  }, async () => {
    expect(tsBlocks.length).toBeGreaterThan(2);
    const { tarball } = await packedPackage();
    const dir = installConsumer('readme', tarball, runtime, dev);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    mkdirSync(join(dir, 'blocks'), { recursive: true });
    const files = new Map<string, Block>();
    tsBlocks.forEach((block, i) => {
      const name = `block-${String(i + 1).padStart(2, '0')}-line-${block.line}.ts`;
      // `export {}` keeps every block a module, as a file of the user's would be.
      writeFileSync(join(dir, 'blocks', name), `${block.code}\nexport {};\n`);
      files.set(name, block);
    });
    let output = '';
    try {
      execFileSync(process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', '.'], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 120_000,
      });
    } catch (err) {
      output = String((err as { stdout?: string }).stdout ?? err);
    }
    // Point each error at the README line: `README.md:<line> (ts block n): error TS…`.
    const errors = output
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => {
        const m = /^blocks\/(block-(\d+)-line-\d+\.ts)\((\d+),(\d+)\): (.*)$/.exec(l);
        const block = m === null ? undefined : files.get(m[1] as string);
        if (m === null || block === undefined) return l;
        return `README.md:${block.line + Number(m[3]) - 1}:${m[4]} (ts block ${Number(m[2])}): ${m[5]}`;
      });
    expect(errors, `README code does not compile:\n${errors.join('\n')}`).toEqual([]);
  });
});
