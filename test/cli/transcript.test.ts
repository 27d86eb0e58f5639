import { describe, expect, it } from 'vitest';
import { challengeParams } from '../../demo/http-trace.js';
import { colourEnabled, DemoCheckError, resultText, Transcript } from '../../demo/transcript.js';

function buffer(isTTY = false) {
  const chunks: string[] = [];
  return { isTTY, write: (text: string) => chunks.push(text), text: () => chunks.join('') };
}

describe('colourEnabled', () => {
  it('colours a terminal unless NO_COLOR is set to a non-empty value', () => {
    expect(colourEnabled(buffer(true), {})).toBe(true);
    expect(colourEnabled(buffer(true), { NO_COLOR: '' })).toBe(true);
    expect(colourEnabled(buffer(true), { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled(buffer(false), {})).toBe(false);
  });
});

describe('Transcript', () => {
  it('numbers steps, prints passed checks and throws on a failed one', () => {
    const sink = buffer();
    const out = new Transcript(sink, false);
    out.step('First');
    out.check(true, 'it worked');
    expect(() => out.check(false, 'it broke')).toThrow(DemoCheckError);
    expect(out.steps).toBe(1);
    expect(sink.text()).toBe('\n1. First\n   ✓ it worked\n');
  });

  it('emits ANSI codes only when colour is on', () => {
    expect(new Transcript(buffer(), false).paint('red', 'x')).toBe('x');
    expect(new Transcript(buffer(), true).paint('red', 'x')).toBe('\x1b[31mx\x1b[39m');
  });
});

describe('challengeParams', () => {
  it('reads quoted parameters, unescaping them', () => {
    const header =
      'Bearer error="insufficient_scope", scope="read write", error_description="a \\"b\\" c"';
    expect(challengeParams(header)).toEqual({
      error: 'insufficient_scope',
      scope: 'read write',
      error_description: 'a "b" c',
    });
    expect(challengeParams(null)).toEqual({});
  });
});

describe('resultText', () => {
  it('returns the first text block of a tool result', () => {
    expect(resultText({ content: [{ type: 'image' }, { type: 'text', text: 'hi' }] })).toBe('hi');
    expect(resultText({ toolResult: 1 })).toBe('');
    expect(resultText(null)).toBe('');
  });
});
