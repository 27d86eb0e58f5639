/**
 * The `--stdio "<command>"` splitter: POSIX shell word splitting and quote removal, and nothing
 * else. No expansion, no globbing, no operators: `$HOME`, `*`, `;`, `|`, `>` and backquotes stay
 * literal characters of the words they appear in, because the words go straight to `spawn()`
 * with `shell: false`.
 *
 * @module
 * @internal
 * @see https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_02 (Quoting)
 */

import { invalidArg } from '../../errors.js';

/** The POSIX `<blank>`s and `<newline>` that separate words (the default `IFS`). */
const SEPARATORS: ReadonlySet<string> = new Set([' ', '\t', '\n']);
/** Inside double quotes a backslash escapes only these (POSIX §2.2.3). */
const DOUBLE_QUOTE_ESCAPES: ReadonlySet<string> = new Set(['$', '`', '"', '\\', '\n']);

function malformed(what: string, offset: number): TypeError {
  return invalidArg(
    'ERR_INVALID_ARG_VALUE',
    `The option "command" has ${what} at offset ${offset} (quoting follows POSIX shell rules)`,
  );
}

/** Reads a double-quoted span starting at `open` (the `"`); returns its text and the next index. */
function readDoubleQuoted(command: string, open: number): [string, number] {
  let text = '';
  let i = open + 1;
  while (i < command.length) {
    const c = command[i]!;
    if (c === '"') return [text, i + 1];
    if (c === '\\' && i + 1 < command.length && DOUBLE_QUOTE_ESCAPES.has(command[i + 1]!)) {
      // Backslash-newline is a line continuation: both characters are removed.
      if (command[i + 1] !== '\n') text += command[i + 1];
      i += 2;
      continue;
    }
    text += c;
    i += 1;
  }
  throw malformed('an unterminated double quote', open);
}

/**
 * Splits a command line into the program and its arguments the way a POSIX shell splits words
 * and removes quotes: single quotes keep everything literal, double quotes keep everything but
 * `\$`, `` \` ``, `\"`, `\\` and backslash-newline, and an unquoted backslash escapes the next
 * character. Nothing is expanded or interpreted.
 *
 * @param command - The command line (`--stdio`).
 * @returns The words, at least one; `argv[0]` is the program.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` when `command` is not a string; `ERR_INVALID_ARG_VALUE`
 *   for an unterminated quote, a trailing backslash, a NUL character or an empty command. The
 *   message gives the offset, never the command (it may hold a credential).
 * @example
 * ```ts
 * splitCommandLine(`python "my server.py" --name 'a b'`); // ['python', 'my server.py', '--name', 'a b']
 * ```
 */
export function splitCommandLine(command: string): string[] {
  if (typeof command !== 'string') {
    throw invalidArg('ERR_INVALID_ARG_TYPE', 'The option "command" must be a string');
  }
  const nul = command.indexOf('\0');
  if (nul !== -1) throw malformed('a NUL character', nul);
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < command.length) {
    const c = command[i]!;
    if (c === '\\' && command[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (SEPARATORS.has(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i += 1;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const close = command.indexOf("'", i + 1);
      if (close === -1) throw malformed('an unterminated single quote', i);
      word += command.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      const [text, next] = readDoubleQuoted(command, i);
      word += text;
      i = next;
    } else if (c === '\\') {
      if (i + 1 >= command.length) throw malformed('a trailing backslash', i);
      word += command[i + 1];
      i += 2;
    } else {
      word += c;
      i += 1;
    }
  }
  if (inWord) words.push(word);
  if (words.length === 0) {
    throw invalidArg('ERR_INVALID_ARG_VALUE', 'The option "command" is empty');
  }
  return words;
}
