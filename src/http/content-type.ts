/**
 * Strict reading of a request's `Content-Type`: the gate reads a body only when it can decode it
 * exactly as the MCP SDK transports do, and refuses every other request.
 *
 * @module
 * @internal
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-8.3
 */

/** RFC 9110 §5.6.2 `tchar`. */
const TOKEN_CHAR = /^[!#$%&'*+.^_`|~0-9A-Za-z-]$/;
/** RFC 9110 §5.6.4 `qdtext` and the second character of a `quoted-pair`, ASCII only. */
const QUOTED_CHAR = /^[\t\x20-\x7e]$/;

class Scanner {
  index = 0;
  constructor(readonly text: string) {}
  get done(): boolean {
    return this.index >= this.text.length;
  }
  peek(): string | undefined {
    return this.text[this.index];
  }
  skipWhitespace(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.index += 1;
  }
  token(): string | undefined {
    const start = this.index;
    while (!this.done && TOKEN_CHAR.test(this.peek() as string)) this.index += 1;
    return this.index === start ? undefined : this.text.slice(start, this.index);
  }
  quoted(): string | undefined {
    this.index += 1;
    let value = '';
    for (;;) {
      const char = this.peek();
      this.index += 1;
      if (char === '"') return value;
      if (char === '\\') {
        const escaped = this.peek();
        this.index += 1;
        if (escaped === undefined || !QUOTED_CHAR.test(escaped)) return undefined;
        value += escaped;
      } else if (char === undefined || !QUOTED_CHAR.test(char)) {
        return undefined;
      } else {
        value += char;
      }
    }
  }
}

/** A parsed media type: lower-cased `type/subtype` and parameters (names lower-cased). */
export interface MediaType {
  readonly essence: string;
  readonly parameters: ReadonlyMap<string, string>;
}

/**
 * Parses one `Content-Type` value by the RFC 9110 grammar, in linear time. Anything outside it
 * (a no-break space, a byte over 0x7E, a comma from joined duplicates, a repeated parameter) is
 * `undefined`: a value another parser could read differently is never guessed at.
 */
export function parseMediaType(value: string): MediaType | undefined {
  const scan = new Scanner(value);
  scan.skipWhitespace();
  const type = scan.token();
  if (type === undefined || scan.peek() !== '/') return undefined;
  scan.index += 1;
  const subtype = scan.token();
  if (subtype === undefined) return undefined;
  const parameters = new Map<string, string>();
  for (;;) {
    scan.skipWhitespace();
    if (scan.done) break;
    if (scan.peek() !== ';') return undefined;
    scan.index += 1;
    scan.skipWhitespace();
    if (scan.done || scan.peek() === ';') continue;
    const name = scan.token()?.toLowerCase();
    if (name === undefined || scan.peek() !== '=') return undefined;
    scan.index += 1;
    const parameter = scan.peek() === '"' ? scan.quoted() : scan.token();
    if (parameter === undefined || parameters.has(name)) return undefined;
    parameters.set(name, parameter);
  }
  return { essence: `${type}/${subtype}`.toLowerCase(), parameters };
}

/**
 * Whether the request's `Content-Type` header(s) say a UTF-8 JSON body the way the SDK transport
 * reads it: exactly one header, media type `application/json` (the only one the SDK's
 * `StreamableHTTPServerTransport` accepts), no `charset` or `charset=utf-8` (the SDK decodes
 * every body as UTF-8 whatever the header says, so any other charset would be read differently).
 *
 * @param values - Every `Content-Type` value received, in order.
 */
export function isUtf8JsonContentType(values: readonly string[]): boolean {
  if (values.length !== 1) return false;
  // The value nearly every client sends, answered without the parser (same answer).
  if (values[0] === 'application/json') return true;
  const media = parseMediaType(values[0] as string);
  if (media === undefined || media.essence !== 'application/json') return false;
  const charset = media.parameters.get('charset');
  return charset === undefined || charset.toLowerCase() === 'utf-8';
}
