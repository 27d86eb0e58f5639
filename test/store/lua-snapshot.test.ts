import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { snapshotScripts } from './lua-snapshot-cases.js';

/**
 * SHA-1 of each script as generated before the Lua moved into `src/store/lua/*.lua` (issue 12):
 * the store must keep sending byte-for-byte the same scripts (their SHA-1 is what `EVALSHA`
 * names them by). Regenerate only for an intended change of a script, and say so in the commit.
 */
const FIXTURE = new URL('./fixtures/lua-scripts.json', import.meta.url);

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');

describe('Redis scripts are byte-for-byte the snapshot', () => {
  const expected = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, string>;
  const scripts = snapshotScripts();

  it('covers the same scripts as the fixture', () => {
    expect(Object.keys(scripts).sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [name, source] of Object.entries(scripts)) {
    it(name, () => {
      expect(sha1(source)).toBe(expected[name]);
    });
  }

  it('the configurations differ where the snapshot must see it', () => {
    expect(new Set(Object.values(expected)).size).toBe(Object.keys(expected).length);
  });
});
