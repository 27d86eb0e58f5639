/**
 * Runs every scenario for both controllers and renders the Markdown of the
 * "Controller quality (simulation)" section of BENCHMARKS.md.
 *
 * @module
 */

import type { ControllerConfig } from '../../src/friction/config.js';
import {
  type DutyFigures,
  type Kind,
  measureBurst,
  measureDutyCycle,
  measureInnocent,
  measureSpam,
  measureStep,
  measureWindup,
  PERIODS,
  RATES,
  type StepFigures,
  type WindupFigures,
} from './suite.js';

const KINDS: readonly Kind[] = ['proportional', 'adaptive'];
const S5_RATES = [0.5, 1, 10, 50] as const;
const S5_VARIANTS = ['at-target', 'production', 'half'] as const;
const S6_CASES = [
  { rate: 1, silent: false, lambda: 0.001 },
  { rate: 1, silent: true, lambda: 0.001 },
  { rate: 10, silent: false, lambda: 0.001 },
  { rate: 10, silent: true, lambda: 0.001 },
  { rate: 1, silent: true, lambda: 0.01 },
  { rate: 1, silent: true, lambda: 0.05 },
] as const;

type PerKind<T> = Record<Kind, T>;

function both<T>(f: (k: Kind) => T): PerKind<T> {
  return { proportional: f('proportional'), adaptive: f('adaptive') };
}

/** Every figure of the report. */
export interface SimResults {
  readonly s3: { rate: number; client: 'drop' | 'retry'; r: PerKind<StepFigures> }[];
  readonly s2: PerKind<ReturnType<typeof measureBurst>>;
  readonly s4: { rate: number; period: number; r: PerKind<DutyFigures> }[];
  readonly s5: { rate: number; variant: string; r: PerKind<ReturnType<typeof measureInnocent>> }[];
  readonly s6: { rate: number; silent: boolean; lambda: number; r: PerKind<WindupFigures> }[];
  readonly s7: { kind: Kind; label: string; cells: string[] }[];
  /** Attempts of a pure spammer up to its first refusal, targets 0.05 and 0.3. */
  readonly spam: PerKind<(number | undefined)[]>;
}

const SWEEP: readonly { kind: Kind; label: string; config: ControllerConfig }[] = [
  { kind: 'proportional', label: 'defaults (κ 0.08, λ 0.001/s)', config: {} },
  { kind: 'proportional', label: 'κ 0.04', config: { adjustmentRate: 0.04 } },
  { kind: 'proportional', label: 'κ 0.16', config: { adjustmentRate: 0.16 } },
  { kind: 'proportional', label: 'λ 0.0001/s', config: { timeDecayRate: 0.0001 } },
  { kind: 'proportional', label: 'λ 0.01/s', config: { timeDecayRate: 0.01 } },
  { kind: 'adaptive', label: 'defaults (tol 0.01, minBlock 20 s)', config: {} },
  {
    kind: 'adaptive',
    label: 'minBlockMs 0 (no hysteresis)',
    config: { adaptive: { minBlockMs: 0 } },
  },
  { kind: 'adaptive', label: 'minBlockMs 12 000', config: { adaptive: { minBlockMs: 12_000 } } },
  { kind: 'adaptive', label: 'minBlockMs 24 000', config: { adaptive: { minBlockMs: 24_000 } } },
  { kind: 'adaptive', label: 'tolerance 0.005', config: { adaptive: { tolerance: 0.005 } } },
  { kind: 'adaptive', label: 'tolerance 0.02', config: { adaptive: { tolerance: 0.02 } } },
  { kind: 'adaptive', label: 'burstCalls 20', config: { adaptive: { burstCalls: 20 } } },
  { kind: 'adaptive', label: 'burstCalls 50', config: { adaptive: { burstCalls: 50 } } },
];

