import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { childEnvironment } from '../../../src/gateway/stdio/environment.js';
import { createLineReader } from '../../../src/gateway/stdio/lines.js';
import {
  resolveStdioUpstreamOptions,
  type StdioUpstreamOptions,
} from '../../../src/gateway/stdio/options.js';
import { startStdioUpstream } from '../../../src/gateway/stdio/upstream.js';

function read(chunks: string[], max: number): [string, boolean][] {
  const lines: [string, boolean][] = [];
  const reader = createLineReader(max, (line, truncated) => lines.push([line, truncated]));
  for (const chunk of chunks) reader.push(Buffer.from(chunk, 'latin1'));
  reader.end();
  return lines;
}

/** Cuts `text` at arbitrary offsets. */
const chunked = (text: string, cuts: number[]): string[] => {
  const points = [...new Set([0, ...cuts.map((c) => c % (text.length + 1)), text.length])];
  points.sort((a, b) => a - b);
  return points.slice(1).map((end, i) => text.slice(points[i], end));
};

describe('createLineReader', () => {
  const line = fc.string({ unit: fc.constantFrom('a', 'b', '\r', ' '), maxLength: 40 });

  it('yields the lines of any text however it is chunked, each cut at the bound', () => {
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 8 }),
        fc.array(fc.nat()),
        fc.integer({ min: 1, max: 30 }),
        (ls, cuts, max) => {
          const text = ls.map((l) => `${l}\n`).join('');
          const expected = ls.map((l): [string, boolean] => {
            const kept = l.slice(0, max);
            return [kept.endsWith('\r') ? kept.slice(0, -1) : kept, l.length > max];
          });
          expect(read(chunked(text, cuts), max)).toEqual(expected);
        },
      ),
    );
  });

  it('flushes a last line without a newline on end()', () => {
    expect(read(['a\nb', 'c'], 10)).toEqual([
      ['a', false],
      ['bc', false],
    ]);
    expect(read([''], 10)).toEqual([]);
  });
});

describe('childEnvironment', () => {
  it('drops AUTHFLOW_* in any case and keeps everything else, without touching the input', () => {
    const env = {
      PATH: '/bin',
      AUTHFLOW_CLIENT_SECRET: 's',
      Authflow_Redis: 'r',
      XAUTHFLOW_KEEP: 'k',
    };
    expect(childEnvironment(env)).toEqual({ PATH: '/bin', XAUTHFLOW_KEEP: 'k' });
    expect(env.AUTHFLOW_CLIENT_SECRET).toBe('s');
  });
});

describe('resolveStdioUpstreamOptions', () => {
  it('applies the defaults', () => {
    const o = resolveStdioUpstreamOptions({ command: 'node server.js' });
    expect(o).toMatchObject({
      argv: ['node', 'server.js'],
      maxSessions: 32,
      idleTimeoutMs: 300_000,
    });
    expect(o.cwd).toBeUndefined();
    expect(Object.isFrozen(o)).toBe(true);
  });

  it.each([
    [{ command: 'x', maxSession: 3 }, 'ERR_INVALID_ARG_VALUE', /unknown option "maxSession"/],
    [
      { command: 'x', maxSessions: 0 },
      'ERR_INVALID_ARG_VALUE',
      /"maxSessions" must be an integer >= 1/,
    ],
    [{ command: 'x', idleTimeoutMs: 1.5 }, 'ERR_INVALID_ARG_VALUE', /"idleTimeoutMs"/],
    [{ command: 'x', idleTimeoutMs: '10' }, 'ERR_INVALID_ARG_TYPE', /"idleTimeoutMs"/],
    [{ command: "node 'x" }, 'ERR_INVALID_ARG_VALUE', /unterminated single quote/],
    [{ command: '  ' }, 'ERR_INVALID_ARG_VALUE', /"command" is empty/],
    [{}, 'ERR_INVALID_ARG_TYPE', /"command" must be a string/],
    [{ command: 'x', logger: console.log }, 'ERR_INVALID_ARG_TYPE', /"logger"/],
    [{ command: 'x', env: 'PATH=/bin' }, 'ERR_INVALID_ARG_TYPE', /"env"/],
    [{ command: 'x', cwd: 1 }, 'ERR_INVALID_ARG_TYPE', /"cwd"/],
    [null, 'ERR_INVALID_ARG_TYPE', /options must be an object/],
  ])('refuses %j', (options, code, message) => {
    expect(() => resolveStdioUpstreamOptions(options as unknown as StdioUpstreamOptions)).toThrow(
      expect.objectContaining({ code, message: expect.stringMatching(message) }),
    );
  });

  it('startStdioUpstream refuses bad options before it listens', async () => {
    await expect(startStdioUpstream({ command: 'node "x' })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_VALUE',
    });
  });
});
