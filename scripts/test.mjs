#!/usr/bin/env node
// The whole gate behind `npm test`: typecheck, lint, import rules (dependency-cruiser), build, API docs, then the vitest suite
// with coverage thresholds.
// CI reads a plain closing line `N passed, N failed`, which vitest does not print, so this
// script runs vitest with its JSON reporter and prints that line itself.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const report = '.vitest-report.json';
const extra = process.argv.slice(2);

function run(label, cmd, args) {
  process.stdout.write(`\n▶ ${label}\n`);
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  return result.status ?? 1;
}

function finish(passed, failed, skipped, code) {
  process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  process.exit(code);
}

for (const [label, script] of [
  ['typecheck', 'typecheck'],
  ['lint', 'lint'],
  ['import rules', 'deps'],
  ['build', 'build'],
  ['docs', 'docs'],
]) {
  if (run(label, 'npm', ['run', '-s', script]) !== 0) {
    process.stdout.write(`\n${label} failed\n`);
    finish(0, 1, 0, 1);
  }
}

rmSync(report, { force: true });
const code = run('vitest', 'npx', [
  'vitest',
  'run',
  '--coverage',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...extra,
]);

let summary;
try {
  summary = JSON.parse(readFileSync(report, 'utf8'));
} catch {
  process.stdout.write('\nvitest wrote no report\n');
  finish(0, 1, 0, 1);
}
const passed = summary.numPassedTests;
const failed = summary.numFailedTests + (summary.numRuntimeErrorTestSuites ?? 0);
const skipped = summary.numPendingTests + summary.numTodoTests;
if (passed + failed === 0) {
  process.stdout.write('\nno test ran\n');
  finish(0, 1, skipped, 1);
}
if (failed === 0 && code !== 0) {
  process.stdout.write(
    '\nvitest failed outside the tests (coverage thresholds or an unhandled error)\n',
  );
}
finish(passed, failed, skipped, failed > 0 || code !== 0 ? 1 : 0);