function sweepCells(kind: Kind, config: ControllerConfig): string[] {
  const slow = measureStep(kind, 1, 'drop', 1, config);
  const fast = measureStep(kind, 10, 'drop', 1, config);
  const fp = measureInnocent(kind, 10, 'at-target', 1, config);
  const burst = measureBurst(kind, 10, 1, config);
  return [
    num(slow.ssError, 3),
    num(fast.ssError, 3),
    num(fast.togglesPerMin, 1),
    secs(fast.settlingS),
    String(fp.falsePositives),
    num(burst.burstShare, 2),
  ];
}

/** Runs everything (about a minute on one core). */
export function runAll(): SimResults {
  const s3 = (['drop', 'retry'] as const).flatMap((client) =>
    RATES.map((rate) => ({ rate, client, r: both((k) => measureStep(k, rate, client)) })),
  );
  const s4 = [1, 10].flatMap((rate) =>
    PERIODS.map((period) => ({ rate, period, r: both((k) => measureDutyCycle(k, rate, period)) })),
  );
  const s5 = S5_RATES.flatMap((rate) =>
    S5_VARIANTS.map((variant) => ({
      rate,
      variant,
      r: both((k) => measureInnocent(k, rate, variant)),
    })),
  );
  const s6 = S6_CASES.map((c) => ({
    ...c,
    r: both((k) => measureWindup(k, c.rate, c.silent, c.lambda)),
  }));
  const s7 = SWEEP.map((p) => ({
    kind: p.kind,
    label: p.label,
    cells: sweepCells(p.kind, p.config),
  }));
  const spam = both((k) => [measureSpam(k, 0.05), measureSpam(k, 0.3)]);
  return { s3, s2: both((k) => measureBurst(k)), s4, s5, s6, s7, spam };
}

function num(x: number, digits: number): string {
  return Number.isNaN(x) ? 'n/a' : x.toFixed(digits);
}

