import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { snapshotScripts } from './lua-snapshot-cases.js';

/**
 * SHA-1 of each script as generated before the Lua moved into `src/store/lua/*.lua` (issue 12):
 * the store must keep sending byte-for-byte the same scripts (their SHA-1 is what `EVALSHA`
 * names them by). Regenerate only for an intended change of a script, and say so in the commit.
 */
const FIXTURE = new URL('./fixtures/lua-scripts.json', import.meta.url);

const LUA_DIR = new URL('../../src/store/lua/', import.meta.url);

/** A splice point in a `.lua` file (`--[[extra fields]]`), replaced when the script is built. */
const SPLICE = /--\[\[[a-z ]+\]\]/;

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

  it('every src/store/lua file is part of a script, and no splice point is left in one', () => {
    const files = readdirSync(LUA_DIR).filter((f) => f.endsWith('.lua'));
    expect(files.length).toBeGreaterThan(20);
    const all = Object.values(snapshotScripts(false));
    for (const file of files) {
      const parts = readFileSync(new URL(file, LUA_DIR), 'utf8').split(SPLICE);
      for (const part of parts) {
        expect(
          all.some((script) => script.includes(part.trimEnd())),
          file,
        ).toBe(true);
      }
    }
    for (const script of all) expect(script).not.toMatch(SPLICE);
  });
});
