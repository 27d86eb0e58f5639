/**
 * Folds a step script's numeric constants into its code: every `local NAME = <number>` line
 * (the configuration, the layout offsets, the `fexp` constants) is removed and `NAME` replaced by
 * the literal wherever it is read. A script runs top to bottom on every `EVALSHA`, and each
 * function it defines is a new closure over the locals it reads, so every constant local costs
 * an upvalue per closure per call; a literal costs nothing, and Lua folds arithmetic between
 * literals when it compiles the script (IEEE operations on the same doubles, so the values are
 * exactly those the locals gave).
 *
 * @module
 * @internal
 */

/** `local NAME = 12`, `local NAME = (0.15)`, `local NAME = (-0.0)`, with an optional comment. */
const CONSTANT = /^local ([A-Z][A-Z0-9_]*) = (\(?-?[0-9][0-9.e+-]*\)?)(?: --.*)?$/gm;

/** Quoted strings and comments, left as they are. */
const SKIPPED = String.raw`'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|--[^\n]*`;

/**
 * `script` with its numeric constant locals folded in (names are upper case; none is a string,
 * a field or a table, which stay as they are).
 */
export function foldConstants(script: string): string {
  const values = new Map<string, string>();
  const body = script.replace(CONSTANT, (_line, name: string, value: string) => {
    values.set(name, value.startsWith('(') ? value : `(${value})`);
    return '';
  });
  if (values.size === 0) return body;
  const names = [...values.keys()].sort((a, b) => b.length - a.length);
  const use = new RegExp(`${SKIPPED}|(?<![.\\w])(${names.join('|')})(?!\\w)`, 'g');
  return body.replace(use, (text: string, name?: string) =>
    name === undefined ? text : values.get(name)!,
  );
}
