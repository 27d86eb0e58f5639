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
  return replaceNames(body, values);
}

const isWord = (c: string | undefined): boolean =>
  c !== undefined &&
  ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c === '_');

/** End of the quoted string opened at `i` (after its closing quote, or at the line's end). */
function stringEnd(text: string, i: number): number {
  const quote = text[i];
  let j = i + 1;
  while (j < text.length && text[j] !== quote && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
  return Math.min(j + 1, text.length);
}

/**
 * `text` with every whole word that is a key of `values` replaced by its value, except in quoted
 * strings, in `--` comments and after a `.` (a field). One linear scan, no regular expression
 * (names are data here, and a scan cannot backtrack).
 */
function replaceNames(text: string, values: ReadonlyMap<string, string>): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    let j = i + 1;
    if (c === "'" || c === '"') j = stringEnd(text, i);
    else if (c === '-' && text[i + 1] === '-') {
      const eol = text.indexOf('\n', i);
      j = eol === -1 ? text.length : eol;
    } else if (isWord(c)) {
      while (isWord(text[j])) j++;
      const word = text.slice(i, j);
      const value = text[i - 1] === '.' ? undefined : values.get(word);
      out += value ?? word;
      i = j;
      continue;
    }
    out += text.slice(i, j);
    i = j;
  }
  return out;
}
