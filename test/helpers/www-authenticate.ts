/**
 * Test helper: a strict parser of `WWW-Authenticate` values (RFC 9110 §11.6.1 challenges with
 * auth-params; quoted-string per §5.6.4), to check what the challenge builder writes.
 *
 * @module
 */

/** One parsed challenge. */
export interface ParsedChallenge {
  readonly scheme: string;
  readonly params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;

/**
 * Parses a header holding one challenge with auth-params (`Bearer a="x", b=y`).
 *
 * @throws Error when the value is not exactly one well-formed challenge.
 */
export function parseWwwAuthenticate(header: string): ParsedChallenge {
  const scheme = TOKEN.exec(header)?.[0];
  if (scheme === undefined) throw new Error('no scheme');
  let rest = header.slice(scheme.length);
  const params: Record<string, string> = {};
  if (rest === '') return { scheme, params };
  if (!rest.startsWith(' ')) throw new Error('expected a space after the scheme');
  rest = rest.replace(/^ +/, '');
  for (let guard = 0; rest !== '' && guard < 1000; guard++) {
    const name = TOKEN.exec(rest)?.[0];
    if (name === undefined || rest[name.length] !== '=') throw new Error(`bad param at: ${rest}`);
    rest = rest.slice(name.length + 1);
    let value: string;
    if (rest.startsWith('"')) {
      [value, rest] = readQuoted(rest);
    } else {
      value = TOKEN.exec(rest)?.[0] ?? '';
      if (value === '') throw new Error('empty token value');
      rest = rest.slice(value.length);
    }
    if (name.toLowerCase() in params) throw new Error(`duplicate param ${name}`);
    params[name.toLowerCase()] = value;
    const separator = /^[ \t]*,[ \t]*/.exec(rest);
    if (separator === null && rest !== '') throw new Error(`expected a comma at: ${rest}`);
    if (separator !== null) rest = rest.slice(separator[0].length);
  }
  return { scheme, params };
}

function readQuoted(text: string): [string, string] {
  let value = '';
  for (let i = 1; i < text.length; i++) {
    const char = text[i] as string;
    const code = char.charCodeAt(0);
    if (char === '"') return [value, text.slice(i + 1)];
    if (char === '\\') {
      const next = text[i + 1];
      if (next === undefined) break;
      value += next;
      i++;
    } else if (code === 0x09 || (code >= 0x20 && code !== 0x7f && code <= 0xff)) {
      value += char;
    } else {
      throw new Error('illegal character in quoted-string');
    }
  }
  throw new Error('unterminated quoted-string');
}

/**
 * Parses a header holding several challenges (`Bearer a="x", DPoP algs="ES256"`): it splits before
 * each `, <scheme> ` whose scheme is not followed by `=`, then parses each part strictly.
 */
export function parseWwwAuthenticateList(header: string): ParsedChallenge[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const char = header[i];
    if (char === '\\' && quoted) i++;
    else if (char === '"') quoted = !quoted;
    else if (
      char === ',' &&
      !quoted &&
      /^,[ \t]*[!#$%&'*+\-.^_`|~0-9A-Za-z]+( |$)/.test(header.slice(i))
    ) {
      parts.push(header.slice(start, i));
      start = i + 1;
      while (header[start] === ' ') start++;
    }
  }
  parts.push(header.slice(start));
  return parts.map(parseWwwAuthenticate);
}
