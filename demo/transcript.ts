/**
 * The demo's transcript: numbered steps, indented details and checked expectations, written to a
 * stream, in colour only when that stream is a terminal and `NO_COLOR` is unset.
 *
 * @module
 * @internal
 */

/** An expectation of the demo that did not hold. */
export class DemoCheckError extends Error {
  override readonly name = 'DemoCheckError';
}

/** Where the transcript goes (`process.stdout` or a test buffer). */
export interface TranscriptSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

type Style = 'bold' | 'dim' | 'green' | 'red' | 'yellow' | 'cyan' | 'magenta';

const CODES: Readonly<Record<Style, [number, number]>> = {
  bold: [1, 22],
  dim: [2, 22],
  green: [32, 39],
  red: [31, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  magenta: [35, 39],
};

/**
 * Whether to colour `sink`: a terminal, and `NO_COLOR` unset or empty (https://no-color.org).
 *
 * @param sink - The output stream.
 * @param env - The environment.
 */
export function colourEnabled(sink: TranscriptSink, env: NodeJS.ProcessEnv): boolean {
  const noColor = env.NO_COLOR;
  return sink.isTTY === true && (noColor === undefined || noColor === '');
}

/** Writes the demo's transcript. */
export class Transcript {
  readonly #sink: TranscriptSink;
  readonly #colour: boolean;
  #step = 0;

  /**
   * @param sink - The output stream.
   * @param colour - Whether to emit ANSI colours.
   */
  constructor(sink: TranscriptSink, colour: boolean) {
    this.#sink = sink;
    this.#colour = colour;
  }

  /** Number of steps started so far. */
  get steps(): number {
    return this.#step;
  }

  /** `text` in `style` (unchanged when colour is off). */
  paint(style: Style, text: string): string {
    if (!this.#colour) return text;
    const [on, off] = CODES[style];
    return `\x1b[${on}m${text}\x1b[${off}m`;
  }

  /** A line at the left margin. */
  line(text = ''): void {
    this.#sink.write(`${text}\n`);
  }

  /** Starts the next numbered step. */
  step(title: string): void {
    this.#step += 1;
    this.line();
    this.line(this.paint('bold', `${this.#step}. ${title}`));
  }

  /** An indented detail line of the current step. */
  detail(text: string): void {
    for (const part of text.split('\n')) this.line(`   ${part}`);
  }

  /** A dimmed, indented note. */
  note(text: string): void {
    this.detail(this.paint('dim', text));
  }

  /**
   * Checks one expectation of the current step: prints `✓ what` when `ok`, otherwise throws.
   *
   * @throws DemoCheckError naming `what` when `ok` is false.
   */
  check(ok: boolean, what: string): void {
    if (!ok) throw new DemoCheckError(what);
    this.detail(`${this.paint('green', '✓')} ${what}`);
  }

  /** Reports a failed expectation or an unexpected error. */
  fail(what: string): void {
    this.detail(`${this.paint('red', '✗')} ${what}`);
  }
}

/** Colours for an HTTP status: green 2xx, yellow 4xx, red otherwise. */
export function statusStyle(status: number): Style {
  if (status >= 200 && status < 300) return 'green';
  if (status >= 400 && status < 500) return 'yellow';
  return 'red';
}

/**
 * The text of a tool result's first text block.
 *
 * @param result - A `CallToolResult` as the SDK client returns it.
 */
export function resultText(result: unknown): string {
  const content = (result as { content?: unknown } | null)?.content;
  if (!Array.isArray(content)) return '';
  const block = (content as unknown[]).find(
    (c): c is { text: string } => typeof (c as { text?: unknown })?.text === 'string',
  );
  return block?.text ?? '';
}
