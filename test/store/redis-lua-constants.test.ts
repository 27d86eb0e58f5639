import { describe, expect, it } from 'vitest';
import { resolveFrictionConfig } from '../../src/friction/config.js';
import { adaptiveStepScript } from '../../src/store/redis-adaptive-script.js';
import { foldConstants } from '../../src/store/redis-lua-constants.js';

describe('foldConstants: numeric constant locals become literals', () => {
  it('replaces reads of the constants and nothing else', () => {
    const lua = [
      'local K = 11',
      'local ALPHA = (0.15)',
      'local NEG = (-0.5) -- a comment',
      'local HUGE = math.huge',
      'local TABLE = {(1)}',
      "local function f(G) return K + ALPHA * NEG, G.K, KK, HUGE, TABLE[1], 'K' end",
    ].join('\n');
    expect(foldConstants(lua)).toBe(
      [
        '',
        '',
        '',
        'local HUGE = math.huge',
        'local TABLE = {(1)}',
        "local function f(G) return (11) + (0.15) * (-0.5), G.K, KK, HUGE, TABLE[1], 'K' end",
      ].join('\n'),
    );
  });

  it('leaves no constant local in a step script', () => {
    const cfg = resolveFrictionConfig({
      controller: 'adaptive',
      toolConfigs: { a: { ceiling: { limit: 2, windowMs: 1000 } }, b: {} },
    });
    const ttl = { clientTtlMs: 60_000, penaltyTtlMs: 0, penaltyMinFriction: 0.5 };
    const folded = adaptiveStepScript(cfg, ttl);
    const plain = adaptiveStepScript(cfg, ttl, false);
    expect(plain).toMatch(/^local K = 2$/m);
    expect(folded).not.toMatch(/^local (K|W|NF|O_EMA|ALPHA|FDL_A) = /m);
    expect(folded).not.toMatch(/[^.\w](K|NF|O_CREDIT)[^\w]/);
    expect(folded.length).toBeLessThan(plain.length + 2000);
  });
});
