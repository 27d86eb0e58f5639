/**
 * The dilution scenario of issue 19: a client pads every `delete` with 19 free `read` calls
 * (5 % share, exactly the target) at 10 calls/s for an hour. A share limiter alone admits every
 * delete; an absolute ceiling bounds them. Deterministic (no randomness needed).
 *
 * @module
 */

import type { FrictionCeiling } from '../../src/friction/ceiling.js';
import { FrictionController } from '../../src/friction/controller.js';
import type { Kind } from './suite.js';

/** The ceiling of the scenario: 5 deletes a minute (300 an hour). */
export const DILUTION_CEILING: FrictionCeiling = { limit: 5, windowMs: 60_000 };

/** One run of the scenario. */
export interface DilutionFigures {
  /** Delete attempts (one in 20 calls). */
  readonly attempts: number;
  /** Deletes admitted. */
  readonly admitted: number;
}

/**
 * Runs the scenario for `seconds` (default one hour) and counts the admitted deletes.
 *
 * @param kind - The controller.
 * @param ceiling - The delete tool's ceiling, or none.
 */
export function measureDilution(
  kind: Kind,
  ceiling: FrictionCeiling | undefined,
  seconds = 3600,
): DilutionFigures {
  const c = new FrictionController({
    controller: kind,
    toolConfigs: { delete: { targetRate: 0.05, ...(ceiling ? { ceiling } : {}) } },
  });
  let attempts = 0;
  let admitted = 0;
  for (let k = 0; k < seconds * 10; k++) {
    const t = k * 100;
    if (k % 20 !== 19) {
      c.recordUnconfigured('read', t);
      continue;
    }
    attempts++;
    if (c.checkAndRecord('delete', t).allowed) admitted++;
  }
  return { attempts, admitted };
}

/** The Markdown table: admitted deletes per hour, with and without the ceiling, both controllers. */
export function dilutionTable(): string {
  const c = DILUTION_CEILING;
  const bound = c.limit + Math.ceil((3_600_000 * c.limit) / c.windowMs) - 1;
  const rows = (['proportional', 'adaptive'] as const).map((kind) => {
    const free = measureDilution(kind, undefined);
    const capped = measureDilution(kind, c);
    return `| ${kind} | ${free.attempts} | ${free.admitted} | ${capped.admitted} |`;
  });
  return [
    `### Dilution: 19 reads per delete (5 %, target 0.05) at 10 calls/s for 1 hour`,
    '',
    `Ceiling \`{ limit: ${c.limit}, windowMs: ${c.windowMs} }\` (${(c.limit * 3_600_000) / c.windowMs} an hour; GCRA bound for one hour: ≤ ${bound}).`,
    '',
    '| controller | delete attempts/h | admitted/h, no ceiling | admitted/h, with ceiling |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