function secs(x: number | undefined): string {
  return x === undefined ? 'never' : `${Math.round(x)}`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

function pair<T>(r: PerKind<T>, f: (x: T) => string): string[] {
  return [f(r.proportional), f(r.adaptive)];
}

function maxOf<T>(items: readonly { r: PerKind<T> }[], k: Kind, f: (x: T) => number): number {
  return Math.max(...items.map((i) => f(i.r[k])));
}

/** The side-by-side summary: one row per target of issue 8. */
export function summaryTable(res: SimResults): string {
  const drop = res.s3.filter((x) => x.client === 'drop');
  const retry = res.s3.filter((x) => x.client === 'retry');
  const fp = (k: Kind) => res.s5.reduce((a, x) => a + x.r[k].falsePositives, 0);
  const rec = (k: Kind) =>
    Math.max(...res.s6.map((x) => (x.r[k].recoveryS ?? Infinity) / x.r[k].tauS));
  const maxF = (k: Kind) =>
    Math.max(
      maxOf(res.s3, k, (x) => x.maxFriction),
      maxOf(res.s4, k, (x) => x.maxFriction),
      maxOf(res.s5, k, (x) => x.maxFriction),
      maxOf(res.s6, k, (x) => x.maxFriction),
      res.s2[k].maxFriction,
    );
  const row = (label: string, f: (k: Kind) => string, target: string) => [
    label,
    f('proportional'),
    f('adaptive'),
    target,
  ];
  return table(
    ['metric (worst case over the scenario)', 'proportional', 'adaptive', 'target (adaptive)'],
    [
      row(
        'S3 steady-state error, Λ 0.5–50/s, drop',
        (k) =>
          num(
            maxOf(drop, k, (x) => x.ssError),
            3,
          ),
        '≤ 0.02 (issue 19)',
      ),
      row(
        'S3 steady-state error, Λ 0.5–50/s, retry',
        (k) =>
          num(
            maxOf(retry, k, (x) => x.ssError),
            3,
          ),
        '≤ 0.02 (issue 19)',
      ),
      row(
        'S3 toggles per minute (drop and retry)',
        (k) =>
          num(
            maxOf(res.s3, k, (x) => x.togglesPerMin),
            1,
          ),
        '≤ 6 (issue 19)',
      ),
      row(
        'S4 attacker advantage, P 2–40 s, Λ 1 and 10/s',
        (k) =>
          num(
            maxOf(res.s4, k, (x) => x.advantage),
            2,
          ),
        '≤ 1.10',
      ),
      row('S5 false positives (12 runs)', (k) => String(fp(k)), '0'),
      row('S6 recovery after demand stops, in τ = 1/λ', (k) => num(rec(k), 3), '≤ 3'),
      row('max friction, all scenarios', (k) => num(maxF(k), 3), '≤ 1'),
      row(
        'S2 share admitted during the 95 % burst',
        (k) => num(res.s2[k].burstShare, 2),
        '(report)',
      ),
      row('S1 settling time at Λ 1/s, s', (k) => secs(drop[1]!.r[k].settlingS), '(report)'),
      row(
        'pure spam (only the tool, 1/s): attempts to the first refusal, target 0.05 / 0.3',
        (k) => res.spam[k].map((n) => n ?? 'never').join(' / '),
        '(report)',
      ),
    ],
  );
}

/** The detail tables, one per scenario. */
export function detailTables(res: SimResults): string {
  const s3 = table(
    [
      'client',
      'Λ /s',
      'ss error P / A',
      'settling s P / A',
      'overshoot P / A',
      'toggles/min P / A',
    ],
    res.s3.map((x) => [
      x.client,
      String(x.rate),
      pair(x.r, (f) => num(f.ssError, 3)).join(' / '),
      pair(x.r, (f) => secs(f.settlingS)).join(' / '),
      pair(x.r, (f) => num(f.overshoot, 2)).join(' / '),
      pair(x.r, (f) => num(f.togglesPerMin, 1)).join(' / '),
    ]),
  );
  const s4 = table(
    ['Λ /s', 'P s', 'attacker share P / A', 'steady 50 % share P / A', 'advantage P / A'],
    res.s4.map((x) => [
      String(x.rate),
      String(x.period),
      pair(x.r, (f) => num(f.attackerShare, 3)).join(' / '),
      pair(x.r, (f) => num(f.steadyShare, 3)).join(' / '),
      pair(x.r, (f) => num(f.advantage, 2)).join(' / '),
    ]),
  );
  const s5 = table(
    ['Λ /s', 'use', 'attempts', 'refused P / A'],
    res.s5.map((x) => [
      String(x.rate),
      x.variant,
      String(x.r.adaptive.attempts),
      pair(x.r, (f) => String(f.falsePositives)).join(' / '),
    ]),
  );
  const s6 = table(
    ['Λ /s', 'after the stop', 'λ /s (τ s)', 'recovery s P / A'],
    res.s6.map((x) => [
      String(x.rate),
      x.silent ? 'silence' : 'reads go on',
      `${x.lambda} (${1 / x.lambda})`,
      pair(x.r, (f) => secs(f.recoveryS)).join(' / '),
    ]),
  );
  const s2 = table(
    ['controller', 'burst share', 'recovery s', 'refused at 10 % demand'],
    KINDS.map((k) => [
      k,
      num(res.s2[k].burstShare, 2),
      secs(res.s2[k].recoveryS),
      String(res.s2[k].lateRefusals),
    ]),
  );
  const s7 = table(
    [
      'controller',
      'parameters',
      'ss err Λ=1',
      'ss err Λ=10',
      'toggles/min Λ=10',
      'settling s Λ=10',
      'S5 FP Λ=10',
      'S2 burst share',
    ],
    res.s7.map((x) => [x.kind, x.label, ...x.cells]),
  );
  return [
    '### S1/S3: demand step 20 % → 70 %, target 30 % (P = proportional, A = adaptive)',
    s3,
    '### S2: 95 % for 30 s, then 10 % (Λ = 10/s)',
    s2,
    '### S4: duty-cycle attacker (100 % for P s, 0 % for P s) vs a steady 50 % caller',
    s4,
    '### S5: innocent use (at or below target); refused attempts = false positives',
    s5,
    '### S6: wind-up (95 % for 10 min), then the tool is no longer called',
    s6,
    '### S7: parameter sweep (S1 at Λ = 1 and 10/s, S5 at-target at Λ = 10/s, S2)',
    s7,
  ].join('\n\n');
}
