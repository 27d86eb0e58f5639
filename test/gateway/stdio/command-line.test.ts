import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitCommandLine } from '../../../src/gateway/stdio/command-line.js';

/** POSIX single-quote quoting: `'` → `'\''`. */
const singleQuote = (arg: string): string => `'${arg.replaceAll("'", `'\\''`)}'`;
/** POSIX double-quote quoting: escape the four characters a backslash escapes there. */
const doubleQuote = (arg: string): string => `"${arg.replace(/[$`"\\]/g, (c) => `\\${c}`)}"`;
/** Backslash before every character; a newline is single-quoted (backslash-newline is removed). */
const backslashed = (arg: string): string =>
  arg === '' ? "''" : [...arg].map((c) => (c === '\n' ? `'\n'` : `\\${c}`)).join('');
const QUOTERS = [singleQuote, doubleQuote, backslashed];

const METACHARACTERS = [...'|&;<>()$`*?[]{}~#!=%^,:@+-'];
const argument = fc.string({ unit: 'binary' }).map((s) => s.replaceAll('\0', ''));
const literalWord = fc
  .array(fc.constantFrom(...METACHARACTERS, 'a', 'Z', '9', '/', '.'), { minLength: 1 })
  .map((chars) => chars.join(''));

describe('splitCommandLine: POSIX quoting, no shell', () => {
  it('round-trips any argv through any mix of the three quoting styles', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(argument, fc.nat(2)), { minLength: 1, maxLength: 8 }),
        fc.constantFrom(' ', '\t', '  ', '\n', ' \\\n '),
        (parts, separator) => {
          const argv = parts.map(([arg]) => arg);
          const line = parts.map(([arg, q]) => QUOTERS[q]!(arg)).join(separator);
          expect(splitCommandLine(line)).toEqual(argv);
        },
      ),
    );
  });

  it('never interprets a shell metacharacter: unquoted words come back verbatim', () => {
    fc.assert(
      fc.property(fc.array(literalWord, { minLength: 1, maxLength: 8 }), (words) => {
        expect(splitCommandLine(words.join(' '))).toEqual(words);
      }),
    );
  });

  it('agrees with /bin/sh on quote removal (sh only prints its arguments)', () => {
    const shQuotable = fc.string({ unit: 'grapheme-ascii', maxLength: 12 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(shQuotable, fc.nat(2)), { minLength: 1, maxLength: 4 }),
        (parts) => {
          const line = parts.map(([arg, q]) => QUOTERS[q]!(arg)).join(' ');
          const fromSh = execFileSync('/bin/sh', [
            '-c',
            `for a in ${line}; do printf '%s\\0' "$a"; done`,
          ])
            .toString('utf8')
            .split('\0')
            .slice(0, -1);
          expect(splitCommandLine(line)).toEqual(fromSh);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('splits the examples the way a shell user expects', () => {
    expect(splitCommandLine(`python "my server.py" --name 'a b'`)).toEqual([
      'python',
      'my server.py',
      '--name',
      'a b',
    ]);
    expect(splitCommandLine(`a\\ b "x\\y" "\\$HOME" '\\n' it\\'s`)).toEqual([
      'a b',
      'x\\y',
      '$HOME',
      '\\n',
      "it's",
    ]);
    expect(splitCommandLine(`node srv.js; rm -rf / && echo $(id) | cat > /tmp/x`)).toEqual([
      'node',
      'srv.js;',
      'rm',
      '-rf',
      '/',
      '&&',
      'echo',
      '$(id)',
      '|',
      'cat',
      '>',
      '/tmp/x',
    ]);
    expect(splitCommandLine(`  cmd '' ""  `)).toEqual(['cmd', '', '']);
    expect(splitCommandLine('a"b"\'c\'d')).toEqual(['abcd']);
  });

  it.each([
    [`node 'server.js`, 'an unterminated single quote at offset 5'],
    [`node "server.js`, 'an unterminated double quote at offset 5'],
    [`node "a\\"`, 'an unterminated double quote at offset 5'],
    ['node server.js\\', 'a trailing backslash at offset 14'],
    ['node a\0b', 'a NUL character at offset 6'],
  ])('refuses %j with a clear error that does not echo the command', (line, what) => {
    expect(() => splitCommandLine(line)).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_ARG_VALUE',
        message: expect.stringContaining(what),
      }),
    );
    try {
      splitCommandLine(line);
    } catch (err) {
      expect((err as Error).message).not.toContain('server.js');
      expect(err).toBeInstanceOf(TypeError);
    }
  });

  it('refuses an empty command and a non-string', () => {
    for (const line of ['', '   ', '\\\n']) {
      expect(() => splitCommandLine(line)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }),
      );
    }
    expect(() => splitCommandLine(42 as unknown as string)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
  });
});
